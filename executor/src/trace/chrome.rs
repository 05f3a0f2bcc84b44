//! The timeline: recorded events as Chrome trace-event JSON, for ui.perfetto.dev or
//! chrome://tracing.
//!
//! The format is a JSON array of objects, one per slice, instant or flow end (the "Trace Event
//! Format" document of the Chromium project). The tracks ("threads" in the format's words):
//!
//! ```text
//!  tid 1       runtime         a slice per park; instants for timers fired and I/O ready
//!  tid 2       block_on        a slice per poll of the block_on future
//!  tid 3       other threads   a marker per wake that came from another thread
//!  tid 10 + n  task#n          a slice per poll; a marker per wake this task made
//! ```
//!
//! Each wake that caused a poll is drawn as a flow arrow: it starts at a zero-length `wake`
//! slice on the waker's track and ends on the poll slice it caused. The JSON is written by hand:
//! it is a few fixed shapes, and strings are escaped by [`string`].

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use crate::task::Id;
use crate::trace::{Event, EventKind, ParkReason, SocketWait, WokenBy};

const RUNTIME_TID: u64 = 1;
const BLOCK_ON_TID: u64 = 2;
const OTHER_THREADS_TID: u64 = 3;
const FIRST_TASK_TID: u64 = 10;

/// The track of a task.
fn task_tid(task: Id) -> u64 {
    FIRST_TASK_TID + task.as_u64()
}

/// The track where a wake by `by` is drawn.
fn waker_tid(by: WokenBy) -> u64 {
    match by {
        WokenBy::Task(id) => task_tid(id),
        WokenBy::BlockOn => BLOCK_ON_TID,
        WokenBy::OtherThread => OTHER_THREADS_TID,
        WokenBy::Reactor | WokenBy::Timer { .. } | WokenBy::Runtime => RUNTIME_TID,
    }
}

/// Renders the whole timeline.
pub(crate) fn render(events: &[Event], labels: &HashMap<Id, String>) -> String {
    let mut out = Timeline::default();
    out.metadata(labels);
    for event in events {
        out.event(event);
    }
    out.finish()
}

/// The JSON being built, and what is remembered between events.
#[derive(Default)]
struct Timeline {
    json: String,
    /// The latest `Park`, waiting for its `Unpark` to become a slice.
    park: Option<(Option<Duration>, ParkReason)>,
    /// Flows started by a wake, waiting for the poll they caused: task -> (flow id, start).
    flows: HashMap<Id, (u64, String)>,
    next_flow: u64,
}

impl Timeline {
    fn push(&mut self, object: String) {
        self.json.push_str(if self.json.is_empty() { "[\n" } else { ",\n" });
        self.json.push_str(&object);
    }

