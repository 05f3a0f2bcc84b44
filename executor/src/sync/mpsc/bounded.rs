//! The bounded channel: `Chan` plus a `Semaphore` holding one permit per free slot.
//!
//! Backpressure is the semaphore's queue: a sender with no free slot waits for a permit, in
//! FIFO order, and `recv` returns one permit per message it takes.

use std::fmt;
use std::task::{Context, Poll};

use crate::loom::sync::Arc;
use crate::sync::Semaphore;
use crate::sync::mpsc::chan::Chan;
use crate::sync::mpsc::error::{SendError, TryRecvError, TrySendError};
use crate::sync::semaphore::TryAcquireError;

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
    let chan = Arc::new(Chan::new(Some(Semaphore::new(buffer))));
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
        match self.reserve().await {
            Ok(permit) => permit.send_or_return(value).map_err(SendError),
            Err(_) => Err(SendError(value)),
        }
    }

    /// Queues `value` if a slot is free now.
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        match self.try_reserve() {
            Ok(permit) => permit.send_or_return(value).map_err(TrySendError::Closed),
            Err(TrySendError::Full(())) => Err(TrySendError::Full(value)),
            Err(TrySendError::Closed(())) => Err(TrySendError::Closed(value)),
        }
    }

    // ANCHOR: reserve
    /// Waits for a free slot and holds it: the returned `Permit` sends without waiting.
    ///
    /// Cancel safety: cancel-safe. Dropping the future leaves the senders' queue; a slot it
    /// had been handed goes to the next sender.
    pub async fn reserve(&self) -> Result<Permit<'_, T>, SendError<()>> {
        let capacity = self.chan.capacity.as_ref().expect("a bounded channel has a capacity");
        let permit = capacity.acquire().await.map_err(|_| SendError(()))?;
        // The slot now belongs to the `Permit`, not to the semaphore permit.
        permit.forget();
        if !self.chan.reserve_one() {
            capacity.add_permits(1);
            return Err(SendError(()));
        }
        Ok(Permit { chan: &self.chan })
    }
    // ANCHOR_END: reserve

    /// Holds a free slot if there is one now.
    pub fn try_reserve(&self) -> Result<Permit<'_, T>, TrySendError<()>> {
        let capacity = self.chan.capacity.as_ref().expect("a bounded channel has a capacity");
        match capacity.try_acquire() {
            Ok(permit) => permit.forget(),
            Err(TryAcquireError::NoPermits) => return Err(TrySendError::Full(())),
            Err(TryAcquireError::Closed) => return Err(TrySendError::Closed(())),
        }
        if !self.chan.reserve_one() {
            capacity.add_permits(1);
            return Err(TrySendError::Closed(()));
        }
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
        let capacity = self.chan.capacity.as_ref().expect("a bounded channel has a capacity");
        capacity.available_permits()
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
        let result = self.chan.push_reserved(value);
        // The reservation is used up either way; do not let `drop` return it a second time.
        std::mem::forget(self);
        result
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        self.chan.unreserve_one();
    }
}

// === impl Receiver ===

impl<T> Receiver<T> {
    /// Waits for the next message; `None` once every sender is gone (or the channel is closed)
    /// and the queue is empty.
    ///
    /// Cancel safety: cancel-safe. A message is only taken from the queue by the poll that
    /// returns it.
    pub async fn recv(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.chan.poll_recv(cx)).await
    }

    /// Polls for the next message, storing the waker if there is none yet.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.chan.poll_recv(cx)
    }

    /// Takes the next message if one is queued.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.chan.try_recv()
    }

    /// Refuses new sends and wakes waiting senders; queued messages can still be received.
    pub fn close(&mut self) {
        self.chan.close();
    }

    /// True once `close` was called.
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed()
    }

    /// Messages queued now.
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// True when no message is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.chan.drop_receiver();
    }
}

impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;

    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.chan.poll_recv(cx)
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("chan", &*self.chan).finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").field("chan", &*self.chan).finish()
    }
}

impl<T> fmt::Debug for Permit<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").field("chan", self.chan).finish()
    }
}
