//! The task lifecycle as a state machine over one atomic word.
//!
//! Every task carries a [`State`]: a handful of flags in an [`AtomicUsize`]. The runtime thread,
//! wakers on any thread and the task's [`JoinHandle`] all move the task through its lifecycle by
//! changing these flags, so every change is a compare-and-swap. Each transition is a small
//! function that *returns what to do*; the caller performs the effect (push to a queue, drop the
//! future, wake the joiner). A reader can break on one `match` per decision.
//!
//! ```text
//!
//! [`JoinHandle`]: crate::task::JoinHandle
// ANCHOR: diagram
//!                         (1) spawn
//!                            |
//!                            v
//!        (3) wake      +-----------+   (2) popped by the run loop
//!     +--------------->| SCHEDULED |---------------------------+
//!     |                +-----------+                           |
//!     |                                                        v
//! +------+   (4) poll returned Pending, no wake      +---------+
//! | IDLE |<------------------------------------------| RUNNING |
//! +------+                                           +---------+
//!     |                                               |  |   ^
//!     | (7) abort                  (5) wake during    |  |   | (6) poll returned Pending:
//!     v                                poll           |  |   |     requeued exactly once
//! +-----------+                                       |  v   |
//! | CANCELLED |                        +--------------------------+
//! | +SCHEDULED|                        | RUNNING + NOTIFIED       |
//! +-----------+                        | (RUNNING and SCHEDULED)  |
//!     |                                +--------------------------+
//!     | (8) popped: drop the future                   |
//!     v                                               | (9) poll returned Ready, or panicked
//! +----------+ <----------------------------------------+
//! | COMPLETE |
//! +----------+
// ANCHOR_END: diagram
//! ```
//!
//! Legend: each number is a call path.
//!
//! 1. [`spawn`] -> [`Core::spawn`] -> `raw::new_task` -> [`State::new`] (born
//!    SCHEDULED) -> [`Core::push_local`].
//! 2. [`Core::run_batch`] -> [`TaskRef::poll`] -> [`State::transition_to_running`] returns
//!    [`Start::Poll`].
//! 3. `Waker::wake` -> [`Header::wake_by_ref`] -> [`State::transition_to_notified`] returns
//!    [`WakeAction::Submit`] -> [`Schedule::wake`] -> the runtime's run queue.
//! 4. `TaskCell::poll` -> [`State::transition_to_idle`] returns [`AfterPoll::Idle`].
//! 5. `Waker::wake` during the poll -> [`State::transition_to_notified`] sets SCHEDULED but
//!    returns [`WakeAction::DoNothing`]: the task is not in any queue yet, and the poller will
//!    requeue it.
//! 6. `TaskCell::poll` -> [`State::transition_to_idle`] returns [`AfterPoll::Requeue`] ->
//!    [`Core::run_task`] pushes it to the back of the run queue.
//! 7. [`JoinHandle::abort`] -> [`Header::abort`] -> [`State::transition_to_cancelled`] returns
//!    [`WakeAction::Submit`] when the task was idle -> [`Schedule::schedule`], so the run loop
//!    gets to drop the future on its own thread.
//! 8. [`TaskRef::poll`] -> [`State::transition_to_running`] returns [`Start::Cancel`].
//! 9. `TaskCell::complete` -> [`State::transition_to_complete`]; its snapshot says whether a
//!    [`JoinHandle`] is waiting (wake it) or gone (drop the output here).
//!
//! Cancellation by abort can also land while the task is RUNNING (the task aborts itself, or
//! another thread aborts it): then `transition_to_idle` returns [`AfterPoll::Cancel`] after the
//! poll.
//!
//! [`spawn`]: crate::spawn
//! [`Core::spawn`]: crate::runtime::core::Core::spawn
//! [`Core::push_local`]: crate::runtime::core::Core::push_local
//! [`Core::run_batch`]: crate::runtime::core::Core::run_batch
//! [`TaskRef::poll`]: crate::task::raw::TaskRef::poll
//! [`Header::wake_by_ref`]: crate::task::raw::Header::wake_by_ref
//! [`Schedule::wake`]: crate::task::raw::Schedule::wake
//! [`Core::run_task`]: crate::runtime::core::Core::run_task
//! [`JoinHandle::abort`]: crate::task::JoinHandle::abort
//! [`Header::abort`]: crate::task::raw::Header::abort
//! [`Schedule::schedule`]: crate::task::raw::Schedule::schedule
//! [`JoinHandle`]: crate::task::JoinHandle

