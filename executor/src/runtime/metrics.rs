//! Counters of what the runtime and each task have done, as the public [`RuntimeMetrics`] and
//! [`TaskMetrics`].
//!
//! The counts (polls, wakes, self-wakes, who woke a task last) are always kept: each is one
//! relaxed atomic operation on a path that already touches the task's header (the per-task ones
//! live in [`TaskStats`], the runtime's in the tracer's `Counters`). The times (busy time, time
//! from wake to poll) need a precise clock read per poll, so they are kept only while polls are
//! timed (see `trace.rs`).

use std::panic::Location;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::task::Id;
use crate::task::raw::TaskRef;
use crate::task::stats::TaskStats;
use crate::trace::{Tracer, WokenBy};

// === TaskStats in the runtime's words ===

impl TaskStats {
    /// Notes who queued the task (for the task table's "last woken by").
    pub(crate) fn set_woken_by(&self, by: WokenBy) {
        self.last_woken_by.store(by.pack(), Ordering::Relaxed);
    }

    /// Who queued the task last, if anyone did.
    pub(crate) fn last_woken_by(&self) -> Option<WokenBy> {
        WokenBy::unpack(self.last_woken_by.load(Ordering::Relaxed))
    }
}

/// A snapshot of the runtime's counters, from [`Runtime::metrics`](crate::runtime::Runtime::metrics).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuntimeMetrics {
    /// Tasks spawned and not yet finished.
    pub tasks_alive: usize,
    /// Tasks spawned since the runtime was built.
    pub tasks_spawned: u64,
    /// Polls of spawned tasks (the `block_on` future is not counted).
    pub polls: u64,
    /// Wakes of tasks (a wake of an already-queued task counts too; the `block_on` future's
    /// do not).
    pub wakes: u64,
    /// Times the runtime thread went to sleep in the driver.
    pub parks: u64,
    /// Tasks waiting in the run queue right now.
    pub run_queue_len: usize,
    /// Timers filed in the wheel right now.
    pub timers: usize,
    /// Timers that fired since the runtime was built.
    pub timers_fired: u64,
    /// I/O events the reactor dispatched since the runtime was built.
    pub io_events: u64,
    /// Time spent polling tasks. Zero unless polls are timed (warnings on, the default, or
    /// events recorded).
    pub busy: Duration,
    /// Time spent in the driver, asleep or peeking.
    pub parked: Duration,
}

/// One task's counters, from [`Runtime::task_metrics`](crate::runtime::Runtime::task_metrics).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskMetrics {
    /// The task's id.
    pub id: Id,
    /// Its name, if it was given one with `task::Builder::name`.
    pub name: Option<String>,
    /// Where it was spawned.
    pub location: &'static Location<'static>,
    /// Times it was polled.
    pub polls: u64,
    /// Times its waker fired. (A task's counts are kept in its header as 32-bit counters that
    /// stop at `u32::MAX`, about 4.3 billion, rather than wrap; the wake count is two of them,
    /// one for wakes on the runtime's thread and one for the others.)
    pub wakes: u64,
    /// Polls during which it woke itself (so it went straight back to the queue).
    pub self_wakes: u64,
    /// Polls that ended because it spent its cooperative budget (`task::coop`).
    pub forced_yields: u64,
    /// Time spent inside its polls (zero unless polls are timed).
    pub busy: Duration,
    /// Total time between a wake (or the spawn) and the poll it caused: how long it waited in
    /// the run queue (zero unless polls are timed).
    pub scheduled: Duration,
    /// Who woke it last, if anyone did.
    pub last_woken_by: Option<WokenBy>,
}

// === building them ===

impl RuntimeMetrics {
    /// The runtime's counters, plus what is summed from the live tasks right now.
    pub(crate) fn new<'a>(
        trace: &Tracer,
        tasks: impl Iterator<Item = &'a TaskRef>,
        run_queue_len: usize,
        timers: usize,
    ) -> RuntimeMetrics {
        let counters = &trace.counters;
        let mut tasks_alive = 0;
        let mut wakes = counters.wakes_of_finished.get();
        for task in tasks {
            tasks_alive += 1;
            wakes += task.header().stats.wakes();
        }
        RuntimeMetrics {
            tasks_alive,
            tasks_spawned: counters.tasks_spawned.get(),
            polls: counters.polls.get(),
            wakes,
            parks: counters.parks.get(),
            run_queue_len,
            timers,
            timers_fired: counters.timers_fired.get(),
            io_events: counters.io_events.get(),
            busy: counters.busy.get(),
            parked: counters.parked.get(),
        }
    }
}

impl TaskMetrics {
    /// One task's counters, read from its header, and its times, from the tracer.
    pub(crate) fn of(task: &TaskRef, trace: &Tracer) -> TaskMetrics {
        let header = task.header();
        let stats = &header.stats;
        let timing = trace.timing(header);
        TaskMetrics {
            id: header.meta.id,
            name: header.meta.name().map(String::from),
            location: header.meta.location,
            polls: stats.polls(),
            wakes: stats.wakes(),
            self_wakes: stats.self_wakes(),
            forced_yields: stats.forced_yields(),
            busy: timing.busy,
            scheduled: timing.scheduled,
            last_woken_by: stats.last_woken_by(),
        }
    }
}