    fn metadata(&mut self, labels: &HashMap<Id, String>) {
        self.push(r#"{"ph":"M","pid":1,"name":"process_name","args":{"name":"clockwork"}}"#.into());
        let mut tracks = vec![
            (RUNTIME_TID, "runtime (parks, timers, I/O)".to_string()),
            (BLOCK_ON_TID, "block_on future".to_string()),
            (OTHER_THREADS_TID, "other threads".to_string()),
        ];
        let mut tasks: Vec<(&Id, &String)> = labels.iter().collect();
        tasks.sort();
        tracks.extend(tasks.into_iter().map(|(id, label)| (task_tid(*id), label.clone())));
        for (tid, name) in tracks {
            self.push(format!(
                r#"{{"ph":"M","pid":1,"tid":{tid},"name":"thread_name","args":{{"name":{}}}}}"#,
                string(&name)
            ));
            self.push(format!(
                r#"{{"ph":"M","pid":1,"tid":{tid},"name":"thread_sort_index","args":{{"sort_index":{tid}}}}}"#
            ));
        }
    }

    fn event(&mut self, event: &Event) {
        let at = event.at;
        match &event.kind {
            EventKind::PollEnd { task, result, busy } => {
                let start = at.saturating_sub(*busy);
                let args = format!(r#"{{"result":"{result:?}"}}"#);
                self.push(slice("poll", task_tid(*task), start, *busy, &args));
                if let Some((flow, begin)) = self.flows.remove(task) {
                    self.push(begin);
                    self.push(flow_end(flow, task_tid(*task), start));
                }
            }
            EventKind::BlockOnPoll { busy, ready } => {
                let args = format!(r#"{{"ready":{ready}}}"#);
                self.push(slice(
                    "block_on poll",
                    BLOCK_ON_TID,
                    at.saturating_sub(*busy),
                    *busy,
                    &args,
                ));
            }
            EventKind::Wake { task, by, queued, sockets } => {
                self.wake(at, *task, *by, *queued, sockets);
            }
            EventKind::Park { timeout, reason } => self.park = Some((*timeout, *reason)),
            EventKind::Unpark { parked, io_events, timers_fired } => {
                let (timeout, reason) = self.park.take().unwrap_or((None, ParkReason::Idle));
                let timeout_us = timeout.map_or("null".to_string(), |t| t.as_micros().to_string());
                let args = format!(
                    r#"{{"reason":"{reason:?}","timeout_us":{timeout_us},"io_events":{io_events},"timers_fired":{timers_fired}}}"#
                );
                self.push(slice("park", RUNTIME_TID, at.saturating_sub(*parked), *parked, &args));
            }
            EventKind::TimerFired { count, clock_ms } => {
                let args = format!(r#"{{"count":{count},"clock_ms":{clock_ms}}}"#);
                self.push(instant("timers fired", RUNTIME_TID, at, &args));
            }
            EventKind::IoReady { count } => {
                self.push(instant(
                    "I/O ready",
                    RUNTIME_TID,
                    at,
                    &format!(r#"{{"count":{count}}}"#),
                ));
            }
            EventKind::Warning { task, message, .. } => {
                let args = format!(r#"{{"message":{}}}"#, string(message));
                let tid = task.map_or(BLOCK_ON_TID, task_tid);
                self.push(instant("warning", tid, at, &args));
            }
            EventKind::Spawn { .. } | EventKind::PollStart { .. } => {}
        }
    }

    /// A wake marker on the waker's track, and a flow if the wake will cause a poll. A wake by
    /// the reactor names the sockets the task waited on.
    fn wake(&mut self, at: Duration, task: Id, by: WokenBy, queued: bool, sockets: &[SocketWait]) {
        let tid = waker_tid(by);
        let sockets: Vec<String> =
            sockets.iter().map(|socket| string(&socket.to_string())).collect();
        let args =
            format!(r#"{{"by":{},"sockets":[{}]}}"#, string(&by.to_string()), sockets.join(","));
        self.push(slice(&format!("wake {task:?}"), tid, at, Duration::ZERO, &args));
        // A wake causes a poll if it queued the task, or if the task woke itself while running.
        let causes_poll = queued || by == WokenBy::Task(task);
        if causes_poll && !self.flows.contains_key(&task) {
            self.next_flow += 1;
            let flow = self.next_flow;
            self.flows.insert(task, (flow, flow_start(flow, tid, at)));
        }
    }

    fn finish(mut self) -> String {
        if self.json.is_empty() {
            self.json.push('[');
        }
        self.json.push_str("\n]\n");
        self.json
    }
}

/// Microseconds with nanosecond precision, as the format expects.
fn micros(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    format!("{}.{:03}", nanos / 1000, nanos % 1000)
}

fn slice(name: &str, tid: u64, start: Duration, dur: Duration, args: &str) -> String {
    format!(
        r#"{{"ph":"X","pid":1,"tid":{tid},"name":{},"ts":{},"dur":{},"args":{args}}}"#,
        string(name),
        micros(start),
        micros(dur)
    )
}

fn instant(name: &str, tid: u64, at: Duration, args: &str) -> String {
    format!(
        r#"{{"ph":"i","s":"t","pid":1,"tid":{tid},"name":{},"ts":{},"args":{args}}}"#,
        string(name),
        micros(at)
    )
}

fn flow_start(flow: u64, tid: u64, at: Duration) -> String {
    format!(
        r#"{{"ph":"s","id":{flow},"pid":1,"tid":{tid},"name":"wake","cat":"wake","ts":{}}}"#,
        micros(at)
    )
}

fn flow_end(flow: u64, tid: u64, at: Duration) -> String {
    format!(
        r#"{{"ph":"f","bp":"e","id":{flow},"pid":1,"tid":{tid},"name":"wake","cat":"wake","ts":{}}}"#,
        micros(at)
    )
}

/// `s` as a JSON string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
