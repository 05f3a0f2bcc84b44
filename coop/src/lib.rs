//! The cooperative budget: how a task that is always ready is made to give the others a turn.
//!
//! A task yields only where it awaits something that is not ready. A loop over a resource that
//! is always ready (a channel that always holds a message, an `interval` that is always late, a
//! socket that always has data) never yields, so on a single thread every other task starves:
//! the timer that should stop the loop never fires. tokio's answer, followed here, is a budget:
//!
//! 1. Before each poll of a task (and of the `block_on` future) the run loop gives it
//!    [`BUDGET`] units (`Budget::start` in `Core::run_task`).
//! 2. Every Clockwork resource spends one unit each time it is *ready*: a message received, a
//!    permit acquired, a timer elapsed, a socket ready, a task joined (`poll_proceed`).
//! 3. Once the units are spent, the next resource the task polls returns `Pending` even though
//!    it is ready, after waking the task: the task goes to the back of the run queue, and the
//!    others run. Its next poll starts with a fresh budget.
//!
//! A resource that is *not* ready spends nothing: the unit it took is given back when it
//! returns `Pending` ([`RestoreOnPending`]). So a task that waits normally never notices the
//! budget. Code that must not be interrupted runs inside [`unconstrained`].
//!
//! The budget is a `Cell` in a `const` thread-local: reading and writing it is a plain load and
//! store, with no lazy initialisation and no lookup of the runtime. Outside a poll the budget is
//! unconstrained, so a future polled by hand, or after `block_on` returned, never sees it.
//!
//! It is a crate of its own, below both the executor and the reactor, because both have
//! resources that spend it: the executor's channels, locks and timers, and the reactor's sockets
//! (`Registration::poll_ready_as`). The executor re-exports the public part as
//! `clockwork::task::coop`, tokio's path, and starts each poll's budget ([`Budget::start`]).

#![forbid(unsafe_code)]

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

/// Units of budget a task gets per poll: tokio's figure.
pub const BUDGET: u8 = 128;

thread_local! {
    /// The units left in the current poll (0 to [`BUDGET`]), or one of the two marks below.
    /// One byte in one cell, so that the run loop's start, check and end of a poll are three
    /// plain accesses to the same thread-local.
    static LEFT: Cell<u8> = const { Cell::new(UNCONSTRAINED) };
}

/// No budget applies: outside a poll, or inside [`unconstrained`].
const UNCONSTRAINED: u8 = u8::MAX;
/// The budget is spent, and a resource has turned the task away because of it.
const TURNED_AWAY: u8 = u8::MAX - 1;

/// The budget of one poll, given by the run loop; the previous one comes back when it drops.
/// For runtimes: a program never needs it.
#[derive(Debug)]
pub struct Budget {
    previous: u8,
}

impl Budget {
    /// Starts a poll with a full budget (`Core::run_task`, `Core::poll_main`).
    #[inline]
    pub fn start() -> Budget {
        Budget { previous: LEFT.replace(BUDGET) }
    }

    /// Whether a resource turned the task away for lack of budget during this poll.
    #[inline]
    pub fn forced_yield(&self) -> bool {
        LEFT.get() == TURNED_AWAY
    }
}

impl Drop for Budget {
    #[inline]
    fn drop(&mut self) {
        LEFT.set(self.previous);
    }
}

// ANCHOR: poll_proceed
/// Spends one unit of the current task's budget, or, if it is spent, wakes the task and
/// returns `Pending` so that it yields.
///
/// A resource calls this first, when it is polled. If the resource then turns out not to be
/// ready, dropping the returned [`RestoreOnPending`] gives the unit back; if it is ready, it
/// calls [`RestoreOnPending::made_progress`] to keep it spent.
#[inline]
pub fn poll_proceed(cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    match LEFT.get() {
        UNCONSTRAINED => Poll::Ready(RestoreOnPending { to: Cell::new(None) }),
        0 | TURNED_AWAY => {
            // Spent: go to the back of the queue. The wake makes the run loop requeue the task
            // once this poll returns (arrow 6 of the state diagram).
            LEFT.set(TURNED_AWAY);
            cx.waker().wake_by_ref();
            Poll::Pending
        }
        left => {
            LEFT.set(left - 1);
            Poll::Ready(RestoreOnPending { to: Cell::new(Some(left)) })
        }
    }
}
// ANCHOR_END: poll_proceed

