//! The state both kinds of `mpsc` channel share: a queue, a sender count, and the waiters.
//!
//! The receiver is the only one who ever waits for a message, so its "list" is one waker
//! (`rx_waker`). Senders may wait for the receiver to go away (`Sender::closed`), so they get
//! a real `WaitList`. A bounded channel also counts its free slots here, with a second
//! `WaitList` of senders waiting for one, so that a send and a receive each take this one lock
//! once: the receive that frees a slot hands it to the oldest waiting sender in the same
//! critical section.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Mutex, MutexGuard};
use crate::sync::mpsc::error::{TryRecvError, TrySendError};
use crate::sync::waiters::{Cancelled, Status, WaitList, WaiterId, WakeList};

/// One channel, shared by its senders and its receiver through an `Arc`.
pub(super) struct Chan<T> {
    state: Mutex<State<T>>,
}

/// The free slots of a bounded channel, and the senders waiting for one (oldest first).
struct Capacity {
    available: usize,
    waiters: WaitList<()>,
}

// ANCHOR: state
struct State<T> {
    queue: VecDeque<T>,
    /// Live `Sender`s (and `OwnedPermit`s, which carry one). At zero, nothing more can come.
    senders: usize,
    /// Permits reserved but not yet used: each may still bring one message.
    reserved: usize,
    /// The receiver called `close` or was dropped: new sends are refused.
    rx_closed: bool,
    /// The receiver was dropped: even reserved permits may no longer queue a message.
    rx_dropped: bool,
    /// The receiver's waker while it waits in `recv`.
    rx_waker: Option<Waker>,
    /// Senders waiting in `closed()`.
    closed_waiters: WaitList<()>,
    /// Free slots and waiting senders of a bounded channel; `None` when unbounded.
    capacity: Option<Capacity>,
}
// ANCHOR_END: state

impl<T> Chan<T> {
    /// A channel with `bound` slots, or unbounded for `None`.
    pub(super) fn new(bound: Option<usize>) -> Chan<T> {
        let state = State {
            queue: VecDeque::new(),
            senders: 1,
            reserved: 0,
            rx_closed: false,
            rx_dropped: false,
            rx_waker: None,
            closed_waiters: WaitList::new(),
            capacity: bound.map(|available| Capacity { available, waiters: WaitList::new() }),
        };
        Chan { state: Mutex::new(state) }
    }

    // ANCHOR: try_send
    /// A bounded send that does not wait: takes a free slot and queues `value` in one critical
    /// section. A slot counts as free only if no older sender is waiting for one (FIFO).
    pub(super) fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let mut state = lock(&self.state);
        if state.rx_closed {
            return Err(TrySendError::Closed(value));
        }
        if !state.take_free_slot() {
            return Err(TrySendError::Full(value));
        }
        enqueue(state, value);
        Ok(())
    }
    // ANCHOR_END: try_send

    /// Takes a free slot for a `Permit`, if there is one now.
    pub(super) fn try_reserve(&self) -> Result<(), TrySendError<()>> {
        let mut state = lock(&self.state);
        if state.rx_closed {
            return Err(TrySendError::Closed(()));
        }
        if !state.take_free_slot() {
            return Err(TrySendError::Full(()));
        }
        state.reserved += 1;
        Ok(())
    }

    /// Waits for a free slot (see [`Reserve`]).
    pub(super) fn reserve(&self) -> Reserve<'_, T> {
        Reserve { chan: self, waiter: None }
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

    /// Queues a message for a reserved permit. A reservation outlives `close` (the receiver
    /// still takes what reserved permits send) but not the receiver's drop.
    pub(super) fn push_reserved(&self, value: T) -> Result<(), T> {
        let mut state = lock(&self.state);
        state.reserved -= 1;
        if state.rx_dropped {
            return Err(value);
        }
        enqueue(state, value);
        Ok(())
    }

    /// A reserved slot was dropped unused: the slot goes back (to the oldest waiting sender, if
    /// any), and the receiver, which may be waiting only for this reservation after `close`,
    /// is woken.
    pub(super) fn unreserve_one(&self) {
        let mut wakes = WakeList::new();
        let waker = {
            let mut state = lock(&self.state);
            state.reserved -= 1;
            state.free_slot(&mut wakes);
            state.rx_waker.take()
        };
        wakes.wake_all_contained();
        if let Some(waker) = waker {
            contain::wake(waker);
        }
    }

    /// Takes the next message, or says that none will ever come.
    pub(super) fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut wakes = WakeList::new();
        let mut state = lock(&self.state);
        if let Some(value) = state.queue.pop_front() {
            state.free_slot(&mut wakes);
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

    pub(super) fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut wakes = WakeList::new();
        let mut state = lock(&self.state);
        if let Some(value) = state.queue.pop_front() {
            state.free_slot(&mut wakes);
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
        // Senders waiting for a slot give up: their `Reserve` sees `Gone`.
        if let Some(capacity) = &mut state.capacity {
            capacity.waiters.wake_all(&mut wakes);
        }
        wakes
    }

    /// The receiver's drop: close, then drop every message still queued, outside the lock.
    /// Nothing raised by user code (a waker, a message's `Drop`) leaves this `drop`.
    pub(super) fn drop_receiver(&self) {
        self.close_and_collect().wake_all_contained();
        let unreceived = {
            let mut state = lock(&self.state);
            state.rx_dropped = true;
            std::mem::take(&mut state.queue)
        };
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

    pub(super) fn is_closed(&self) -> bool {
        lock(&self.state).rx_closed
    }

    pub(super) fn len(&self) -> usize {
        lock(&self.state).queue.len()
    }

    /// The future of `Sender::closed`.
    pub(super) fn closed(&self) -> Closed<'_, T> {
        Closed { chan: self, waiter: None }
    }

    /// Free slots right now (0 for an unbounded channel).
    pub(super) fn free_slots(&self) -> usize {
        lock(&self.state).capacity.as_ref().map_or(0, |capacity| capacity.available)
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
    /// Takes a free slot if one is free and no older sender waits for it. Always true when
    /// unbounded.
    fn take_free_slot(&mut self) -> bool {
        let Some(capacity) = &mut self.capacity else { return true };
        if capacity.available == 0 || !capacity.waiters.is_empty() {
            return false;
        }
        capacity.available -= 1;
        true
    }

    // ANCHOR: free_slot
    /// A slot became free (a message was received, or a reservation dropped). The oldest
    /// waiting sender gets it, as a reservation; with nobody waiting it is counted as free.
    fn free_slot(&mut self, wakes: &mut WakeList) {
        let Some(capacity) = &mut self.capacity else { return };
        if capacity.waiters.grant_front(wakes) {
            self.reserved += 1;
        } else {
            capacity.available += 1;
        }
    }
    // ANCHOR_END: free_slot

    /// No message is queued and none can come any more.
    fn is_finished(&self) -> bool {
        debug_assert!(self.queue.is_empty(), "is_finished asked with messages queued");
        let no_senders = self.senders == 0;
        let closed_and_nothing_reserved = self.rx_closed && self.reserved == 0;
        no_senders || closed_and_nothing_reserved
    }
}

/// Waits for a free slot of a bounded channel: one entry in the capacity's `WaitList`.
///
/// Resolves to `Ok(())` holding a reservation (counted in `reserved`), which the caller turns
/// into a `Permit`; or to `Err(())` once the receiver has closed.
pub(super) struct Reserve<'a, T> {
    chan: &'a Chan<T>,
    waiter: Option<WaiterId>,
}

