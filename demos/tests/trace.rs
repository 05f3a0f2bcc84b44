//! `clockwork-demos --trace DIR` writes a timeline per runtime, and both parse as Chrome
//! trace-event JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A fresh directory under the system's temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads `path` as a Chrome trace: a JSON array of event objects.
fn read_trace(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("the timeline was written");
    let json: Value = serde_json::from_str(&text).expect("the timeline is JSON");
    json.as_array().expect("a trace is an array of events").clone()
}

/// The events of `trace` with phase `ph` (`"X"` for a slice, `"M"` for metadata).
fn phase<'a>(trace: &'a [Value], ph: &str) -> Vec<&'a Value> {
    trace.iter().filter(|event| event["ph"] == ph).collect()
}

#[test]
fn trace_writes_a_timeline_per_runtime() {
    let dir = TempDir::new("clockwork-demos-trace");
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
        .args(["flow", "--trace"])
        .arg(&dir.0)
        .output()
        .expect("the demos run");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("flow.clockwork.json"), "lists the files: {stdout}");

    // Clockwork's: a track named after the flow pattern's task, and a poll slice on it.
    let clockwork = read_trace(&dir.0.join("flow.clockwork.json"));
    let task_track = phase(&clockwork, "M")
        .into_iter()
        .find(|m| m["args"]["name"].as_str().is_some_and(|n| n.contains("patterns/flow.rs")))
        .expect("a track for the flow task");
    let polls = phase(&clockwork, "X").into_iter().filter(|x| x["name"] == "poll");
    let polls_on_task: Vec<_> = polls.filter(|x| x["tid"] == task_track["tid"]).collect();
    assert!(!polls_on_task.is_empty(), "the task's polls are slices on its track");

    // Tokio's: one slice for the whole run, with the note saying why there is no more.
    let tokio = read_trace(&dir.0.join("flow.tokio.json"));
    let slices = phase(&tokio, "X");
    assert_eq!(slices.len(), 1, "{tokio:?}");
    assert_eq!(slices[0]["name"], "flow");
    assert!(slices[0]["dur"].as_f64().is_some_and(|us| us > 0.0), "{tokio:?}");
    assert!(slices[0]["args"]["note"].as_str().unwrap().contains("tokio_unstable"));
}
