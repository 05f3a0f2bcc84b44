//! The state both kinds of `mpsc` channel share: a queue, a sender count, and two waiter lists.
//!
//! The receiver is the only one who ever waits for a message, so its "list" is one waker
//! (`rx_waker`). Senders may wait for the receiver to go away (`Sender::closed`), so they get
//! a real `WaitList`. The bounded channel adds a `Semaphore` for capacity; it lives here too
//! because `recv` must give a permit back for each message it takes.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::loom::lock;
use crate::loom::sync::Mutex;
use crate::sync::Semaphore;
use crate::sync::mpsc::error::TryRecvError;
use crate::sync::waiters::{Status, WaitList, WaiterId, WakeList};

/// One channel, shared by its senders and its receiver through an `Arc`.
pub(super) struct Chan<T> {
    state: Mutex<State<T>>,
    /// Capacity of a bounded channel: a sender holds a permit from here for each message it
    /// queues, and `recv` gives it back. `None` for an unbounded channel.
    pub(super) capacity: Option<Semaphore>,
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
}
// ANCHOR_END: state

impl<T> Chan<T> {
    pub(super) fn new(capacity: Option<Semaphore>) -> Chan<T> {
        let state = State {
            queue: VecDeque::new(),
            senders: 1,
            reserved: 0,
            rx_closed: false,
            rx_dropped: false,
            rx_waker: None,
            closed_waiters: WaitList::new(),
        };
        Chan { state: Mutex::new(state), capacity }
    }

    // ANCHOR: push
    /// Queues `value`, unless the receiver has closed: then it comes back. The check and the
    /// push happen under one lock, so a send racing `close` or the receiver's drop either
    /// queues the value before the receiver looks for the last time, or gets it back.
    pub(super) fn push(&self, value: T) -> Result<(), T> {
        let mut state = lock(&self.state);
        if state.rx_closed {
            return Err(value);
        }
        state.queue.push_back(value);
        let waker = state.rx_waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
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
        state.queue.push_back(value);
        let waker = state.rx_waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    /// Records a permit taken from `capacity`, unless the receiver closed in the meantime
    /// (then the caller must report the channel closed). Checking here, under the lock that
    /// `poll_recv` takes, means the receiver never declares the end while a reservation it
    /// does not know about is still on its way.
    pub(super) fn reserve_one(&self) -> bool {
        let mut state = lock(&self.state);
        if state.rx_closed {
            return false;
        }
        state.reserved += 1;
        true
    }

    /// A reserved permit was dropped unused: its capacity goes back.
    pub(super) fn unreserve_one(&self) {
        let waker = {
            let mut state = lock(&self.state);
            state.reserved -= 1;
            state.rx_waker.take()
        };
        self.give_back_capacity();
        // The receiver may be waiting only for this reservation (after `close`).
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Takes the next message, or says that none will ever come.
    pub(super) fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = lock(&self.state);
        if let Some(value) = state.queue.pop_front() {
            drop(state);
            self.give_back_capacity();
            return Poll::Ready(Some(value));
        }
        if state.is_finished() {
            return Poll::Ready(None);
        }
        state.rx_waker = Some(cx.waker().clone());
        Poll::Pending
    }

    pub(super) fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut state = lock(&self.state);
        if let Some(value) = state.queue.pop_front() {
            drop(state);
            self.give_back_capacity();
            return Ok(value);
        }
        if state.is_finished() { Err(TryRecvError::Disconnected) } else { Err(TryRecvError::Empty) }
    }

    /// The receiver's `close`: refuse new sends, wake senders waiting in `closed()` or for
    /// capacity. Messages already queued stay receivable.
    pub(super) fn close(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.rx_closed = true;
            state.closed_waiters.wake_all(&mut wakes);
        }
        if let Some(capacity) = &self.capacity {
            capacity.close();
        }
        wakes.wake_all();
    }

    /// The receiver's drop: close, then drop every message still queued, outside the lock.
    pub(super) fn drop_receiver(&self) {
        self.close();
        let unreceived = {
            let mut state = lock(&self.state);
            state.rx_dropped = true;
            std::mem::take(&mut state.queue)
        };
        drop(unreceived);
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
            waker.wake();
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

    fn give_back_capacity(&self) {
        if let Some(capacity) = &self.capacity {
            capacity.add_permits(1);
        }
    }
}

impl<T> State<T> {
    /// No message is queued and none can come any more.
    fn is_finished(&self) -> bool {
        debug_assert!(self.queue.is_empty(), "is_finished asked with messages queued");
        let no_senders = self.senders == 0;
        let closed_and_nothing_reserved = self.rx_closed && self.reserved == 0;
        no_senders || closed_and_nothing_reserved
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
            .field("capacity", &self.capacity)
            .finish()
    }
}
