//! `broadcast`: every receiver gets every value, from a ring of fixed size.
//!
//! Values are numbered by *position* (0, 1, 2, ... for the life of the channel). The ring keeps
//! the last `capacity` of them, `capacity` being rounded up to a power of two as tokio does;
//! each receiver remembers the position it will read next. A receiver that fell so far behind
//! that its next position was overwritten gets `Lagged(missed)` once and continues from the
//! oldest value still kept. Receivers that have caught up wait in a waiter list that each send
//! wakes in full.
//!
//! ```text
//!   positions:   5    6    7    8          capacity 4, next_position 9
//!   ring:      [ e ][ f ][ g ][ h ]
//!                ^ oldest        ^ newest
//!   a receiver at 3 gets Lagged(2) and moves to 5; one at 9 waits.
//! ```
//!
//! Reading order: this file (the ring and the receiver), `sender.rs`, `error.rs`.

use std::collections::VecDeque;
use std::fmt;
use std::task::{Context, Poll};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Arc, Mutex};
use crate::sync::waiters::{Status, WaitList, WaiterId, WakeList};
use crate::task::coop;

pub mod error;
mod sender;

pub use sender::{Sender, WeakSender};

use error::{RecvError, TryRecvError};

/// Creates a broadcast channel that keeps the last `capacity` values, rounded up to a power
/// of two (as tokio does): a channel of capacity 3 keeps 4.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, mut first) = clockwork::sync::broadcast::channel(8);
/// let mut second = tx.subscribe();
/// tx.send("hi").unwrap();
/// assert_eq!(first.recv().await.unwrap(), "hi");
/// assert_eq!(second.recv().await.unwrap(), "hi");
/// # });
/// ```
///
/// # Panics
///
/// Panics if `capacity` is 0, or larger than `usize::MAX / 2`.
#[track_caller]
pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let shared = Ring::shared(capacity, 1);
    (Sender::from_shared(shared.clone()), Receiver { shared, next_position: 0 })
}

/// Receives every value sent after it subscribed.
pub struct Receiver<T> {
    shared: Arc<Mutex<Ring<T>>>,
    /// The position this receiver reads next.
    next_position: u64,
}

// ANCHOR: ring
struct Ring<T> {
    /// The kept values, oldest first, each with how many receivers have yet to read it.
    slots: VecDeque<Slot<T>>,
    /// How many values the ring keeps: a power of two.
    capacity: usize,
    /// The position the next sent value will get.
    next_position: u64,
    senders: usize,
    weak_senders: usize,
    receivers: usize,
    /// Receivers that have read everything and wait for the next send.
    waiters: WaitList<()>,
    /// Senders in `closed()`, woken when the last receiver goes.
    closed_waiters: WaitList<()>,
}

struct Slot<T> {
    value: T,
    /// Receivers that will still read this value; at 0 it can go before it is overwritten.
    unread_by: usize,
}
// ANCHOR_END: ring

// === impl Ring ===

/// What a receiver found at its position.
enum Read<T> {
    /// A value, and the slot it came from if this was its last reader (to drop unlocked).
    Value(T, Option<Slot<T>>),
    Lagged(u64),
    Empty,
    Closed,
}

impl<T> Ring<T> {
    /// A ring for `capacity` values (rounded up to a power of two), with `receivers`
    /// receivers and one sender.
    #[track_caller]
    fn shared(capacity: usize, receivers: usize) -> Arc<Mutex<Ring<T>>> {
        assert!(capacity > 0, "broadcast channel capacity must be at least 1");
        assert!(
            capacity <= usize::MAX >> 1,
            "broadcast channel capacity exceeded `usize::MAX / 2`"
        );
        let capacity = capacity.next_power_of_two();
        let ring = Ring {
            slots: VecDeque::new(),
            capacity,
            next_position: 0,
            senders: 1,
            weak_senders: 0,
            receivers,
            waiters: WaitList::new(),
            closed_waiters: WaitList::new(),
        };
        Arc::new(Mutex::new(ring))
    }

    /// The position of the oldest kept value.
    fn oldest_position(&self) -> u64 {
        self.next_position - self.slots.len() as u64
    }

    /// The oldest slot, if every receiver has read it.
    fn pop_fully_read(&mut self) -> Option<Slot<T>> {
        if self.slots.front().is_some_and(|slot| slot.unread_by == 0) {
            self.slots.pop_front()
        } else {
            None
        }
    }
}

impl<T: Clone> Ring<T> {
    // ANCHOR: read
    /// Reads the value at `*position` and moves past it, or reports a lag (moving to the
    /// oldest kept value), or says there is nothing (yet or ever).
    fn read(&mut self, position: &mut u64) -> Read<T> {
        let oldest = self.oldest_position();
        if *position < oldest {
            let missed = oldest - *position;
            *position = oldest;
            return Read::Lagged(missed);
        }
        if *position == self.next_position {
            return if self.senders == 0 { Read::Closed } else { Read::Empty };
        }
        let index = (*position - oldest) as usize;
        // This receiver has read the value, whatever happens next: the count and the position
        // move first, so a `Clone` that panics (user code) skips the value for this receiver
        // alone and leaves the ring consistent, as in tokio.
        *position += 1;
        self.slots[index].unread_by -= 1;
        let value = self.slots[index].value.clone();
        // The last reader of the oldest value lets it go; the caller drops it unlocked.
        Read::Value(value, self.pop_fully_read())
    }
    // ANCHOR_END: read
}

// === impl Receiver ===

