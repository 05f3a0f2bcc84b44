//! Narration: one readable line per event on stderr.
//!
//! ```text
//! spawn  task#3 fetch_user (demos/src/patterns/basic.rs:12)
//! poll   task#3 fetch_user (demos/src/patterns/basic.rs:12) -> Pending after 4us
//! park   up to 100ms (idle)
//! timer  1 fired at +100ms
//! wake   task#3 by timer (at +100ms)
//! ```
//!
//! `CLOCKWORK_LOG=1` (or `all`) narrates everything but poll starts and `block_on` polls, which
//! double the output for little news; `CLOCKWORK_LOG=poll,wake` only those kinds. The kind names
//! are those of [`EventKind::name`]: [`spawn`], `start`, `poll`, `main`, `wake`, `park`, `unpark`,
//! `timer`, `io` (warnings are printed on their own, whatever the filter).
//!
//! [`spawn`]: fn@crate::task::spawn

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use crate::task::Id;
use crate::trace::{Event, EventKind, ParkReason, PollResult};

/// The kinds narrated by `CLOCKWORK_LOG=1`.
const DEFAULT_KINDS: [&str; 7] = ["spawn", "poll", "wake", "park", "unpark", "timer", "io"];

/// Prints events whose kind passes the filter.
#[derive(Debug)]
pub(crate) struct Narrator {
    kinds: Vec<String>,
}

impl Narrator {
    /// `filter` is the value of `CLOCKWORK_LOG`: `1`, `all`, or kinds separated by commas.
    pub(crate) fn new(filter: &str) -> Narrator {
        let kinds: Vec<String> = match filter.trim() {
            "1" | "all" | "true" | "" => DEFAULT_KINDS.iter().map(|k| k.to_string()).collect(),
            list => list.split(',').map(|k| k.trim().to_string()).collect(),
        };
        Narrator { kinds }
    }

    pub(crate) fn narrate(&self, event: &Event, labels: &HashMap<Id, String>) {
        let kind = event.kind.name();
        if !self.kinds.iter().any(|k| k == kind) {
            return;
        }
        eprintln!("{}", line(event, labels));
    }
}

// ANCHOR: line
/// The narration of one event, without the trailing newline.
pub(crate) fn line(event: &Event, labels: &HashMap<Id, String>) -> String {
    let name = |id: &Id| labels.get(id).cloned().unwrap_or_else(|| format!("{id:?}"));
    let mut out = format!("{:<6} ", event.kind.name());
    let _ = match &event.kind {
        EventKind::Spawn { task, .. } => write!(out, "{}", name(task)),
        EventKind::PollStart { task, queue_len } => {
            write!(out, "{} ({queue_len} more in the queue)", name(task))
        }
        EventKind::PollEnd { task, result, busy } => {
            write!(out, "{} -> {} after {}", name(task), result_text(*result), short(*busy))
        }
        EventKind::BlockOnPoll { busy, ready } => {
            let result = if *ready { "Ready" } else { "Pending" };
            write!(out, "the block_on future -> {result} after {}", short(*busy))
        }
        EventKind::Wake { task, by, queued, sockets } => {
            let note = if *queued { "" } else { " (already queued or running)" };
            // A wake by the reactor names the sockets the task waited on, when it can.
            let sockets: Vec<String> = sockets.iter().map(ToString::to_string).collect();
            let on = if sockets.is_empty() {
                String::new()
            } else {
                format!(": {}", sockets.join(", "))
            };
            write!(out, "{} by {by}{note}{on}", name(task))
        }
        EventKind::Park { timeout, reason } => {
            let reason = match reason {
                ParkReason::Idle => "idle",
                ParkReason::Peek => "peek: work left",
            };
            match timeout {
                Some(timeout) => write!(out, "up to {} ({reason})", short(*timeout)),
                None => write!(out, "until woken ({reason})"),
            }
        }
        EventKind::Unpark { parked, io_events, timers_fired } => write!(
            out,
            "after {}: {timers_fired} timer(s), {io_events} I/O event(s)",
            short(*parked)
        ),
        EventKind::TimerFired { count, clock_ms } => write!(out, "{count} fired at +{clock_ms}ms"),
        EventKind::IoReady { count } => write!(out, "{count} event(s) ready"),
        EventKind::Warning { message, .. } => write!(out, "{message}"),
    };
    out
}
// ANCHOR_END: line

fn result_text(result: PollResult) -> &'static str {
    match result {
        PollResult::Pending => "Pending",
        PollResult::PendingWokeItself => "Pending (woke itself: requeued)",
        PollResult::BudgetSpent => "Pending (budget spent after 128 operations: requeued)",
        PollResult::Ready => "Ready",
        PollResult::Panicked => "panicked",
        PollResult::Cancelled => "cancelled",
    }
}

/// A duration as the narration writes it: in the largest unit that keeps it a whole number
/// above zero (`4us`, `100ms`, `2s`). Public as `trace::format_duration`, so that a tool that
/// narrates another runtime (the demos' tokio side) writes the very same format.
pub fn short(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    if nanos >= 10_000_000_000 {
        format!("{}s", duration.as_secs())
    } else if nanos >= 10_000_000 {
        format!("{}ms", duration.as_millis())
    } else if nanos >= 1_000 {
        format!("{}us", duration.as_micros())
    } else {
        format!("{nanos}ns")
    }
}