/// A unit of budget taken by [`poll_proceed`], given back on drop unless the resource made
/// progress.
#[derive(Debug)]
#[must_use = "dropping it gives the unit back; call made_progress once the resource is ready"]
pub struct RestoreOnPending {
    /// The budget to restore, or `None` when there is nothing to give back.
    to: Cell<Option<u8>>,
}

impl RestoreOnPending {
    /// The resource was ready: the unit stays spent.
    pub fn made_progress(&self) {
        self.to.set(None);
    }
}

impl Drop for RestoreOnPending {
    fn drop(&mut self) {
        if let Some(to) = self.to.get() {
            LEFT.set(to);
        }
    }
}

/// True unless the current task has spent its budget (always true outside a task).
pub fn has_budget_remaining() -> bool {
    !matches!(LEFT.get(), 0 | TURNED_AWAY)
}

/// Spends one unit of budget, yielding first if it is spent: a point where a loop that touches
/// no Clockwork resource can let the others run.
pub async fn consume_budget() {
    let mut spent = false;
    std::future::poll_fn(move |cx| {
        if spent {
            return Poll::Ready(());
        }
        let restore = ready!(poll_proceed(cx));
        restore.made_progress();
        spent = true;
        Poll::Ready(())
    })
    .await
}

/// Runs `f` with no budget: `block_in_place`'s closure may poll futures of its own (with
/// `futures::executor::block_on`, say), which the task's budget must not stop, as in tokio.
pub fn without_budget<R>(f: impl FnOnce() -> R) -> R {
    /// Gives the budget back even when `f` panics.
    struct Restore(u8);
    impl Drop for Restore {
        fn drop(&mut self) {
            LEFT.set(self.0);
        }
    }
    let _restore = Restore(LEFT.replace(UNCONSTRAINED));
    f()
}

/// Runs `future` with no budget: the resources it polls never make it yield.
///
/// For code that must not be interrupted, and for seeing what starvation looks like (the
/// `starvation` demo).
pub fn unconstrained<F: Future>(future: F) -> Unconstrained<F> {
    Unconstrained { future }
}

pin_project! {
    /// The future of [`unconstrained`].
    #[derive(Debug)]
    #[must_use = "futures do nothing unless polled"]
    pub struct Unconstrained<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for Unconstrained<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let previous = LEFT.replace(UNCONSTRAINED);
        let poll = self.project().future.poll(cx);
        LEFT.set(previous);
        poll
    }
}

/// Makes `future` spend budget like a Clockwork resource: one unit when it is ready, and a
/// forced yield, before polling it, once the budget is spent. For resources from other crates
/// (a `futures` channel, say).
pub fn cooperative<F: Future>(future: F) -> Coop<F> {
    Coop { future }
}

pin_project! {
    /// The future of [`cooperative`].
    #[derive(Debug)]
    #[must_use = "futures do nothing unless polled"]
    pub struct Coop<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for Coop<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let restore = ready!(poll_proceed(cx));
        let poll = self.project().future.poll(cx);
        if poll.is_ready() {
            restore.made_progress();
        }
        poll
    }
}

/// Runs one poll of a Clockwork resource under the budget: `Pending` (after a wake) if the
/// budget is spent, else `poll(cx)`, with the unit kept only if that was ready. The channels and
/// the sockets wrap their polls in it.
#[inline]
pub fn budgeted<T>(
    cx: &mut Context<'_>,
    poll: impl FnOnce(&mut Context<'_>) -> Poll<T>,
) -> Poll<T> {
    let restore = ready!(poll_proceed(cx));
    let result = poll(cx);
    if result.is_ready() {
        restore.made_progress();
    }
    result
}
