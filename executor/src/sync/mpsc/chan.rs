//! The state both kinds of `mpsc` channel share: a queue, the sender counts, and the waiters.
//!
//! The receiver is the only one who ever waits for a message, so its "list" is one waker
//! (`rx_waker`). Senders may wait for the receiver to go away (`Sender::closed`), so they get
//! a real `WaitList`. A bounded channel also counts its free slots here (`capacity.rs`), with
//! a second `WaitList` of senders waiting for some, so that a send and a receive each take
//! this one lock once: the receive that frees a slot hands it to the oldest waiting sender in
//! the same critical section.
//!
//! When does the receiver see the end? When the queue is empty and nothing more can arrive:
//! every sender is gone, or the receiver closed the channel and every slot is back (no permit
//! is outstanding that could still send). Whoever makes that true while the receiver waits
//! wakes it: the last sender's drop, a permit's drop, a failed or cancelled reservation.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Mutex, MutexGuard};
use crate::sync::mpsc::capacity::Capacity;
use crate::sync::mpsc::error::{TryRecvError, TrySendError};
use crate::sync::waiters::{Status, WaitList, WaiterId, WakeList};
use crate::task::coop;

/// One channel, shared by its senders and its receiver through an `Arc`.
pub(super) struct Chan<T> {
    pub(super) state: Mutex<State<T>>,
    /// The number of slots of a bounded channel; `None` when unbounded. Never changes.
    bound: Option<usize>,
}

// ANCHOR: state
pub(super) struct State<T> {
    pub(super) queue: VecDeque<T>,
    /// Live `Sender`s (and `OwnedPermit`s, which carry one). At zero, nothing more can come.
    pub(super) senders: usize,
    /// Live `WeakSender`s: they keep nothing alive, but `upgrade` while `senders > 0`.
    pub(super) weak_senders: usize,
    /// The receiver called `close` or was dropped: new sends and reservations are refused.
    pub(super) rx_closed: bool,
    /// The receiver was dropped: even reserved permits may no longer queue a message.
    pub(super) rx_dropped: bool,
    /// The receiver's waker while it waits in `recv`.
    pub(super) rx_waker: Option<Waker>,
    /// Senders waiting in `closed()`.
    pub(super) closed_waiters: WaitList<()>,
    /// Free slots and waiting senders of a bounded channel; `None` when unbounded.
    pub(super) capacity: Option<Capacity>,
}
// ANCHOR_END: state

impl<T> Chan<T> {
    /// A channel with `bound` slots, or unbounded for `None`.
    pub(super) fn new(bound: Option<usize>) -> Chan<T> {
        let state = State {
            queue: VecDeque::new(),
            senders: 1,
            weak_senders: 0,
            rx_closed: false,
            rx_dropped: false,
            rx_waker: None,
            closed_waiters: WaitList::new(),
            capacity: bound.map(Capacity::new),
        };
        Chan { state: Mutex::new(state), bound }
    }

    /// The slots of a bounded channel (0 for an unbounded one).
    pub(super) fn bound(&self) -> usize {
        self.bound.unwrap_or(0)
    }

