//! Clockwork's side of a [`Log`]: its events, as the harness's event hook received them.
//!
//! Clockwork already records everything a `Log` holds (`clockwork::trace::EventKind`); this
//! file mostly renames. What changes on the way, so that the two sides count the same things:
//!
//! - Task ids become spawn numbers: Clockwork's ids count across every runtime of the process,
//!   a `Log` counts per run.
//! - The timer, the reactor and the runtime itself all become [`Origin::Driver`], since tokio's
//!   side cannot tell them apart.
//! - The task Clockwork spawns to wait for a `spawn_blocking` job is left out: tokio runs the
//!   job as a task of its blocking pool, which the `rt` shim does not see. The wake it gives
//!   the task awaiting the job becomes a wake from another thread, as on tokio, where the pool
//!   thread wakes that task itself.
//! - A task cancelled before its next poll (aborted, or alive at shutdown) is a `Cancelled`
//!   step, not a poll: Clockwork drops it from its run loop, tokio from wherever it is.

use std::collections::{HashMap, HashSet};

use clockwork::task::Id;
use clockwork::trace::{Event, EventKind, ParkReason, PollResult, WokenBy};

use crate::harness::Runtime;
use crate::record::{Log, Origin, Step, StepKind, TaskNo};

/// Turns the events of one Clockwork run into its `Log`.
pub fn log(events: &[Event]) -> Log {
    let mut numbers: HashMap<Id, TaskNo> = HashMap::new();
    let mut steps = Vec::new();
    let mut woken = HashSet::new();
    for event in events {
        // A new task gets the next number before its spawn is converted.
        if let EventKind::Spawn { task, name, .. } = &event.kind {
            if name.as_deref() != Some(BLOCKING_WAITER) {
                let next = numbers.len() as TaskNo + 1;
                numbers.insert(*task, next);
            }
        }
        for mut kind in kinds(&event.kind, &numbers) {
            match &mut kind {
                // A wake is a first wake as on tokio's side: none since the last poll started.
                StepKind::PollStart { task } => _ = woken.remove(task),
                StepKind::Wake { task, first, .. } => *first = woken.insert(*task),
                // The poll that found the task cancelled was no poll: take its start back.
                StepKind::Cancelled { task } => unstart(&mut steps, *task),
                _ => {}
            }
            steps.push(Step { at: event.at, kind });
        }
    }
    Log { runtime: Runtime::Clockwork, steps }
}

/// The name Clockwork gives the task that waits for a `spawn_blocking` job.
const BLOCKING_WAITER: &str = "spawn_blocking";

/// Removes the last `PollStart` of `task`.
fn unstart(steps: &mut Vec<Step>, task: TaskNo) {
    let start = steps.iter().rposition(|step| step.kind == StepKind::PollStart { task });
    if let Some(index) = start {
        steps.remove(index);
    }
}

/// The steps of one event: none for the kinds a `Log` leaves out (timers fired, I/O ready,
/// warnings) or for a task it does not number.
fn kinds(kind: &EventKind, numbers: &HashMap<Id, TaskNo>) -> Vec<StepKind> {
    let no = |id: &Id| numbers.get(id).copied();
    let step = match kind {
        EventKind::Spawn { task, location, .. } => {
            no(task).map(|task| StepKind::Spawn { task, location })
        }
        EventKind::PollStart { task, .. } => no(task).map(|task| StepKind::PollStart { task }),
        EventKind::PollEnd { task, result, busy } => {
            let Some(task) = no(task) else { return Vec::new() };
            if *result == PollResult::Cancelled {
                return vec![StepKind::Cancelled { task }];
            }
            let ready = matches!(result, PollResult::Ready | PollResult::Panicked);
            Some(StepKind::PollEnd { task, ready, busy: *busy })
        }
        EventKind::BlockOnPoll { busy, ready } => {
            Some(StepKind::MainPoll { ready: *ready, busy: *busy })
        }
        EventKind::Wake { task, by, .. } => {
            no(task).map(|task| StepKind::Wake { task, by: origin(*by, numbers), first: true })
        }
        EventKind::Park { reason, .. } => {
            Some(StepKind::Park { peek: *reason == ParkReason::Peek })
        }
        EventKind::Unpark { parked, .. } => Some(StepKind::Unpark { parked: *parked }),
        _ => None,
    };
    step.into_iter().collect()
}

/// Who woke a task, in a `Log`'s words.
fn origin(by: WokenBy, numbers: &HashMap<Id, TaskNo>) -> Origin {
    match by {
        // A task without a number is a `spawn_blocking` waiter, passing on its job's wake.
        WokenBy::Task(id) => numbers.get(&id).map_or(Origin::OtherThread, |no| Origin::Task(*no)),
        WokenBy::BlockOn => Origin::BlockOn,
        WokenBy::OtherThread => Origin::OtherThread,
        WokenBy::Reactor | WokenBy::Timer { .. } | WokenBy::Runtime => Origin::Driver,
    }
}
