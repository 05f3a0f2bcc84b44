//! `--trace DIR`: where each run's timeline goes, and the one written for tokio.
//!
//! Clockwork writes its own timeline (`Builder::trace_path`): a track per task, a slice per
//! poll, an arrow from each wake to the poll it caused. Tokio records polls only through its
//! task hooks and `tracing` spans, and both exist only when tokio is built with
//! `--cfg tokio_unstable`, which this workspace does not set. So tokio's file holds what the
//! harness itself can see: one slice for the whole `block_on`, with a note saying why.
//! Open both in ui.perfetto.dev to compare how long each runtime took.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::harness::Runtime;

/// Why tokio's timeline has a single slice; written into the file and shown in the output.
pub const TOKIO_NOTE: &str = "tokio shows its tasks' polls only when built with \
    --cfg tokio_unstable (task hooks, tracing spans); without it, this is the whole block_on";

/// `DIR/PATTERN.RUNTIME.json`, for example `traces/basic.clockwork.json`.
pub fn path(dir: &Path, pattern: &str, runtime: Runtime) -> PathBuf {
    dir.join(format!("{pattern}.{}.json", runtime.name()))
}

/// Writes tokio's timeline of one pattern: a slice for the whole `block_on`, `elapsed` long.
/// A failure to write is reported on stderr; the run itself went fine.
pub fn write_tokio(path: &Path, pattern: &str, elapsed: Duration) {
    let elapsed_us = elapsed.as_secs_f64() * 1e6;
    // The Chrome trace-event format: metadata naming the process and the track, then one
    // complete ("X") slice, timed in microseconds.
    let events = json!([
        { "ph": "M", "pid": 1, "name": "process_name", "args": { "name": "tokio" } },
        { "ph": "M", "pid": 1, "tid": 1, "name": "thread_name",
          "args": { "name": "block_on (the whole run)" } },
        { "ph": "X", "pid": 1, "tid": 1, "name": pattern, "ts": 0, "dur": elapsed_us,
          "args": { "note": TOKIO_NOTE } },
    ]);
    let text = serde_json::to_string_pretty(&events).expect("a json! value always serializes");
    if let Err(error) = std::fs::write(path, text) {
        eprintln!("clockwork-demos: could not write {}: {error}", path.display());
    }
}
