//! `clockwork-demos --trace DIR` writes one timeline per pattern, holding both runtimes, as
//! Chrome trace-event JSON.

use std::collections::HashSet;
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

/// The name of each task track of process `pid`, sorted.
fn task_tracks(trace: &[Value], pid: u64) -> Vec<String> {
    let mut names: Vec<String> = phase(trace, "M")
        .into_iter()
        .filter(|m| m["pid"] == pid && m["name"] == "thread_name")
        .filter_map(|m| m["args"]["name"].as_str())
        .filter(|name| name.starts_with("task#"))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// Where an event is: its process, track and time, as written.
fn place(event: &Value) -> String {
    format!("{} {} {}", event["pid"], event["tid"], event["ts"])
}

#[test]
fn trace_writes_one_timeline_with_both_runtimes() {
    let dir = TempDir::new("clockwork-demos-trace");
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
        .args(["locks", "--trace"])
        .arg(&dir.0)
        .output()
        .expect("the demos run");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("locks.json"), "lists the file: {stdout}");
    let trace = read_trace(&dir.0.join("locks.json"));

    // Two processes, named after the runtimes.
    let processes: Vec<(&Value, &str)> = phase(&trace, "M")
        .into_iter()
        .filter(|m| m["name"] == "process_name")
        .map(|m| (&m["pid"], m["args"]["name"].as_str().unwrap()))
        .collect();
    assert_eq!(processes, [(&Value::from(1), "clockwork"), (&Value::from(2), "tokio")]);

    // The same task tracks on both: ten tasks, named by spawn order and place.
    let tracks = task_tracks(&trace, 1);
    assert_eq!(tracks.len(), 10, "{tracks:?}");
    assert_eq!(tracks, task_tracks(&trace, 2));

    // Every flow event starts on a wake slice, or ends on a poll slice, of its own process.
    let flows: Vec<&Value> = trace.iter().filter(|e| e["ph"] == "s" || e["ph"] == "f").collect();
    for pid in [1, 2] {
        assert!(flows.iter().any(|f| f["pid"] == pid), "no arrows in process {pid}");
    }
    let slices: HashSet<String> = phase(&trace, "X").into_iter().map(place).collect();
    for flow in &flows {
        assert!(slices.contains(&place(flow)), "a flow event without its slice: {flow}");
    }
    let starts = flows.iter().filter(|f| f["ph"] == "s").count();
    assert_eq!(starts * 2, flows.len(), "each arrow has a start and an end");
}
