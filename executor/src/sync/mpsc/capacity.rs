//! The free slots of a bounded channel, and the senders waiting for some.
//!
//! This is the semaphore's idea (`sync/semaphore.rs`) kept inside the channel's own lock, so
//! that a receive frees a slot and hands it on in the critical section it already holds. A
//! sender asks for one slot (`reserve`, `send`) or several (`reserve_many`); the queue is
//! strictly FIFO, and the waiter at its head collects slots as they come back, so a large
//! request is never overtaken by small ones.
//!
//! When the receiver closes, every waiting sender is granted what it has collected so far and
//! woken: on its next poll it sees the channel closed, fails, and gives those slots back. Until
//! then the slots count as held, so a receiver waiting after `close` is woken by whoever gives
//! the last ones back (see `chan.rs`, `give_back`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::loom::lock;
use crate::sync::mpsc::chan::{Chan, give_back};
use crate::sync::waiters::{Cancelled, Status, WaitList, WaiterId, WakeList};
use crate::task::coop;

/// The slots of a bounded channel.
pub(super) struct Capacity {
    /// How many slots the channel was created with.
    bound: usize,
    /// Slots that nobody holds: not a queued message, a permit, or a waiter's collection.
    available: usize,
    /// Senders waiting for slots, oldest first.
    waiters: WaitList<Request>,
}

/// What one waiting sender asked for, and how many slots it has collected while at the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Request {
    wanted: usize,
    assigned: usize,
}

impl Capacity {
    pub(super) fn new(bound: usize) -> Capacity {
        Capacity { bound, available: bound, waiters: WaitList::new() }
    }

    /// Slots free right now.
    pub(super) fn available(&self) -> usize {
        self.available
    }

    /// Every slot is back: no message queued, no permit held, no waiter holding any.
    pub(super) fn is_idle(&self) -> bool {
        self.available == self.bound
    }

    /// Takes `n` slots if they are free and nobody waits ahead. Asking for none always works.
    pub(super) fn try_take(&mut self, n: usize) -> bool {
        if n == 0 {
            return true;
        }
        if !self.waiters.is_empty() || self.available < n {
            return false;
        }
        self.available -= n;
        true
    }

    // ANCHOR: free_slot
    /// `n` slots became free. The waiters get them oldest first; one that wants more than
    /// there is keeps what it got and blocks everyone behind it.
    pub(super) fn release(&mut self, n: usize, wakes: &mut WakeList) {
        self.available += n;
        debug_assert!(self.available <= self.bound, "more slots came back than were taken");
        while let Some(front) = self.waiters.front_mut() {
            let given = (front.wanted - front.assigned).min(self.available);
            front.assigned += given;
            self.available -= given;
            if front.assigned < front.wanted {
                break;
            }
            self.waiters.grant_front(wakes);
        }
    }
    // ANCHOR_END: free_slot

    /// The receiver closed: every waiter is granted what it holds, to fail on its next poll.
    pub(super) fn dismiss_waiters(&mut self, wakes: &mut WakeList) {
        while self.waiters.grant_front(wakes) {}
    }

    /// Joins the queue for `wanted` slots; at the head of an empty queue, starts by
    /// collecting the slots that are free already.
    fn enqueue(&mut self, cx: &Context<'_>, wanted: usize) -> WaiterId {
        let assigned = if self.waiters.is_empty() { self.available } else { 0 };
        self.available -= assigned;
        self.waiters.push(cx.waker(), Request { wanted, assigned })
    }
}

// === impl Reserve ===

/// Waits for `wanted` slots of a bounded channel: one entry in the capacity's `WaitList`.
///
/// Resolves to `Ok(())` holding the slots, which the caller turns into permits; or to
/// `Err(())` once the receiver has closed, having given back whatever it had collected.
pub(super) struct Reserve<'a, T> {
    chan: &'a Chan<T>,
    wanted: usize,
    waiter: Option<WaiterId>,
    /// The slots are ours, but the task's budget was spent: they are handed over on the next
    /// poll, or given back if the future is dropped first.
    held: bool,
}

impl<T> Chan<T> {
    /// Waits for `wanted` free slots (see [`Reserve`]).
    pub(super) fn reserve(&self, wanted: usize) -> Reserve<'_, T> {
        Reserve { chan: self, wanted, waiter: None, held: false }
    }
}

impl<T> Reserve<'_, T> {
    /// One poll, without the budget (see the `Future` impl below).
    fn poll_unbudgeted(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let chan = self.chan;
        let mut state = lock(&chan.state);
        let closed = state.rx_closed;
        let capacity = state.capacity.as_mut().expect("only bounded channels reserve");
        let Some(id) = self.waiter else {
            // The first poll: take the slots now, or queue for them.
            if closed {
                return Poll::Ready(Err(()));
            }
            if capacity.try_take(self.wanted) {
                return Poll::Ready(Ok(()));
            }
            self.waiter = Some(capacity.enqueue(cx, self.wanted));
            return Poll::Pending;
        };
        let request = match capacity.waiters.poll_status(id, cx.waker()) {
            Status::Waiting => return Poll::Pending,
            Status::Granted(request) => request,
            Status::Gone => unreachable!("waiting senders are only ever granted"),
        };
        self.waiter = None;
        if !closed {
            return Poll::Ready(Ok(()));
        }
        // The receiver closed after the slots were granted (or while we waited, see
        // `dismiss_waiters`): the reservation fails, and what it held goes back.
        give_back(state, request.assigned);
        Poll::Ready(Err(()))
    }
}

impl<T> Future for Reserve<'_, T> {
    type Output = Result<(), ()>;

    /// Ready spends a unit of the task's budget (`task::coop`). As with a semaphore's acquire,
    /// the slots are taken (or the place in the queue kept) before the budget is looked at, so
    /// a sender whose budget is spent yields holding them.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let this = self.get_mut();
        if !this.held {
            ready!(this.poll_unbudgeted(cx))?;
            this.held = true;
        }
        ready!(coop::poll_proceed(cx)).made_progress();
        this.held = false;
        Poll::Ready(Ok(()))
    }
}

impl<T> Drop for Reserve<'_, T> {
    fn drop(&mut self) {
        if self.held {
            // Taken, never handed over: they go back to the next sender.
            give_back(lock(&self.chan.state), self.wanted);
            return;
        }
        let Some(id) = self.waiter else { return };
        let mut state = lock(&self.chan.state);
        let capacity = state.capacity.as_mut().expect("only bounded channels reserve");
        // Slots it had collected, or been granted but never took, go to the next sender.
        let held = match capacity.waiters.cancel(id) {
            Cancelled::WasWaiting(request) | Cancelled::WasGranted(request) => request.assigned,
            Cancelled::Gone => 0,
        };
        give_back(state, held);
    }
}

impl fmt::Debug for Capacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Capacity")
            .field("bound", &self.bound)
            .field("available", &self.available)
            .field("waiting_senders", &self.waiters.len())
            .finish()
    }
}
