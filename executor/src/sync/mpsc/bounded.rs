//! The bounded channel: `Chan` with a count of free slots.
//!
//! Backpressure is the queue of senders waiting for a slot, in FIFO order: each `recv` frees
//! one slot and hands it straight to the oldest waiting sender.

use std::fmt;
use std::task::{Context, Poll};

use crate::loom::sync::Arc;
use crate::sync::mpsc::chan::Chan;
use crate::sync::mpsc::error::{SendError, TryRecvError, TrySendError};
use crate::sync::mpsc::receiver::receiver_impls;

/// Creates a bounded channel that holds at most `buffer` messages.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, mut rx) = clockwork::sync::mpsc::channel(2);
/// clockwork::spawn(async move {
///     for n in 0..5 {
///         tx.send(n).await.unwrap(); // waits while two messages are queued
///     }
/// });
/// let mut got = Vec::new();
/// while let Some(n) = rx.recv().await {
///     got.push(n);
/// }
/// assert_eq!(got, [0, 1, 2, 3, 4]);
/// # });
/// ```
///
/// # Panics
///
/// Panics if `buffer` is 0.
pub fn channel<T>(buffer: usize) -> (Sender<T>, Receiver<T>) {
    assert!(buffer > 0, "mpsc bounded channel requires buffer > 0");
    let chan = Arc::new(Chan::new(Some(buffer)));
    let sender = Sender { chan: chan.clone(), max_capacity: buffer };
    (sender, Receiver { chan })
}

/// Sends into a bounded channel. Clone it for more senders.
pub struct Sender<T> {
    chan: Arc<Chan<T>>,
    max_capacity: usize,
}

/// Receives from a bounded channel; the only receiver.
pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
}

/// One reserved slot in the channel: sending through it cannot fail or wait.
pub struct Permit<'a, T> {
    chan: &'a Chan<T>,
}

impl<T> Sender<T> {
    /// Waits for a free slot, then queues `value`. Gives the value back in `SendError` if the
    /// receiver is gone.
    ///
    /// Cancel safety: not cancel-safe. Dropping the future loses the value (it was moved in);
    /// the place in the queue of waiting senders is lost too. Use [`reserve`](Self::reserve)
    /// in `select!` instead.
    pub async fn send(&self, value: T) -> Result<(), SendError<T>> {
        // A free slot: queue the value in one critical section. Otherwise wait for a slot.
        let value = match self.chan.try_send(value) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Closed(value)) => return Err(SendError(value)),
            Err(TrySendError::Full(value)) => value,
        };
        match self.reserve().await {
            Ok(permit) => permit.send_or_return(value).map_err(SendError),
            Err(_) => Err(SendError(value)),
        }
    }

    /// Queues `value` if a slot is free now.
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.chan.try_send(value)
    }

    // ANCHOR: reserve
    /// Waits for a free slot and holds it: the returned `Permit` sends without waiting.
    ///
    /// Cancel safety: cancel-safe. Dropping the future leaves the senders' queue; a slot it
    /// had been handed goes to the next sender.
    pub async fn reserve(&self) -> Result<Permit<'_, T>, SendError<()>> {
        self.chan.reserve().await.map_err(|()| SendError(()))?;
        Ok(Permit { chan: &self.chan })
    }
    // ANCHOR_END: reserve

    /// Holds a free slot if there is one now.
    pub fn try_reserve(&self) -> Result<Permit<'_, T>, TrySendError<()>> {
        self.chan.try_reserve()?;
        Ok(Permit { chan: &self.chan })
    }

    /// Waits until the receiver is dropped or closed.
    ///
    /// Cancel safety: cancel-safe.
    pub async fn closed(&self) {
        self.chan.closed().await
    }

    /// True once the receiver is dropped or closed.
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed()
    }

    /// Free slots right now.
    pub fn capacity(&self) -> usize {
        self.chan.free_slots()
    }

    /// The buffer size the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.max_capacity
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        self.chan.add_sender();
        Sender { chan: self.chan.clone(), max_capacity: self.max_capacity }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.chan.drop_sender();
    }
}

// === impl Permit ===

impl<T> Permit<'_, T> {
    /// Queues `value` in the reserved slot. If the receiver was dropped meanwhile, the value is
    /// dropped, as it would have been had it been queued a moment earlier.
    pub fn send(self, value: T) {
        let _dropped_if_receiver_gone = self.send_or_return(value);
    }

    fn send_or_return(self, value: T) -> Result<(), T> {
        // The reservation is used up whatever happens next; `drop` must not return it a second
        // time. So the permit is forgotten before the push, which runs user code (the
        // receiver's waker).
        let chan = self.chan;
        std::mem::forget(self);
        chan.push_reserved(value)
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        self.chan.unreserve_one();
    }
}

// === impl Receiver ===

receiver_impls!(Receiver);

// === impl Debug ===

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("chan", &*self.chan).finish()
    }
}

impl<T> fmt::Debug for Permit<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").field("chan", self.chan).finish()
    }
}
