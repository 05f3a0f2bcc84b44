//! `clockwork-demos pictures DIR`: every picture of the book, drawn again from the code.
//!
//! The book shows three kinds of picture, each drawn from what the code does rather than by
//! hand, so that none can drift from what runs:
//!
//! - `timeline.rs`: a pattern's timeline, both runtimes one above the other, from the same
//!   recorded events as the Chrome trace (`flow`, `join_set`, `channels`);
//! - `wheel.rs`: a real timing wheel filled with fixed deadlines;
//! - `lifecycle.rs`: the task lifecycle, drawn from the ASCII diagram in
//!   `executor/src/task/state.rs`.
//!
//! For the timelines to be the same on every run, the patterns run on a paused clock
//! ([`Clock::Paused`]): a sleep then never waits on the machine, and the order of events, which
//! is the timeline's x axis, depends on the program and the runtime alone.
//! `demos/tests/pictures.rs` draws them all again and fails when a committed picture differs, so
//! a change of behaviour shows up in review as a changed picture.
//!
//! `svg.rs` holds the few SVG elements the three need.

pub mod lifecycle;
pub mod svg;
pub mod timeline;
pub mod wheel;

use std::path::Path;

use crate::harness::{self, Clock, Runtime};
use crate::patterns;

/// Where the book keeps the pictures, from the workspace's root.
pub const BOOK_DIR: &str = "docs/src/pictures";

/// The patterns whose timelines the book shows.
pub const TIMELINES: [&str; 3] = ["flow", "join_set", "channels"];

/// Every picture, as (file name, SVG document).
pub fn render_all() -> Vec<(String, String)> {
    let mut pictures = Vec::new();
    for name in TIMELINES {
        pictures.push((format!("timeline-{name}.svg"), paused_timeline(name)));
    }
    pictures.push(("wheel.svg".to_string(), wheel::render()));
    pictures.push(("lifecycle.svg".to_string(), lifecycle::render()));
    pictures
}

/// The timeline of pattern `name`, run on both runtimes on a paused clock.
pub fn paused_timeline(name: &str) -> String {
    let all = patterns();
    let pattern =
        all.iter().find(|p| p.name == name).expect("the book names a pattern that exists");
    let clockwork = harness::run_on(pattern, Runtime::Clockwork, Clock::Paused);
    let tokio = harness::run_on(pattern, Runtime::Tokio, Clock::Paused);
    timeline::render(name, &[&clockwork.log, &tokio.log])
}

/// Writes every picture into `dir`, and says which; the first failure to write ends it.
pub fn write_all(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (file, svg) in render_all() {
        let path = dir.join(file);
        std::fs::write(&path, svg)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
