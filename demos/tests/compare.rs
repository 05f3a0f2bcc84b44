//! `clockwork-demos compare PATTERN` runs on every pattern, exits 0, and ends with a verdict.

use std::process::Command;

use clockwork_demos::patterns;

#[test]
fn compare_runs_on_every_pattern() {
    for pattern in patterns() {
        let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
            .args(["compare", pattern.name])
            .output()
            .expect("the demos run");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}: {output:?}", pattern.name);
        let first = format!("compare {}: clockwork vs tokio", pattern.name);
        assert!(stdout.starts_with(&first), "{stdout}");
        let last = stdout.trim_end().lines().last().unwrap_or_default();
        assert!(last.starts_with("verdict: "), "{}: {stdout}", pattern.name);
        assert!(stdout.contains("  output: the same\n"), "{stdout}");
    }
}

#[test]
fn compare_sees_that_tokio_defers_a_yield() {
    // busy_wait's waiter calls yield_now in a loop. Clockwork requeues the task at once, as
    // woken by itself; tokio defers the wake until its driver has been looked at, so the wake
    // comes from the runtime outside any poll.
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
        .args(["compare", "busy_wait"])
        .output()
        .expect("the demos run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let wakes = stdout.lines().find(|line| line.starts_with("  wakes by: ")).unwrap();
    let (clockwork, tokio) = wakes.split_once("; tokio: ").unwrap();
    let count = |text: &str, who: &str| -> u64 {
        let after = text.split(who).nth(1).unwrap();
        after.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
    };
    assert!(count(clockwork, "a task ") > 100, "{wakes}");
    assert!(count(tokio, "the driver ") > 100, "{wakes}");
    assert!(count(tokio, "a task ") < 10, "{wakes}");
}

#[test]
fn compare_without_a_pattern_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
        .arg("compare")
        .output()
        .expect("the demos run");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

#[test]
fn two_patterns_or_a_flag_for_a_directory_are_refused() {
    for args in [&["flow", "compare"][..], &["flow", "channels"], &["pictures", "--list"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
            .args(args)
            .output()
            .expect("the demos run");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}