    // ANCHOR: try_send
    /// A bounded send that does not wait: takes a free slot and queues `value` in one critical
    /// section. A slot counts as free only if no older sender is waiting for one (FIFO).
    pub(super) fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let mut state = lock(&self.state);
        if state.rx_closed {
            return Err(TrySendError::Closed(value));
        }
        if !state.take_free_slots(1) {
            return Err(TrySendError::Full(value));
        }
        enqueue(state, value);
        Ok(())
    }
    // ANCHOR_END: try_send

    /// Takes `n` free slots for permits, if there are that many now and nobody queued first.
    pub(super) fn try_reserve(&self, n: usize) -> Result<(), TrySendError<()>> {
        let mut state = lock(&self.state);
        if state.rx_closed {
            return Err(TrySendError::Closed(()));
        }
        if !state.take_free_slots(n) {
            return Err(TrySendError::Full(()));
        }
        Ok(())
    }

    // ANCHOR: push
    /// Queues `value`, unless the receiver has closed: then it comes back. The check and the
    /// push happen under one lock, so a send racing `close` or the receiver's drop either
    /// queues the value before the receiver looks for the last time, or gets it back.
    pub(super) fn push(&self, value: T) -> Result<(), T> {
        let state = lock(&self.state);
        if state.rx_closed {
            return Err(value);
        }
        enqueue(state, value);
        Ok(())
    }
    // ANCHOR_END: push

    /// Queues a message in a reserved slot. A reservation outlives `close` (the receiver
    /// still takes what reserved permits send) but not the receiver's drop: then the slot is
    /// given back and the value returned.
    pub(super) fn push_reserved(&self, value: T) -> Result<(), T> {
        let state = lock(&self.state);
        if state.rx_dropped {
            drop(state);
            self.unreserve(1);
            return Err(value);
        }
        enqueue(state, value);
        Ok(())
    }

    /// `n` reserved slots were dropped unused: they go back (see [`give_back`]).
    pub(super) fn unreserve(&self, n: usize) {
        give_back(lock(&self.state), n);
    }

    /// Takes the next message, or says that none will ever come. A message (or the end)
    /// spends a unit of the task's budget, as every ready resource does (`task::coop`).
    pub(super) fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        coop::budgeted(cx, |cx| self.poll_recv_unbudgeted(cx))
    }

    fn poll_recv_unbudgeted(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut wakes = WakeList::new();
        let mut state = lock(&self.state);
        if let Some(value) = state.queue.pop_front() {
            state.free_slots(1, &mut wakes);
            drop(state);
            // The message must reach the caller: a waiting sender's panicking waker is contained.
            wakes.wake_all_contained();
            return Poll::Ready(Some(value));
        }
        if state.is_finished() {
            return Poll::Ready(None);
        }
        state.rx_waker = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Moves up to `limit` messages into `buffer`; waits only while none is queued. Returns how
    /// many it moved, 0 once none will ever come (or when `limit` is 0).
    pub(super) fn poll_recv_many(
        &self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        if limit == 0 {
            return Poll::Ready(0);
        }
        coop::budgeted(cx, |cx| self.poll_recv_many_unbudgeted(cx, buffer, limit))
    }

    fn poll_recv_many_unbudgeted(
        &self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        let mut wakes = WakeList::new();
        let mut state = lock(&self.state);
        if state.queue.is_empty() {
            if state.is_finished() {
                return Poll::Ready(0);
            }
            state.rx_waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let taken = limit.min(state.queue.len());
        buffer.extend(state.queue.drain(..taken));
        state.free_slots(taken, &mut wakes);
        drop(state);
        wakes.wake_all_contained();
        Poll::Ready(taken)
    }

    pub(super) fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut wakes = WakeList::new();
        let mut state = lock(&self.state);
        if let Some(value) = state.queue.pop_front() {
            state.free_slots(1, &mut wakes);
            drop(state);
            // The message must reach the caller: a waiting sender's panicking waker is contained.
            wakes.wake_all_contained();
            return Ok(value);
        }
        if state.is_finished() { Err(TryRecvError::Disconnected) } else { Err(TryRecvError::Empty) }
    }

    /// The receiver's `close`: refuse new sends, wake senders waiting in `closed()` or for
    /// capacity. Messages already queued stay receivable.
    pub(super) fn close(&self) {
        self.close_and_collect().wake_all();
    }

    /// Closes, and returns the senders to wake once the lock is released.
    fn close_and_collect(&self) -> WakeList {
        let mut wakes = WakeList::new();
        let mut state = lock(&self.state);
        state.rx_closed = true;
        state.closed_waiters.wake_all(&mut wakes);
        // Senders waiting for slots give up: each learns it on its next poll, and gives back
        // the slots it had collected then (see `capacity.rs`).
        if let Some(capacity) = &mut state.capacity {
            capacity.dismiss_waiters(&mut wakes);
        }
        wakes
    }

    /// The receiver's drop: close, then drop every message still queued and the receiver's
    /// own waker, outside the lock. Nothing raised by user code (a waker, a message's `Drop`)
    /// leaves this `drop`.
    pub(super) fn drop_receiver(&self) {
        self.close_and_collect().wake_all_contained();
        let (unreceived, own_waker) = {
            let mut state = lock(&self.state);
            state.rx_dropped = true;
            (std::mem::take(&mut state.queue), state.rx_waker.take())
        };
        // The waker the receiver left behind keeps its task's memory alive: let it go now.
        contain::drop_value(own_waker);
        // Each message is dropped on its own, so a panicking `Drop` neither stops the others
        // nor escapes the receiver's drop.
        unreceived.into_iter().for_each(contain::drop_value);
    }

    pub(super) fn add_sender(&self) {
        lock(&self.state).senders += 1;
    }

    /// The last sender's drop wakes the receiver, which will then see the end of the stream.
    pub(super) fn drop_sender(&self) {
        let waker = {
            let mut state = lock(&self.state);
            state.senders -= 1;
            if state.senders == 0 { state.rx_waker.take() } else { None }
        };
        if let Some(waker) = waker {
            contain::wake(waker);
        }
    }

    pub(super) fn add_weak_sender(&self) {
        lock(&self.state).weak_senders += 1;
    }

    pub(super) fn drop_weak_sender(&self) {
        lock(&self.state).weak_senders -= 1;
    }

    /// A weak sender becomes a sender, if a sender is still alive to vouch for the channel.
    pub(super) fn upgrade(&self) -> bool {
        let mut state = lock(&self.state);
        if state.senders == 0 {
            return false;
        }
        state.senders += 1;
        true
    }

    /// (senders, weak senders) alive now.
    pub(super) fn sender_counts(&self) -> (usize, usize) {
        let state = lock(&self.state);
        (state.senders, state.weak_senders)
    }

    /// The senders' view: the receiver closed the channel or is gone.
    pub(super) fn is_closed(&self) -> bool {
        lock(&self.state).rx_closed
    }

    /// The receiver's view: it closed the channel, or every sender is gone.
    pub(super) fn is_closed_for_receiver(&self) -> bool {
        let state = lock(&self.state);
        state.rx_closed || state.senders == 0
    }

    pub(super) fn len(&self) -> usize {
        lock(&self.state).queue.len()
    }

    /// Free slots right now (0 for an unbounded channel).
    pub(super) fn free_slots(&self) -> usize {
        lock(&self.state).capacity.as_ref().map_or(0, Capacity::available)
    }
}