use std::fmt;

use crate::loom::sync::atomic::{AtomicUsize, Ordering};

/// The task is in a run queue, or was woken while running and will be requeued after its poll.
const SCHEDULED: usize = 1 << 0;
/// The run loop is polling the future right now (or dropping it).
const RUNNING: usize = 1 << 1;
/// The future is gone and the output (or the error) is stored. Never unset.
const COMPLETE: usize = 1 << 2;
/// `abort` was called: the next time the run loop picks the task up, it drops the future.
const CANCELLED: usize = 1 << 3;
/// A `JoinHandle` still exists and will read the output.
const JOIN_INTEREST: usize = 1 << 4;
/// The `JoinHandle` stored a waker in the task's join-waker slot; the runtime may read the slot.
const JOIN_WAKER: usize = 1 << 5;

/// The lifecycle flags of one task.
pub(crate) struct State {
    word: AtomicUsize,
}

/// A copy of the flags at one moment, decoded for `Debug` and for the transitions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snapshot(usize);

/// What the waker (or `abort`) must do after a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WakeAction {
    /// The task was idle: push it to a run queue now.
    Submit,
    /// The task is already queued, running (the poller requeues it) or complete.
    DoNothing,
}

/// What the run loop must do with a task it popped from the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// Poll the future.
    Poll,
    /// The task was aborted: drop the future and complete with `JoinError::Cancelled`.
    Cancel,
    /// The task already completed (for example at shutdown); just drop the queue's reference.
    Skip,
}

/// What the run loop must do after a poll returned `Pending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterPoll {
    /// Nobody woke the task: it waits for a waker.
    Idle,
    /// The task was woken during its own poll: push it to the back of the run queue, once.
    Requeue,
    /// The task was aborted during its poll: drop the future now.
    Cancel,
}

impl State {
    /// A new task is scheduled (it goes straight into the run queue) and has a `JoinHandle`.
    pub(crate) fn new() -> State {
        State { word: AtomicUsize::new(SCHEDULED | JOIN_INTEREST) }
    }

    pub(crate) fn load(&self) -> Snapshot {
        Snapshot(self.word.load(Ordering::Acquire))
    }

    /// Applies `step` until the compare-and-swap succeeds. `step` returns the new word (or `None`
    /// to leave it unchanged) and the answer to give back.
    fn update<R>(&self, mut step: impl FnMut(Snapshot) -> (Option<Snapshot>, R)) -> R {
        let mut current = self.load();
        loop {
            let (next, answer) = step(current);
            let Some(next) = next else { return answer };
            match self.word.compare_exchange_weak(
                current.0,
                next.0,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return answer,
                Err(actual) => current = Snapshot(actual),
            }
        }
    }

    /// Arrows 3 and 5: a waker fired.
    pub(crate) fn transition_to_notified(&self) -> WakeAction {
        self.update(|s| {
            if s.is_complete() || s.is_scheduled() {
                (None, WakeAction::DoNothing)
            } else if s.is_running() {
                (Some(s.with(SCHEDULED)), WakeAction::DoNothing)
            } else {
                (Some(s.with(SCHEDULED)), WakeAction::Submit)
            }
        })
    }

    /// Arrows 2 and 8: the run loop popped the task from its queue.
    pub(crate) fn transition_to_running(&self) -> Start {
        self.update(|s| {
            debug_assert!(!s.is_running(), "a task is polled by one run loop at a time: {s:?}");
            if s.is_complete() {
                return (None, Start::Skip);
            }
            let next = s.without(SCHEDULED).with(RUNNING);
            let start = if s.is_cancelled() { Start::Cancel } else { Start::Poll };
            (Some(next), start)
        })
    }

    /// Arrows 4 and 6: the poll returned `Pending`.
    pub(crate) fn transition_to_idle(&self) -> AfterPoll {
        self.update(|s| {
            debug_assert!(s.is_running(), "only a running task can go idle: {s:?}");
            if s.is_cancelled() {
                // Stay RUNNING: the caller drops the future before anyone else may look.
                (None, AfterPoll::Cancel)
            } else if s.is_scheduled() {
                (Some(s.without(RUNNING)), AfterPoll::Requeue)
            } else {
                (Some(s.without(RUNNING)), AfterPoll::Idle)
            }
        })
    }

