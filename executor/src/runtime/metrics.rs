//! Counters of what the runtime and each task have done.
//!
//! The counts (polls, wakes, self-wakes, who woke a task last) are always kept: each is one
//! relaxed atomic operation on a path that already touches the task's header. The times (busy
//! time, time from wake to poll) need a clock read per poll, so they are kept only while polls
//! are timed: when warnings are on (the default) or events are recorded (see `trace.rs`).

use std::panic::Location;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Duration;

use crate::task::Id;
use crate::trace::WokenBy;

/// Per-task counters, kept in the task's header. Atomics only because wakes may come from any
/// thread; `Relaxed` is enough for counters that order nothing.
#[derive(Debug)]
pub(crate) struct TaskStats {
    polls: AtomicU64,
    wakes: AtomicU64,
    /// Polls after which the task was requeued because it woke itself during the poll.
    self_wakes: AtomicU64,
    /// Nanoseconds spent inside this task's polls (only while polls are timed).
    busy_ns: AtomicU64,
    /// Nanoseconds between a wake (or the spawn) and the poll it caused (only while timed).
    scheduled_ns: AtomicU64,
    /// When the pending wake happened, in ns since the runtime started, plus one; 0 when none.
    woken_at_ns: AtomicU64,
    /// The last `WokenBy` that queued this task, packed (see `WokenBy::pack`).
    last_woken_by: AtomicU64,
    /// One bit per `Warning` already given for this task, so each is given once.
    pub(crate) warned: AtomicU8,
    /// When the task was spawned, in nanoseconds on the coarse clock (`trace/clock.rs`), for
    /// its age in the dump. The runtime fills it in (`Tracer::spawned`) from a reading it
    /// already has when it can: a clock read per spawn would cost about as much as the rest of
    /// the spawn's bookkeeping.
    spawned_at_ns: AtomicU64,
}

impl Default for TaskStats {
    fn default() -> TaskStats {
        TaskStats {
            polls: AtomicU64::new(0),
            wakes: AtomicU64::new(0),
            self_wakes: AtomicU64::new(0),
            busy_ns: AtomicU64::new(0),
            scheduled_ns: AtomicU64::new(0),
            woken_at_ns: AtomicU64::new(0),
            last_woken_by: AtomicU64::new(0),
            warned: AtomicU8::new(0),
            spawned_at_ns: AtomicU64::new(0),
        }
    }
}

impl TaskStats {
    pub(crate) fn set_spawned_at(&self, at: Duration) {
        self.spawned_at_ns.store(nanos(at), Ordering::Relaxed);
    }
    /// When the task was spawned, on the coarse clock.
    pub(crate) fn spawned_at(&self) -> Duration {
        Duration::from_nanos(self.spawned_at_ns.load(Ordering::Relaxed))
    }
    /// Only the runtime thread polls, so a load and a store do (no read-modify-write).
    pub(crate) fn record_poll(&self) {
        let polls = self.polls.load(Ordering::Relaxed);
        self.polls.store(polls + 1, Ordering::Relaxed);
    }
    pub(crate) fn record_wake(&self) {
        self.wakes.fetch_add(1, Ordering::Relaxed);
    }
    /// Only the runtime thread requeues a task after its poll.
    pub(crate) fn record_self_wake(&self) {
        let self_wakes = self.self_wakes.load(Ordering::Relaxed);
        self.self_wakes.store(self_wakes + 1, Ordering::Relaxed);
    }
    pub(crate) fn record_busy(&self, busy: Duration) {
        self.busy_ns.fetch_add(nanos(busy), Ordering::Relaxed);
    }
    pub(crate) fn set_woken_by(&self, by: WokenBy) {
        self.last_woken_by.store(by.pack(), Ordering::Relaxed);
    }
    /// Notes when a wake (or the spawn) queued the task; `since_start` is the runtime's clock.
    pub(crate) fn set_woken_at(&self, since_start: Duration) {
        self.woken_at_ns.store(nanos(since_start) + 1, Ordering::Relaxed);
    }
    /// At the start of a poll: adds the time since the pending wake to the scheduled time.
    pub(crate) fn record_poll_start(&self, since_start: Duration) {
        let woken_at_ns = self.woken_at_ns.swap(0, Ordering::Relaxed);
        if woken_at_ns != 0 {
            let waited_ns = nanos(since_start).saturating_sub(woken_at_ns - 1);
            self.scheduled_ns.fetch_add(waited_ns, Ordering::Relaxed);
        }
    }
    pub(crate) fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }
    pub(crate) fn wakes(&self) -> u64 {
        self.wakes.load(Ordering::Relaxed)
    }
    pub(crate) fn self_wakes(&self) -> u64 {
        self.self_wakes.load(Ordering::Relaxed)
    }
    pub(crate) fn busy(&self) -> Duration {
        Duration::from_nanos(self.busy_ns.load(Ordering::Relaxed))
    }
    pub(crate) fn scheduled(&self) -> Duration {
        Duration::from_nanos(self.scheduled_ns.load(Ordering::Relaxed))
    }
    pub(crate) fn last_woken_by(&self) -> Option<WokenBy> {
        WokenBy::unpack(self.last_woken_by.load(Ordering::Relaxed))
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
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
    /// Times its waker fired.
    pub wakes: u64,
    /// Polls during which it woke itself (so it went straight back to the queue).
    pub self_wakes: u64,
    /// Time spent inside its polls (zero unless polls are timed).
    pub busy: Duration,
    /// Total time between a wake (or the spawn) and the poll it caused: how long it waited in
    /// the run queue (zero unless polls are timed).
    pub scheduled: Duration,
    /// Who woke it last, if anyone did.
    pub last_woken_by: Option<WokenBy>,
}
