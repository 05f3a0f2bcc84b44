//! The sending side of `broadcast`: `Sender`, the `WeakSender` that does not keep the channel
//! open, and the `closed()` future that waits for the last receiver to go.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Arc, Mutex};
use crate::sync::broadcast::error::SendError;
use crate::sync::broadcast::{Receiver, Ring, Slot};
use crate::sync::waiters::{Status, WaiterId, WakeList};

/// Sends to every receiver. Clone it for more senders.
pub struct Sender<T> {
    shared: Arc<Mutex<Ring<T>>>,
}

/// A [`Sender`] that does not keep the channel open; see [`Sender::downgrade`].
pub struct WeakSender<T> {
    shared: Arc<Mutex<Ring<T>>>,
}

impl<T> Sender<T> {
    /// A sender of a new channel with no receiver yet (see [`subscribe`](Self::subscribe));
    /// `capacity` is rounded up to a power of two, as in [`channel`](super::channel).
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is 0, or larger than `usize::MAX / 2`.
    #[track_caller]
    pub fn new(capacity: usize) -> Sender<T> {
        Sender { shared: Ring::shared(capacity, 0) }
    }

    pub(super) fn from_shared(shared: Arc<Mutex<Ring<T>>>) -> Sender<T> {
        Sender { shared }
    }

    // ANCHOR: send
    /// Sends `value` to every current receiver, returning how many there are; gives it back if
    /// there are none. When the ring is full, the oldest value is overwritten and receivers
    /// that had not read it will see `Lagged`.
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        let mut wakes = WakeList::new();
        let mut ring = lock(&self.shared);
        if ring.receivers == 0 {
            return Err(SendError(value));
        }
        let overwritten =
            if ring.slots.len() == ring.capacity { ring.slots.pop_front() } else { None };
        let unread_by = ring.receivers;
        ring.slots.push_back(Slot { value, unread_by });
        ring.next_position += 1;
        ring.waiters.wake_all(&mut wakes);
        drop(ring);
        wakes.wake_all();
        // The overwritten value is dropped outside the lock, and after the wakes: its `Drop` is
        // user code, and a panic in it goes no further than the panic hook (`contain.rs`).
        contain::drop_value(overwritten);
        Ok(unread_by)
    }
    // ANCHOR_END: send

    /// A new receiver that will see values sent from now on.
    pub fn subscribe(&self) -> Receiver<T> {
        Receiver::subscribe(&self.shared)
    }

    /// A sender that does not keep the channel open; [`WeakSender::upgrade`] turns it back
    /// into a `Sender` while some sender is still alive.
    pub fn downgrade(&self) -> WeakSender<T> {
        lock(&self.shared).weak_senders += 1;
        WeakSender { shared: self.shared.clone() }
    }

    /// Values kept in the ring that some receiver has not read yet.
    pub fn len(&self) -> usize {
        lock(&self.shared).slots.len()
    }

    /// True when every receiver has read every kept value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Receivers alive now.
    pub fn receiver_count(&self) -> usize {
        lock(&self.shared).receivers
    }

    /// True if both senders send on the same channel.
    pub fn same_channel(&self, other: &Sender<T>) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Waits until no receiver is left (at once if there is none now).
    ///
    /// Cancel safety: cancel-safe.
    pub async fn closed(&self) {
        Closed { shared: &self.shared, waiter: None }.await
    }

    /// Senders alive now.
    pub fn strong_count(&self) -> usize {
        lock(&self.shared).senders
    }

    /// Weak senders alive now.
    pub fn weak_count(&self) -> usize {
        lock(&self.shared).weak_senders
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        lock(&self.shared).senders += 1;
        Sender { shared: self.shared.clone() }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut wakes = WakeList::new();
        {
            let mut ring = lock(&self.shared);
            ring.senders -= 1;
            if ring.senders == 0 {
                ring.waiters.wake_all(&mut wakes);
            }
        }
        wakes.wake_all_contained();
    }
}

// === impl WeakSender ===

impl<T> WeakSender<T> {
    /// A sender for the channel, if some sender is still alive; `None` once the last one was
    /// dropped (the receivers have seen the channel close).
    pub fn upgrade(&self) -> Option<Sender<T>> {
        let mut ring = lock(&self.shared);
        if ring.senders == 0 {
            return None;
        }
        ring.senders += 1;
        Some(Sender { shared: self.shared.clone() })
    }

    /// Senders alive now.
    pub fn strong_count(&self) -> usize {
        lock(&self.shared).senders
    }

    /// Weak senders alive now, this one included.
    pub fn weak_count(&self) -> usize {
        lock(&self.shared).weak_senders
    }
}

impl<T> Clone for WeakSender<T> {
    fn clone(&self) -> WeakSender<T> {
        lock(&self.shared).weak_senders += 1;
        WeakSender { shared: self.shared.clone() }
    }
}

impl<T> Drop for WeakSender<T> {
    fn drop(&mut self) {
        lock(&self.shared).weak_senders -= 1;
    }
}

// === impl Closed ===

/// Waits for the last receiver to go: one entry in `closed_waiters`.
struct Closed<'a, T> {
    shared: &'a Mutex<Ring<T>>,
    waiter: Option<WaiterId>,
}

impl<T> Future for Closed<'_, T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut ring = lock(self.shared);
        if ring.receivers == 0 {
            return Poll::Ready(());
        }
        let status = self.waiter.map(|id| ring.closed_waiters.poll_status(id, cx.waker()));
        if status != Some(Status::Waiting) {
            let id = ring.closed_waiters.push(cx.waker(), ());
            drop(ring);
            self.waiter = Some(id);
        }
        Poll::Pending
    }
}

impl<T> Drop for Closed<'_, T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            let _ = lock(self.shared).closed_waiters.cancel(id);
        }
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("ring", &*lock(&self.shared)).finish()
    }
}

impl<T> fmt::Debug for WeakSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakSender").field("ring", &*lock(&self.shared)).finish()
    }
}
