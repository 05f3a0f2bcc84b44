//! What the runtime and its tools note about one task, kept in the task's header.
//!
//! The task cell never reads these fields: they are space in the header that the runtime fills
//! in (where it filed the task, who woke it last) and that its tools read (the task table, the
//! warnings, `Runtime::task_metrics`). Keeping them in the header, next to the state word the
//! run loop touches anyway, makes each update a store into a cache line that is already loaded;
//! keeping the *type* here, in `task/`, means the task cell needs nothing from the runtime.
//!
//! They cost 40 bytes per task (48 with the `tracing` feature), so they are kept small: counts
//! are `u32`s that saturate (the wake count is two of them, see `wakes_here`), and the precise
//! times (busy time, time from wake to poll), which only `time_polls(true)` or an event
//! listener asks for, live in the tracer instead, in a table that exists only while polls are
//! timed (`trace.rs`).
//! The methods that speak the runtime's own words (who woke the task, as a `WokenBy`) are in
//! `runtime/metrics.rs`.
//!
//! The fields are atomics only because wakes may come from any thread (and because `Header`
//! must be `Sync`); `Relaxed` is enough for counters that order nothing.
//!
//! With the `tracing` feature, the header also keeps the id of the task's `runtime.spawn`
//! span, and the task's wakers say what happens to them (`WakerOp`), so that tokio-console
//! can count them (`trace/console.rs`).

use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

/// Per-task notes, in the task's header.
#[derive(Debug)]
pub(crate) struct TaskStats {
    polls: AtomicU32,
    /// Polls after which the task was requeued because it woke itself during the poll.
    self_wakes: AtomicU32,
    /// Polls that ended because the task spent its cooperative budget (`task::coop`).
    forced_yields: AtomicU32,
    /// Where the runtime filed the task: its index in the task table (`runtime/task_table.rs`).
    pub(crate) table_index: AtomicU32,
    /// Wakes handed to the run loop directly, on the runtime's thread while it is the current
    /// runtime there: nearly all of them (a `yield_now`, a channel between two tasks). Bumped
    /// by that thread alone, with a load and a store, no read-modify-write.
    wakes_here: AtomicU32,
    /// The other wakes: from another thread, or from this one while the runtime is not the
    /// current one (inside `block_in_place`, under another runtime's `enter`). These may race,
    /// so each is a read-modify-write.
    wakes_elsewhere: AtomicU32,
    /// The last `WokenBy` that queued this task, packed by `WokenBy::pack`; 0 when none.
    pub(crate) last_woken_by: AtomicU64,
    /// When the task was spawned, in milliseconds on the coarse clock (`trace/clock.rs`),
    /// modulo 2^32: ages are computed with a wrapping subtraction, right up to 49 days.
    spawned_at_ms: AtomicU32,
    /// One bit per `Warning` already given for this task, so each is given once.
    pub(crate) warned: AtomicU8,
    /// The id of the task's `runtime.spawn` span in the `tracing` subscriber (0: none, or
    /// closed). Wakers read it on any thread, to say which task their events are about.
    #[cfg(feature = "tracing")]
    pub(crate) span_id: AtomicU64,
}

/// What happened to one of a task's wakers: the four functions of its `RawWakerVTable`
/// (`waker.rs`). The task cell reports them to its scheduler (`Schedule::waker_op`), which
/// turns them into tokio's `runtime::waker` events.
#[cfg(feature = "tracing")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WakerOp {
    /// `Waker::clone`: one more waker.
    Clone,
    /// `Waker::wake`: a wake, and one waker fewer (it was consumed).
    Wake,
    /// `Waker::wake_by_ref`: a wake; the waker stays.
    WakeByRef,
    /// `Drop for Waker`: one waker fewer.
    Drop,
}

impl Default for TaskStats {
    fn default() -> TaskStats {
        TaskStats {
            polls: AtomicU32::new(0),
            self_wakes: AtomicU32::new(0),
            forced_yields: AtomicU32::new(0),
            table_index: AtomicU32::new(u32::MAX),
            wakes_here: AtomicU32::new(0),
            wakes_elsewhere: AtomicU32::new(0),
            last_woken_by: AtomicU64::new(0),
            spawned_at_ms: AtomicU32::new(0),
            warned: AtomicU8::new(0),
            #[cfg(feature = "tracing")]
            span_id: AtomicU64::new(0),
        }
    }
}

/// Adds one to a counter that only the runtime thread changes: a load and a store, with no
/// read-modify-write, saturating rather than wrapping.
fn bump(counter: &AtomicU32) {
    let count = counter.load(Ordering::Relaxed);
    counter.store(count.saturating_add(1), Ordering::Relaxed);
}

impl TaskStats {
    /// Notes the spawn time, `at` on the coarse clock.
    pub(crate) fn set_spawned_at(&self, at: Duration) {
        self.spawned_at_ms.store(at.as_millis() as u32, Ordering::Relaxed);
    }
    /// How long ago the task was spawned, given `now` on the coarse clock.
    pub(crate) fn age(&self, now: Duration) -> Duration {
        let now_ms = now.as_millis() as u32;
        let age_ms = now_ms.wrapping_sub(self.spawned_at_ms.load(Ordering::Relaxed));
        Duration::from_millis(u64::from(age_ms))
    }
    pub(crate) fn record_poll(&self) {
        bump(&self.polls);
    }
    /// A wake on the runtime's thread; only that thread calls this.
    pub(crate) fn record_wake_here(&self) {
        bump(&self.wakes_here);
    }
    /// A wake that did not reach the run loop directly (saturating, like the others).
    pub(crate) fn record_wake_elsewhere(&self) {
        let _ = self
            .wakes_elsewhere
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |count| count.checked_add(1));
    }
    pub(crate) fn record_self_wake(&self) {
        bump(&self.self_wakes);
    }
    pub(crate) fn record_forced_yield(&self) {
        bump(&self.forced_yields);
    }
    pub(crate) fn polls(&self) -> u64 {
        u64::from(self.polls.load(Ordering::Relaxed))
    }
    pub(crate) fn wakes(&self) -> u64 {
        let here = self.wakes_here.load(Ordering::Relaxed);
        u64::from(here) + u64::from(self.wakes_elsewhere.load(Ordering::Relaxed))
    }
    pub(crate) fn self_wakes(&self) -> u64 {
        u64::from(self.self_wakes.load(Ordering::Relaxed))
    }
    pub(crate) fn forced_yields(&self) -> u64 {
        u64::from(self.forced_yields.load(Ordering::Relaxed))
    }
}