impl<T: Clone> Receiver<T> {
    /// Waits for the next value. `Err(Lagged(n))` if `n` values were overwritten before this
    /// receiver read them (the next call returns the oldest kept one); `Err(Closed)` once all
    /// senders are gone and everything was read.
    ///
    /// Cancel safety: cancel-safe. A value is only taken by the poll that returns it.
    pub async fn recv(&mut self) -> Result<T, RecvError> {
        Recv { receiver: self, waiter: None }.await
    }

    /// Takes the next value if there is one, without waiting.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let read = lock(&self.shared).read(&mut self.next_position);
        match read {
            Read::Value(value, released) => {
                contain::drop_value(released);
                Ok(value)
            }
            Read::Lagged(missed) => Err(TryRecvError::Lagged(missed)),
            Read::Closed => Err(TryRecvError::Closed),
            Read::Empty => Err(TryRecvError::Empty),
        }
    }

    /// Waits for the next value from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime, which blocking would stall.
    #[track_caller]
    pub fn blocking_recv(&mut self) -> Result<T, RecvError> {
        crate::sync::block_on::block_on(self.recv())
    }

    /// A new receiver on the same channel that starts at the newest position (it sees only
    /// values sent from now on).
    pub fn resubscribe(&self) -> Receiver<T> {
        Receiver::subscribe(&self.shared)
    }
}

impl<T> Receiver<T> {
    /// A new receiver of `shared`, at the newest position.
    fn subscribe(shared: &Arc<Mutex<Ring<T>>>) -> Receiver<T> {
        let mut ring = lock(shared);
        ring.receivers += 1;
        let next_position = ring.next_position;
        drop(ring);
        Receiver { shared: shared.clone(), next_position }
    }

    /// Values sent since this receiver's position, counting those overwritten since (as
    /// tokio does): after a lag, `len` counts the values it missed until `recv` reports them.
    pub fn len(&self) -> usize {
        let ring = lock(&self.shared);
        (ring.next_position - self.next_position) as usize
    }

    /// True when this receiver has read everything sent so far.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True once every sender is gone: nothing new can arrive.
    pub fn is_closed(&self) -> bool {
        lock(&self.shared).senders == 0
    }

    /// True if both receivers belong to the same channel.
    pub fn same_channel(&self, other: &Receiver<T>) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Senders alive now.
    pub fn sender_strong_count(&self) -> usize {
        lock(&self.shared).senders
    }

    /// Weak senders alive now.
    pub fn sender_weak_count(&self) -> usize {
        lock(&self.shared).weak_senders
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut wakes = WakeList::new();
        let mut ring = lock(&self.shared);
        ring.receivers -= 1;
        if ring.receivers == 0 {
            ring.closed_waiters.wake_all(&mut wakes);
        }
        // This receiver will not read what is left for it: stop counting it as a reader.
        let oldest = ring.oldest_position();
        let first_unread = self.next_position.max(oldest);
        let skip = (first_unread - oldest) as usize;
        for slot in ring.slots.iter_mut().skip(skip) {
            slot.unread_by -= 1;
        }
        let mut released: Vec<Slot<T>> = Vec::new();
        while let Some(slot) = ring.pop_fully_read() {
            released.push(slot);
        }
        drop(ring);
        wakes.wake_all_contained();
        // Values nobody will read any more are dropped outside the lock, each on its own, so a
        // panicking `Drop` neither stops the others nor escapes this `drop`.
        released.into_iter().for_each(contain::drop_value);
    }
}

// === impl Recv ===

/// The future of `Receiver::recv`: one entry in the ring's waiter list while it waits.
struct Recv<'a, T> {
    receiver: &'a mut Receiver<T>,
    waiter: Option<WaiterId>,
}

impl<T: Clone> Recv<'_, T> {
    /// One poll, without the budget (see the `Future` impl below).
    fn poll_unbudgeted(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>> {
        let this = &mut *self;
        let mut ring = lock(&this.receiver.shared);
        let (value, released) = match ring.read(&mut this.receiver.next_position) {
            Read::Value(value, released) => (value, released),
            Read::Lagged(missed) => return Poll::Ready(Err(RecvError::Lagged(missed))),
            Read::Closed => return Poll::Ready(Err(RecvError::Closed)),
            Read::Empty => {
                let mut replaced = None;
                let status = this
                    .waiter
                    .map(|id| ring.waiters.poll_status_replacing(id, cx.waker(), &mut replaced));
                if status != Some(Status::Waiting) {
                    this.waiter = Some(ring.waiters.push(cx.waker(), ()));
                }
                drop(ring);
                // The waker this poll replaced may run anything when dropped, even a send on
                // this channel (tokio's `send_in_waker_drop`): drop it unlocked.
                contain::drop_value(replaced);
                return Poll::Pending;
            }
        };
        drop(ring);
        contain::drop_value(released);
        Poll::Ready(Ok(value))
    }
}

impl<T: Clone> std::future::Future for Recv<'_, T> {
    type Output = Result<T, RecvError>;

    /// Ready spends a unit of the task's budget (`task::coop`); a spent budget yields.
    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        coop::budgeted(cx, |cx| this.poll_unbudgeted(cx))
    }
}

impl<T> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            let _ = lock(&self.receiver.shared).waiters.cancel(id);
        }
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Ring<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ring")
            .field("kept", &self.slots.len())
            .field("capacity", &self.capacity)
            .field("next_position", &self.next_position)
            .field("senders", &self.senders)
            .field("weak_senders", &self.weak_senders)
            .field("receivers", &self.receivers)
            .field("waiters", &self.waiters.len())
            .field("closed_waiters", &self.closed_waiters.len())
            .finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("next_position", &self.next_position)
            .field("ring", &*lock(&self.shared))
            .finish()
    }
}
