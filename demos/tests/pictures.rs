//! The book's pictures: the committed ones are what the code draws today, and each shows what
//! it claims to show.
//!
//! When the first test fails, a change in the code changed a picture. If the change is meant,
//! draw them again and commit the new pictures with it, so the diff shows the change:
//!
//! ```text
//! cargo run -p clockwork-demos -- pictures docs/src/pictures
//! ```

use std::path::PathBuf;
use std::process::Command;

use clockwork_demos::pictures::{self, lifecycle, wheel};

/// `docs/src/pictures`, from this crate's folder.
fn book_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(pictures::BOOK_DIR)
}

/// How many times `needle` occurs in `svg`.
fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn the_committed_pictures_are_what_the_code_draws_now() {
    let mut drawn_files = Vec::new();
    for (file, drawn) in pictures::render_all() {
        let path = book_dir().join(&file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == drawn,
            "{} differs from what the code draws now: run \
             `cargo run -p clockwork-demos -- pictures docs/src/pictures` and commit the result",
            path.display()
        );
        drawn_files.push(file);
    }
    // A picture nobody draws any more would go stale in the book.
    for entry in std::fs::read_dir(book_dir()).expect("docs/src/pictures exists") {
        let name = entry.expect("the folder can be listed").file_name();
        let name = name.to_string_lossy().to_string();
        assert!(
            drawn_files.contains(&name),
            "{name} is in docs/src/pictures, but nothing draws it"
        );
    }
}

#[test]
fn the_same_run_draws_the_same_timeline() {
    // The committed pictures are only stable if a paused run always gives the same picture.
    let first = pictures::paused_timeline("join_set");
    for _ in 0..5 {
        assert_eq!(pictures::paused_timeline("join_set"), first);
    }
}

#[test]
fn the_flow_timeline_shows_both_runs_their_polls_and_the_wake_between() {
    let svg = pictures::paused_timeline("flow");
    // One heading per runtime, Clockwork's first.
    let clockwork = svg.find(">clockwork (").expect("a heading for clockwork's run");
    let tokio = svg.find(">tokio (").expect("a heading for tokio's run");
    assert!(clockwork < tokio, "clockwork's run is drawn above tokio's");
    // In each run the task is polled twice: Pending before its sleep, Ready after. The legend
    // draws one more of each.
    assert_eq!(count(&svg, r#"<rect class="pending""#), 2 + 1);
    assert_eq!(count(&svg, r#"<rect class="ready""#), 2 + 1);
    // In each run the timer's wake caused the second poll: one arrow each, plus the legend's.
    assert_eq!(count(&svg, r#"<path class="caused""#), 2 + 1);
    // One lane per task: task#1 on each side.
    assert_eq!(count(&svg, ">task#1 flow.rs:"), 2);
}

#[test]
fn the_join_set_timeline_has_a_lane_and_an_arrow_per_task() {
    let svg = pictures::paused_timeline("join_set");
    for task in 1..=3 {
        assert_eq!(count(&svg, &format!(">task#{task} join_set.rs:")), 2, "task#{task}");
    }
    // Three timers fire, each waking its task for its last poll, on each runtime.
    assert_eq!(count(&svg, r#"<path class="caused""#), 2 * 3 + 1);
}

#[test]
fn the_wheel_picture_marks_the_wheels_own_slots_and_one_next_slot() {
    let wheel = wheel::filled_wheel();
    assert_eq!(wheel.len(), wheel::TIMERS.len());
    let occupied: usize = (0..6).map(|level| wheel.occupied_slots(level).len()).sum();
    assert!(occupied > 0 && occupied <= wheel::TIMERS.len(), "{occupied} slots for 12 timers");
    let svg = wheel::render();
    // The next slot is drawn in its own colour, in place of its occupied colour.
    assert_eq!(count(&svg, r#"class="next""#), 1);
    assert_eq!(count(&svg, r#"class="occupied""#), occupied - 1);
    // A hand on each of the six levels, and 64 slots on each.
    assert_eq!(count(&svg, r#"class="hand""#), 6);
    assert_eq!(count(&svg, "<rect class=") - 1, 6 * 64 + 6, "slots and hands, and the background");
}

#[test]
fn the_lifecycle_picture_has_every_state_and_a_head_on_every_numbered_arrow() {
    let diagram = lifecycle::diagram().join("\n");
    assert!(diagram.contains("SCHEDULED") && diagram.contains("COMPLETE"), "{diagram}");
    let svg = lifecycle::render();
    for state in ["SCHEDULED", "RUNNING", "IDLE", "CANCELLED", "COMPLETE", "RUNNING + NOTIFIED"] {
        assert!(svg.contains(&format!(">{state}<")), "{state} is drawn as a state");
    }
    let numbered = (1..=20).filter(|n| diagram.contains(&format!("({n})"))).count();
    assert_eq!(numbered, 9, "the diagram numbers nine arrows");
    assert_eq!(count(&svg, r#"<polygon class="head""#), numbered, "one arrowhead per arrow");
    // Six boxes are filled: IDLE, SCHEDULED, RUNNING, RUNNING + NOTIFIED, CANCELLED, COMPLETE.
    assert_eq!(count(&svg, r#"<rect class="box""#), 6);
}

#[test]
fn timeline_svg_draws_the_run_the_command_made() {
    let path = std::env::temp_dir().join(format!("flow-{}.svg", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
        .args(["flow", "--timeline-svg"])
        .arg(&path)
        .output()
        .expect("clockwork-demos runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let svg = std::fs::read_to_string(&path).expect("the picture was written");
    std::fs::remove_file(&path).expect("the picture can be removed");
    assert!(svg.starts_with("<svg "), "an SVG document");
    assert_eq!(count(&svg, r#"<path class="caused""#), 2 + 1, "a wake and its poll per runtime");
}

#[test]
fn timeline_svg_needs_a_pattern() {
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
        .args(["--timeline-svg", "/nonexistent/x.svg"])
        .output()
        .expect("clockwork-demos runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--timeline-svg draws one pattern"), "{stderr}");
}
