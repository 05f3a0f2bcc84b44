//! `--trace DIR`: one timeline per pattern, holding both runtimes, for ui.perfetto.dev.
//!
//! The file is Chrome trace-event JSON (the "Trace Event Format" document of the Chromium
//! project), drawn from the two runs' [`Log`]s by the same code, so that a difference on screen
//! is a difference in the schedules, never in the drawing. Each runtime is a process, with the
//! same tracks, named the same way:
//!
//! ```text
//!  pid 1 "clockwork", pid 2 "tokio"
//!    tid 1       runtime         a slice per park (tokio's: between its park hooks)
//!    tid 2       block_on        a slice per poll of the block_on future
//!    tid 3       other threads   a marker per wake that came from another thread
//!    tid 10 + n  task#n (file:line)   a slice per poll; a marker per wake this task made
//! ```
//!
//! Each wake that caused a poll (the first since the task's last poll started) is an arrow: it
//! starts at a zero-length `wake` slice on the waker's track and ends on the poll it caused.
//! Both runs start at 0 on the time axis, so the two schedules line up one above the other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::Runtime;
use crate::record::{Log, Origin, StepKind, TaskNo, label};

const RUNTIME_TID: u64 = 1;
const BLOCK_ON_TID: u64 = 2;
const OTHER_THREADS_TID: u64 = 3;
const FIRST_TASK_TID: u64 = 10;

/// `DIR/PATTERN.json`, for example `traces/basic.json`.
pub fn path(dir: &Path, pattern: &str) -> PathBuf {
    dir.join(format!("{pattern}.json"))
}

/// Writes the timeline of one pattern's runs at `path`. A failure to write is reported on
/// stderr; the runs themselves went fine.
pub fn write(path: &Path, logs: &[&Log]) {
    let text = serde_json::to_string(&render(logs)).expect("a json! value always serializes");
    if let Err(error) = std::fs::write(path, text) {
        eprintln!("clockwork-demos: could not write {}: {error}", path.display());
    }
}

/// The whole timeline: a JSON array of trace events.
pub fn render(logs: &[&Log]) -> Value {
    let mut drawing = Drawing::default();
    for log in logs {
        drawing.process(log);
    }
    Value::Array(drawing.events)
}

/// The events drawn so far, and the flow numbers, unique across the file.
#[derive(Default)]
struct Drawing {
    events: Vec<Value>,
    next_flow: u64,
}

/// The process number of a runtime.
fn pid(runtime: Runtime) -> u64 {
    match runtime {
        Runtime::Clockwork => 1,
        Runtime::Tokio => 2,
    }
}

fn task_tid(task: TaskNo) -> u64 {
    FIRST_TASK_TID + task
}

/// The track where a wake by `by` is drawn.
fn waker_tid(by: Origin) -> u64 {
    match by {
        Origin::Task(task) => task_tid(task),
        Origin::BlockOn => BLOCK_ON_TID,
        Origin::OtherThread => OTHER_THREADS_TID,
        Origin::Driver => RUNTIME_TID,
    }
}

impl Drawing {
    /// Draws one run as one process.
    fn process(&mut self, log: &Log) {
        let pid = pid(log.runtime);
        self.tracks(pid, log);
        // Arrows started by a first wake, waiting for the poll they cause: task -> start.
        let mut waiting: HashMap<TaskNo, (u64, Duration)> = HashMap::new();
        let mut parked_at = Duration::ZERO;
        for step in &log.steps {
            let at = step.at;
            match &step.kind {
                StepKind::Spawn { task, .. } => {
                    self.events.push(instant(pid, task_tid(*task), "spawn", at));
                }
                StepKind::PollEnd { task, ready, busy } => {
                    let start = at.saturating_sub(*busy);
                    let result = if *ready { "Ready" } else { "Pending" };
                    let args = json!({ "result": result });
                    self.events.push(slice(pid, task_tid(*task), "poll", start, *busy, args));
                    if let Some((from_tid, woken_at)) = waiting.remove(task) {
                        self.arrow(pid, (from_tid, woken_at), (task_tid(*task), start));
                    }
                }
                StepKind::MainPoll { ready, busy } => {
                    let args = json!({ "ready": ready });
                    let start = at.saturating_sub(*busy);
                    self.events.push(slice(pid, BLOCK_ON_TID, "block_on poll", start, *busy, args));
                }
                StepKind::Wake { task, by, first } => {
                    let args = json!({ "by": by.to_string() });
                    let name = format!("wake task#{task}");
                    let tid = waker_tid(*by);
                    self.events.push(slice(pid, tid, &name, at, Duration::ZERO, args));
                    if *first {
                        waiting.entry(*task).or_insert((tid, at));
                    }
                }
                StepKind::Cancelled { task } => {
                    self.events.push(instant(pid, task_tid(*task), "cancelled", at));
                }
                StepKind::Park { .. } => parked_at = at,
                StepKind::Unpark { parked } => {
                    let start = parked_at.max(at.saturating_sub(*parked));
                    let args = json!({});
                    self.events.push(slice(pid, RUNTIME_TID, "park", start, at - start, args));
                }
                StepKind::PollStart { .. } => {}
            }
        }
    }

    /// Names the process and its tracks.
    fn tracks(&mut self, pid: u64, log: &Log) {
        let name = log.runtime.name();
        self.events.push(json!({ "ph": "M", "pid": pid, "name": "process_name",
            "args": { "name": name } }));
        let mut tracks = vec![
            (RUNTIME_TID, "runtime (parks)".to_string()),
            (BLOCK_ON_TID, "block_on future".to_string()),
            (OTHER_THREADS_TID, "other threads".to_string()),
        ];
        let tasks = log.tasks().into_iter();
        tracks.extend(tasks.map(|t| (task_tid(t.task), label(t.task, t.location))));
        for (tid, name) in tracks {
            self.events.push(json!({ "ph": "M", "pid": pid, "tid": tid, "name": "thread_name",
                "args": { "name": name } }));
            self.events.push(json!({ "ph": "M", "pid": pid, "tid": tid,
                "name": "thread_sort_index", "args": { "sort_index": tid } }));
        }
    }

    /// A flow arrow from a wake, `(track, time)`, to the poll it caused.
    fn arrow(&mut self, pid: u64, from: (u64, Duration), to: (u64, Duration)) {
        self.next_flow += 1;
        let id = self.next_flow;
        self.events.push(json!({ "ph": "s", "id": id, "pid": pid, "tid": from.0,
            "name": "wake", "cat": "wake", "ts": micros(from.1) }));
        self.events.push(json!({ "ph": "f", "bp": "e", "id": id, "pid": pid, "tid": to.0,
            "name": "wake", "cat": "wake", "ts": micros(to.1) }));
    }
}

/// Microseconds, as the format expects.
fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// A complete ("X") slice.
fn slice(pid: u64, tid: u64, name: &str, start: Duration, dur: Duration, args: Value) -> Value {
    json!({ "ph": "X", "pid": pid, "tid": tid, "name": name, "ts": micros(start),
        "dur": micros(dur), "args": args })
}

/// An instant ("i") marker on one track.
fn instant(pid: u64, tid: u64, name: &str, at: Duration) -> Value {
    json!({ "ph": "i", "s": "t", "pid": pid, "tid": tid, "name": name, "ts": micros(at) })
}