impl<T> Future for Reserve<'_, T> {
    type Output = Result<(), ()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let chan = self.chan;
        let mut state = lock(&chan.state);
        if let Some(id) = self.waiter {
            let capacity = state.capacity.as_mut().expect("only bounded channels reserve");
            return match capacity.waiters.poll_status(id, cx.waker()) {
                Status::Waiting => Poll::Pending,
                // `free_slot` already counted the reservation.
                Status::Granted(()) => {
                    self.waiter = None;
                    Poll::Ready(Ok(()))
                }
                // `close` woke every waiting sender without a slot.
                Status::Gone => {
                    self.waiter = None;
                    Poll::Ready(Err(()))
                }
            };
        }
        if state.rx_closed {
            return Poll::Ready(Err(()));
        }
        if state.take_free_slot() {
            state.reserved += 1;
            return Poll::Ready(Ok(()));
        }
        let capacity = state.capacity.as_mut().expect("only bounded channels reserve");
        let id = capacity.waiters.push(cx.waker(), ());
        drop(state);
        self.waiter = Some(id);
        Poll::Pending
    }
}

impl<T> Drop for Reserve<'_, T> {
    fn drop(&mut self) {
        let Some(id) = self.waiter else { return };
        let mut wakes = WakeList::new();
        let receiver = {
            let mut state = lock(&self.chan.state);
            let capacity = state.capacity.as_mut().expect("only bounded channels reserve");
            match capacity.waiters.cancel(id) {
                // Handed a slot it never collected: pass it on. The receiver may be waiting
                // only for this reservation (after `close`), as in `unreserve_one`.
                Cancelled::WasGranted(()) => {
                    state.reserved -= 1;
                    state.free_slot(&mut wakes);
                    state.rx_waker.take()
                }
                Cancelled::WasWaiting(()) | Cancelled::Gone => None,
            }
        };
        wakes.wake_all_contained();
        if let Some(waker) = receiver {
            contain::wake(waker);
        }
    }
}

/// Waits for the receiver to close: one entry in `closed_waiters`.
pub(super) struct Closed<'a, T> {
    chan: &'a Chan<T>,
    waiter: Option<WaiterId>,
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

impl<T> fmt::Debug for Chan<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Chan")
            .field("queued", &state.queue.len())
            .field("senders", &state.senders)
            .field("reserved", &state.reserved)
            .field("rx_closed", &state.rx_closed)
            .field("rx_dropped", &state.rx_dropped)
            .field("rx_waiting", &state.rx_waker.is_some())
            .field("closed_waiters", &state.closed_waiters.len())
            .field("free_slots", &state.capacity.as_ref().map(|capacity| capacity.available))
            .field(
                "waiting_senders",
                &state.capacity.as_ref().map(|capacity| capacity.waiters.len()),
            )
            .finish()
    }
}