    /// Arrow 9: the output (or error) is stored. Returns the flags as they were just before.
    pub(crate) fn transition_to_complete(&self) -> Snapshot {
        self.update(|s| {
            debug_assert!(!s.is_complete(), "a task completes once: {s:?}");
            (Some(s.with(COMPLETE).without(RUNNING | SCHEDULED)), s)
        })
    }

    /// The runtime is shutting down and claims the task to drop its future. False if the task
    /// already completed.
    pub(crate) fn transition_to_shutdown(&self) -> bool {
        self.update(|s| {
            if s.is_complete() || s.is_running() {
                (None, false)
            } else {
                (Some(s.with(RUNNING)), true)
            }
        })
    }

    /// Arrow 7: `abort` was called, from any thread.
    pub(crate) fn transition_to_cancelled(&self) -> WakeAction {
        self.update(|s| {
            if s.is_complete() || s.is_cancelled() {
                (None, WakeAction::DoNothing)
            } else if s.is_running() || s.is_scheduled() {
                (Some(s.with(CANCELLED)), WakeAction::DoNothing)
            } else {
                (Some(s.with(CANCELLED | SCHEDULED)), WakeAction::Submit)
            }
        })
    }

    /// The `JoinHandle` is being dropped. `Err` means the task already completed, so the handle
    /// owns the output and must drop it.
    pub(crate) fn unset_join_interest(&self) -> Result<(), Snapshot> {
        self.update(|s| {
            if s.is_complete() {
                (None, Err(s))
            } else {
                (Some(s.without(JOIN_INTEREST | JOIN_WAKER)), Ok(()))
            }
        })
    }

    /// The `JoinHandle` wrote its waker into the slot and now publishes it. `Err` means the task
    /// completed first: the runtime will not read the slot, and the output is ready.
    pub(crate) fn set_join_waker(&self) -> Result<(), Snapshot> {
        self.update(|s| {
            debug_assert!(!s.has_join_waker(), "the join waker is published once: {s:?}");
            if s.is_complete() { (None, Err(s)) } else { (Some(s.with(JOIN_WAKER)), Ok(())) }
        })
    }

    /// The `JoinHandle` takes the slot back to replace its waker. `Err` means the task completed
    /// first, and the runtime is (or was) reading the slot.
    pub(crate) fn unset_join_waker(&self) -> Result<(), Snapshot> {
        self.update(|s| {
            if s.is_complete() { (None, Err(s)) } else { (Some(s.without(JOIN_WAKER)), Ok(())) }
        })
    }
}

// === impl Snapshot ===

impl Snapshot {
    fn with(self, flags: usize) -> Snapshot {
        Snapshot(self.0 | flags)
    }
    fn without(self, flags: usize) -> Snapshot {
        Snapshot(self.0 & !flags)
    }
    pub(crate) fn is_scheduled(self) -> bool {
        self.0 & SCHEDULED != 0
    }
    pub(crate) fn is_running(self) -> bool {
        self.0 & RUNNING != 0
    }
    pub(crate) fn is_complete(self) -> bool {
        self.0 & COMPLETE != 0
    }
    pub(crate) fn is_cancelled(self) -> bool {
        self.0 & CANCELLED != 0
    }
    pub(crate) fn has_join_interest(self) -> bool {
        self.0 & JOIN_INTEREST != 0
    }
    pub(crate) fn has_join_waker(self) -> bool {
        self.0 & JOIN_WAKER != 0
    }
    /// A one-word name for the task table: the lifecycle states of the diagram above.
    pub(crate) fn name(self) -> &'static str {
        match (self.is_complete(), self.is_running(), self.is_scheduled(), self.is_cancelled()) {
            (true, ..) => "complete",
            (false, true, true, _) => "running+notified",
            (false, true, false, _) => "running",
            (false, false, true, true) => "cancelling",
            (false, false, true, false) => "scheduled",
            (false, false, false, _) => "idle",
        }
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("lifecycle", &self.name())
            .field("scheduled", &self.is_scheduled())
            .field("running", &self.is_running())
            .field("complete", &self.is_complete())
            .field("cancelled", &self.is_cancelled())
            .field("join_interest", &self.has_join_interest())
            .field("join_waker", &self.has_join_waker())
            .finish()
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.load().fmt(f)
    }
}

#[cfg(all(test, not(loom)))]
mod tests;

#[cfg(all(test, loom))]
mod loom_tests;
