//! tokio's side narrated in the format of Clockwork's `CLOCKWORK_LOG`, so the two texts diff.
//!
//! `CLOCKWORK_LOG=1 clockwork-demos PATTERN --runtime clockwork` narrates Clockwork's run (the
//! runtime does it); the same with `--runtime tokio` narrates tokio's, here, from the steps the
//! `rt` shim records. The same variable, the same filter (`1`, or kinds such as `poll,wake`),
//! the same line for the same event:
//!
//! ```text
//! spawn  task#1 (demos/src/patterns/flow.rs:12)
//! poll   task#1 (demos/src/patterns/flow.rs:12) -> Pending after 14us
//! wake   task#1 (demos/src/patterns/flow.rs:12) by the driver (a timer or I/O)
//! ```
//!
//! Where tokio does not say, the line says less: a park has no timeout, an unpark no count of
//! timers and I/O events, and a wake by the timer or the reactor is "the driver".

use std::collections::HashMap;
use std::panic::Location;

use clockwork::trace::format_duration as short;

use crate::record::{Origin, Step, StepKind, TaskNo, label};

/// The kinds narrated by `CLOCKWORK_LOG=1`: Clockwork's, plus `cancel`.
const DEFAULT_KINDS: [&str; 6] = ["spawn", "poll", "wake", "park", "unpark", "cancel"];

/// Which kinds of step to narrate: `CLOCKWORK_LOG`'s value, read as Clockwork reads it.
#[derive(Debug, Clone)]
pub struct Filter {
    kinds: Vec<String>,
}

impl Filter {
    /// The filter `CLOCKWORK_LOG` asks for; `None` when it is unset or `0`.
    pub fn from_env() -> Option<Filter> {
        let value = std::env::var("CLOCKWORK_LOG").ok()?;
        let kinds: Vec<String> = match value.trim() {
            "0" | "false" | "off" => return None,
            "1" | "all" | "true" | "" => DEFAULT_KINDS.iter().map(|k| k.to_string()).collect(),
            list => list.split(',').map(|k| k.trim().to_string()).collect(),
        };
        Some(Filter { kinds })
    }

    /// Whether a step of this kind is narrated.
    pub fn wants(&self, kind: &StepKind) -> bool {
        let name = name(kind);
        self.kinds.iter().any(|k| k == name)
    }
}

/// The narration of one step, without the trailing newline; `locations` names the tasks.
pub fn line(step: &Step, locations: &HashMap<TaskNo, &'static Location<'static>>) -> String {
    let task_label = |task: &TaskNo| match locations.get(task) {
        Some(location) => label(*task, location),
        None => format!("task#{task}"),
    };
    let text = match &step.kind {
        StepKind::Spawn { task, .. } => task_label(task),
        StepKind::PollStart { task } => task_label(task),
        StepKind::PollEnd { task, ready, busy } => {
            let result = if *ready { "Ready" } else { "Pending" };
            format!("{} -> {result} after {}", task_label(task), short(*busy))
        }
        StepKind::MainPoll { ready, busy } => {
            let result = if *ready { "Ready" } else { "Pending" };
            format!("the block_on future -> {result} after {}", short(*busy))
        }
        StepKind::Wake { task, by, first } => {
            // As Clockwork says it: a wake that finds the task queued or running adds nothing.
            let running = *by == Origin::Task(*task);
            let note = if *first && !running { "" } else { " (already queued or running)" };
            format!("{} by {by}{note}", task_label(task))
        }
        StepKind::Cancelled { task } => format!("{} dropped before it completed", task_label(task)),
        StepKind::Park { .. } => "until woken or a timer is due (idle)".to_string(),
        StepKind::Unpark { parked } => format!("after {}", short(*parked)),
    };
    format!("{:<6} {text}", name(&step.kind))
}

/// The kind's name, as `CLOCKWORK_LOG` spells it.
fn name(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Spawn { .. } => "spawn",
        StepKind::PollStart { .. } => "start",
        StepKind::PollEnd { .. } => "poll",
        StepKind::MainPoll { .. } => "main",
        StepKind::Wake { .. } => "wake",
        StepKind::Cancelled { .. } => "cancel",
        StepKind::Park { .. } => "park",
        StepKind::Unpark { .. } => "unpark",
    }
}