/// `n` slots that a sender held come back, to the oldest waiting senders first, and the
/// receiver is woken if it was waiting only for them after `close`. Used by drops and failed
/// reservations, so panicking wakers are contained.
pub(super) fn give_back<T>(mut state: MutexGuard<'_, State<T>>, n: usize) {
    let mut wakes = WakeList::new();
    state.free_slots(n, &mut wakes);
    let receiver = state.take_idle_receiver();
    drop(state);
    wakes.wake_all_contained();
    if let Some(waker) = receiver {
        contain::wake(waker);
    }
}

// ANCHOR: enqueue
/// Queues `value` and wakes the receiver if it waits, releasing the lock before the wake.
/// The caller has decided, under this same lock, that the value may be queued.
fn enqueue<T>(mut state: MutexGuard<'_, State<T>>, value: T) {
    state.queue.push_back(value);
    let waker = state.rx_waker.take();
    drop(state);
    // The message is queued: if the receiver's waker panics, the panic reaches the sender, as
    // in tokio, and nothing is lost.
    if let Some(waker) = waker {
        waker.wake();
    }
}
// ANCHOR_END: enqueue

impl<T> State<T> {
    /// Takes `n` free slots if they are free and no older sender waits for them. Always true
    /// when unbounded.
    pub(super) fn take_free_slots(&mut self, n: usize) -> bool {
        match &mut self.capacity {
            None => true,
            Some(capacity) => capacity.try_take(n),
        }
    }

    /// `n` slots became free (messages were received, reservations given back); they go to
    /// the waiting senders first.
    pub(super) fn free_slots(&mut self, n: usize, wakes: &mut WakeList) {
        if let Some(capacity) = &mut self.capacity {
            capacity.release(n, wakes);
        }
    }

    /// The receiver's waker, if it waits after `close` and nothing more can come: slots just
    /// came back, and that may have been the last thing it waited for.
    pub(super) fn take_idle_receiver(&mut self) -> Option<Waker> {
        if self.queue.is_empty() && self.is_finished() { self.rx_waker.take() } else { None }
    }

    /// No message is queued and none can come any more.
    fn is_finished(&self) -> bool {
        debug_assert!(self.queue.is_empty(), "is_finished asked with messages queued");
        let no_senders = self.senders == 0;
        // After `close`, only permits (and partly served reservations) can still send: the
        // channel is finished once every slot is back.
        let all_slots_back = self.capacity.as_ref().is_none_or(Capacity::is_idle);
        no_senders || (self.rx_closed && all_slots_back)
    }
}

impl<T> fmt::Debug for Chan<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Chan")
            .field("queued", &state.queue.len())
            .field("senders", &state.senders)
            .field("weak_senders", &state.weak_senders)
            .field("rx_closed", &state.rx_closed)
            .field("rx_dropped", &state.rx_dropped)
            .field("rx_waiting", &state.rx_waker.is_some())
            .field("closed_waiters", &state.closed_waiters.len())
            .field("capacity", &state.capacity)
            .finish()
    }
}

// === impl Closed ===

/// Waits for the receiver to close: one entry in `closed_waiters`.
pub(super) struct Closed<'a, T> {
    chan: &'a Chan<T>,
    waiter: Option<WaiterId>,
}

impl<T> Chan<T> {
    /// The future of `Sender::closed`.
    pub(super) fn closed(&self) -> Closed<'_, T> {
        Closed { chan: self, waiter: None }
    }
}

impl<T> Future for Closed<'_, T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.chan.state);
        if state.rx_closed {
            return Poll::Ready(());
        }
        let status = self.waiter.map(|id| state.closed_waiters.poll_status(id, cx.waker()));
        if status != Some(Status::Waiting) {
            let id = state.closed_waiters.push(cx.waker(), ());
            drop(state);
            self.waiter = Some(id);
        }
        Poll::Pending
    }
}

impl<T> Drop for Closed<'_, T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            let _ = lock(&self.chan.state).closed_waiters.cancel(id);
        }
    }
}
