//! What the runtime and its tools note about one task, kept in the task's header.
//!
//! The task cell never reads these fields: they are space in the header that the runtime fills
//! in (where it filed the task, who woke it last) and that its tools read (the task table, the
//! warnings, [`Runtime::task_metrics`]). Keeping them in the header, next to the state word the
//! run loop touches anyway, makes each update a store into a cache line that is already loaded;
//! keeping the *type* here, in `task/`, means the task cell needs nothing from the runtime.
//!
//! Counts are atomics only because wakes may come from any thread; `Relaxed` is enough for
//! counters that order nothing. The methods that speak the runtime's own words (who woke the
//! task, as a `WokenBy`) are in `runtime/metrics.rs`.
//!
//! [`Runtime::task_metrics`]: crate::runtime::Runtime::task_metrics

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Duration;

/// Per-task notes, in the task's header.
#[derive(Debug)]
pub(crate) struct TaskStats {
    polls: AtomicU64,
    wakes: AtomicU64,
    /// Polls after which the task was requeued because it woke itself during the poll.
    self_wakes: AtomicU64,
    /// Polls that ended because the task spent its cooperative budget (`task/coop.rs`).
    forced_yields: AtomicU64,
    /// Nanoseconds spent inside this task's polls (only while polls are timed).
    busy_ns: AtomicU64,
    /// Nanoseconds between a wake (or the spawn) and the poll it caused (only while timed).
    scheduled_ns: AtomicU64,
    /// When the pending wake happened, in ns since the runtime started, plus one; 0 when none.
    woken_at_ns: AtomicU64,
    /// The last `WokenBy` that queued this task, packed by `WokenBy::pack`; 0 when none.
    pub(crate) last_woken_by: AtomicU64,
    /// One bit per `Warning` already given for this task, so each is given once.
    pub(crate) warned: AtomicU8,
    /// When the task was spawned, in nanoseconds on the coarse clock (`trace/clock.rs`), for
    /// its age in the dump. The tracer fills it in from a reading it already has when it can: a
    /// clock read per spawn would cost about as much as the rest of the spawn's bookkeeping.
    spawned_at_ns: AtomicU64,
    /// Where the runtime filed the task in its task table: a [`clockwork_slab::Key`], packed.
    pub(crate) table_key: AtomicU64,
}

impl Default for TaskStats {
    fn default() -> TaskStats {
        TaskStats {
            polls: AtomicU64::new(0),
            wakes: AtomicU64::new(0),
            self_wakes: AtomicU64::new(0),
            forced_yields: AtomicU64::new(0),
            busy_ns: AtomicU64::new(0),
            scheduled_ns: AtomicU64::new(0),
            woken_at_ns: AtomicU64::new(0),
            last_woken_by: AtomicU64::new(0),
            warned: AtomicU8::new(0),
            spawned_at_ns: AtomicU64::new(0),
            table_key: AtomicU64::new(u64::MAX),
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
    /// Any thread may wake, so this one is a read-modify-write.
    pub(crate) fn record_wake(&self) {
        self.wakes.fetch_add(1, Ordering::Relaxed);
    }
    /// Only the runtime thread requeues a task after its poll.
    pub(crate) fn record_self_wake(&self) {
        let self_wakes = self.self_wakes.load(Ordering::Relaxed);
        self.self_wakes.store(self_wakes + 1, Ordering::Relaxed);
    }
    /// Only the runtime thread requeues a task after its poll.
    pub(crate) fn record_forced_yield(&self) {
        let forced_yields = self.forced_yields.load(Ordering::Relaxed);
        self.forced_yields.store(forced_yields + 1, Ordering::Relaxed);
    }
    pub(crate) fn record_busy(&self, busy: Duration) {
        self.busy_ns.fetch_add(nanos(busy), Ordering::Relaxed);
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
    pub(crate) fn forced_yields(&self) -> u64 {
        self.forced_yields.load(Ordering::Relaxed)
    }
    pub(crate) fn busy(&self) -> Duration {
        Duration::from_nanos(self.busy_ns.load(Ordering::Relaxed))
    }
    pub(crate) fn scheduled(&self) -> Duration {
        Duration::from_nanos(self.scheduled_ns.load(Ordering::Relaxed))
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
