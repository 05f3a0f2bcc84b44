//! One run's schedule, written the same way for both runtimes, so the two can be set side by side.
//!
//! Clockwork tells its events to a hook (`Builder::on_event`); tokio tells nobody, unless it is
//! built with `--cfg tokio_unstable`. So the two sides are gathered in two ways, and both end
//! up as the same [`Log`]: a list of [`Step`]s in time order. The table, the timeline, the
//! narration and `compare` then read only a `Log`, and never need to know which runtime wrote it.
//!
//! - `record/clockwork.rs` turns Clockwork's events into steps.
//! - `record/tokio.rs` wraps every future a pattern spawns on tokio, and its waker, in the `rt`
//!   shim of `on_tokio.rs`, and writes the steps itself.
//! - `record/narrate.rs` prints steps in the format of `CLOCKWORK_LOG`.
//!
//! Tasks are numbered per run, in spawn order, from 1: `task#1` is the first task the pattern
//! spawned on either runtime, so the same task has the same name on both sides.

pub mod clockwork;
pub mod narrate;
pub mod tokio;

use std::panic::Location;
use std::time::Duration;

use crate::harness::Runtime;

/// A task's number in its run: 1 for the first task spawned, 2 for the next, and so on.
pub type TaskNo = u64;

/// Everything one run did, in time order.
#[derive(Debug, Clone)]
pub struct Log {
    /// Which runtime ran it.
    pub runtime: Runtime,
    /// What happened, in order.
    pub steps: Vec<Step>,
}

/// One thing that happened, and when (since the runtime was built).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Time since the run started.
    pub at: Duration,
    /// What happened.
    pub kind: StepKind,
}

/// The things both runtimes can be seen to do.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// A task was spawned, here.
    Spawn { task: TaskNo, location: &'static Location<'static> },
    /// A poll of a task starts.
    PollStart { task: TaskNo },
    /// A poll of a task ended after `busy`; `ready` if the task completed.
    PollEnd { task: TaskNo, ready: bool, busy: Duration },
    /// The `block_on` future was polled (it is not a task).
    MainPoll { ready: bool, busy: Duration },
    /// A task's waker fired. `first` if it is the first wake since the task's last poll
    /// started: only a first wake causes a poll, the others find the task already woken.
    Wake { task: TaskNo, by: Origin, first: bool },
    /// The task was dropped before it completed (aborted, or alive at shutdown).
    Cancelled { task: TaskNo },
    /// The runtime thread went to sleep in its driver. `peek` for Clockwork's zero-timeout
    /// look at the driver between batches (tokio's equivalent calls no park hook).
    Park { peek: bool },
    /// It came back, after `parked`.
    Unpark { parked: Duration },
}

/// Who fired a waker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A task, during its poll on the runtime thread.
    Task(TaskNo),
    /// The `block_on` future, during its poll.
    BlockOn,
    /// The runtime thread outside any poll: its timer or its I/O driver.
    Driver,
    /// A thread other than the runtime's (a `spawn_blocking` thread, a signal handler's).
    OtherThread,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Task(task) => write!(f, "task#{task}"),
            Origin::BlockOn => f.write_str("the block_on future"),
            Origin::Driver => f.write_str("the driver (a timer or I/O)"),
            Origin::OtherThread => f.write_str("another thread"),
        }
    }
}

/// What a run did to one task, summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSummary {
    /// Its number.
    pub task: TaskNo,
    /// Where it was spawned.
    pub location: &'static Location<'static>,
    /// How many times it was polled.
    pub polls: u64,
    /// How many times its waker fired.
    pub wakes: u64,
}

// === impl Log ===

impl Log {
    /// The tasks spawned, in spawn order, with their polls and wakes.
    pub fn tasks(&self) -> Vec<TaskSummary> {
        let mut tasks: Vec<TaskSummary> = Vec::new();
        for step in &self.steps {
            match step.kind {
                StepKind::Spawn { task, location } => {
                    tasks.push(TaskSummary { task, location, polls: 0, wakes: 0 });
                }
                StepKind::PollStart { task } => {
                    summary(&mut tasks, task).into_iter().for_each(|t| t.polls += 1);
                }
                StepKind::Wake { task, .. } => {
                    summary(&mut tasks, task).into_iter().for_each(|t| t.wakes += 1);
                }
                _ => {}
            }
        }
        tasks
    }

    /// Polls and wakes of all tasks together (the `block_on` future's are not counted).
    pub fn polls_and_wakes(&self) -> (u64, u64) {
        let tasks = self.tasks();
        (tasks.iter().map(|t| t.polls).sum(), tasks.iter().map(|t| t.wakes).sum())
    }

    /// The tasks in the order they completed (a poll returned `Ready`).
    pub fn completion_order(&self) -> Vec<TaskNo> {
        let ready = self.steps.iter().filter_map(|step| match step.kind {
            StepKind::PollEnd { task, ready: true, .. } => Some(task),
            _ => None,
        });
        ready.collect()
    }

    /// How many times the thread parked (peeks not counted), and for how long in all.
    pub fn parks(&self) -> (u64, Duration) {
        let mut parks = 0;
        let mut parked = Duration::ZERO;
        let mut peeking = false;
        for step in &self.steps {
            match step.kind {
                StepKind::Park { peek } => peeking = peek,
                StepKind::Unpark { parked: slept } if !peeking => {
                    parks += 1;
                    parked += slept;
                }
                _ => {}
            }
        }
        (parks, parked)
    }

    /// How many times Clockwork peeked at its driver between batches (0 on tokio: see
    /// [`StepKind::Park`]).
    pub fn peeks(&self) -> u64 {
        let peeks = self.steps.iter().filter(|s| s.kind == StepKind::Park { peek: true });
        peeks.count() as u64
    }

    /// How many wakes came from each kind of waker: a task, the `block_on` future, the driver,
    /// another thread (in that order).
    pub fn wakes_by_origin(&self) -> [u64; 4] {
        let mut counts = [0; 4];
        for step in &self.steps {
            if let StepKind::Wake { by, .. } = step.kind {
                let index = match by {
                    Origin::Task(_) => 0,
                    Origin::BlockOn => 1,
                    Origin::Driver => 2,
                    Origin::OtherThread => 3,
                };
                counts[index] += 1;
            }
        }
        counts
    }

    /// How many wakes came from a thread other than the runtime's.
    pub fn wakes_from_other_threads(&self) -> u64 {
        let remote = self
            .steps
            .iter()
            .filter(|step| matches!(step.kind, StepKind::Wake { by: Origin::OtherThread, .. }));
        remote.count() as u64
    }
}

/// The summary of `task`, if its spawn is in the log.
fn summary(tasks: &mut [TaskSummary], task: TaskNo) -> Option<&mut TaskSummary> {
    tasks.iter_mut().find(|summary| summary.task == task)
}

/// `task#3 (demos/src/patterns/basic.rs:12)`: how the table, timeline and narration name a task.
pub fn label(task: TaskNo, location: &Location<'_>) -> String {
    format!("task#{task} ({}:{})", location.file(), location.line())
}
