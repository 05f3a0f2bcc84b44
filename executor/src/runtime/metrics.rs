//! Counters of what the runtime and each task have done.

use std::sync::atomic::{AtomicU64, Ordering};

/// Per-task counters, kept in the task's header. Atomics only because wakes may come from any
/// thread; `Relaxed` is enough for counters that order nothing.
#[derive(Debug, Default)]
pub(crate) struct TaskStats {
    polls: AtomicU64,
    wakes: AtomicU64,
}

impl TaskStats {
    pub(crate) fn record_poll(&self) {
        self.polls.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_wake(&self) {
        self.wakes.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }
    pub(crate) fn wakes(&self) -> u64 {
        self.wakes.load(Ordering::Relaxed)
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
}
