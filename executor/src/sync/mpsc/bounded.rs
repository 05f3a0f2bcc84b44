//! The bounded channel: `Chan` with a count of free slots.
//!
//! Backpressure is the queue of senders waiting for a slot, in FIFO order: each `recv` frees
//! one slot and hands it straight to the oldest waiting sender (`capacity.rs`). The ways to
//! hold a slot before sending, `Permit`, `PermitIterator` and `OwnedPermit`, are in
//! `permit.rs`.

use std::fmt;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::loom::sync::Arc;
use crate::sync::block_on::block_on;
use crate::sync::mpsc::chan::Chan;
use crate::sync::mpsc::error::{SendError, SendTimeoutError, TryRecvError, TrySendError};
use crate::sync::mpsc::permit::{OwnedPermit, Permit, PermitIterator};
use crate::sync::mpsc::receiver::receiver_impls;
use crate::sync::mpsc::weak::WeakSender;
use crate::task::coop;

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
/// Panics if `buffer` is 0, or larger than [`Semaphore::MAX_PERMITS`](crate::sync::Semaphore::MAX_PERMITS).
#[track_caller]
pub fn channel<T>(buffer: usize) -> (Sender<T>, Receiver<T>) {
    assert!(buffer > 0, "mpsc bounded channel requires buffer > 0");
    assert!(
        buffer <= crate::sync::Semaphore::MAX_PERMITS,
        "mpsc bounded channel requires buffer <= Semaphore::MAX_PERMITS"
    );
    let chan = Arc::new(Chan::new(Some(buffer)));
    (Sender { chan: chan.clone() }, Receiver { chan })
}

/// Sends into a bounded channel. Clone it for more senders.
pub struct Sender<T> {
    pub(super) chan: Arc<Chan<T>>,
}

/// Receives from a bounded channel; the only receiver.
pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
}

impl<T> Sender<T> {
    /// Waits for a free slot, then queues `value`. Gives the value back in `SendError` if the
    /// receiver is gone.
    ///
    /// Cancel safety: not cancel-safe. Dropping the future loses the value (it was moved in);
    /// the place in the queue of waiting senders is lost too. Use [`reserve`](Self::reserve)
    /// in `select!` instead.
    pub async fn send(&self, value: T) -> Result<(), SendError<T>> {
        // A send spends a unit of the task's budget, so that a loop of sends into a channel
        // with room still lets the other tasks run (`task::coop`). With budget left and a free
        // slot, the value goes in with one lock, and the unit is spent without yielding.
        let value = if coop::has_budget_remaining() {
            match self.chan.try_send(value) {
                Ok(()) => {
                    coop::consume_budget().await;
                    return Ok(());
                }
                Err(TrySendError::Closed(value)) => return Err(SendError(value)),
                Err(TrySendError::Full(value)) => value,
            }
        } else {
            value
        };
        // Otherwise `reserve` takes a slot (or a place in the queue) first, then yields if the
        // budget is spent, holding it: cancelled there, the send has sent nothing, as tokio's.
        match self.reserve().await {
            Ok(permit) => permit.send_or_return(value).map_err(SendError),
            Err(_) => Err(SendError(value)),
        }
    }

    /// Like [`send`](Self::send), but gives up after `timeout`, returning the value in
    /// `SendTimeoutError::Timeout`.
    ///
    /// Cancel safety: not cancel-safe, as `send`.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime if it has to wait: the timeout needs the runtime's
    /// timer. (tokio panics outside a runtime even when there is room.)
    pub async fn send_timeout(
        &self,
        value: T,
        timeout: Duration,
    ) -> Result<(), SendTimeoutError<T>> {
        let permit = match crate::time::timeout(timeout, self.reserve()).await {
            Err(_elapsed) => return Err(SendTimeoutError::Timeout(value)),
            Ok(Err(_closed)) => return Err(SendTimeoutError::Closed(value)),
            Ok(Ok(permit)) => permit,
        };
        permit.send_or_return(value).map_err(SendTimeoutError::Closed)
    }

    /// Sends from synchronous code: blocks the thread until there is room.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime, which blocking would stall.
    #[track_caller]
    pub fn blocking_send(&self, value: T) -> Result<(), SendError<T>> {
        block_on(self.send(value))
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
        self.chan.reserve(1).await.map_err(|()| SendError(()))?;
        Ok(Permit::new(&self.chan))
    }
    // ANCHOR_END: reserve

    /// Waits for `n` free slots at once and holds them: the iterator yields `n` permits.
    /// Fails at once if `n` exceeds the channel's size, since it could never be served.
    ///
    /// Cancel safety: cancel-safe. Slots collected while waiting go to the next sender.
    pub async fn reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, SendError<()>> {
        if n > self.max_capacity() {
            return Err(SendError(()));
        }
        self.chan.reserve(n).await.map_err(|()| SendError(()))?;
        Ok(PermitIterator::new(&self.chan, n))
    }

    /// Like [`reserve`](Self::reserve), but the permit owns the sender, so it can be moved
    /// into a task; sending through it gives the sender back.
    ///
    /// Cancel safety: cancel-safe, as `reserve`.
    pub async fn reserve_owned(self) -> Result<OwnedPermit<T>, SendError<()>> {
        self.chan.reserve(1).await.map_err(|()| SendError(()))?;
        Ok(OwnedPermit::new(self))
    }

    /// Holds a free slot if there is one now.
    pub fn try_reserve(&self) -> Result<Permit<'_, T>, TrySendError<()>> {
        self.chan.try_reserve(1)?;
        Ok(Permit::new(&self.chan))
    }

    /// Holds `n` free slots if there are that many now (`Full` if `n` exceeds the size).
    pub fn try_reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, TrySendError<()>> {
        if n > self.max_capacity() {
            return Err(TrySendError::Full(()));
        }
        self.chan.try_reserve(n)?;
        Ok(PermitIterator::new(&self.chan, n))
    }

    /// Holds a free slot in a permit that owns this sender; on failure the sender comes back
    /// in the error.
    pub fn try_reserve_owned(self) -> Result<OwnedPermit<T>, TrySendError<Sender<T>>> {
        match self.chan.try_reserve(1) {
            Ok(()) => Ok(OwnedPermit::new(self)),
            Err(TrySendError::Full(())) => Err(TrySendError::Full(self)),
            Err(TrySendError::Closed(())) => Err(TrySendError::Closed(self)),
        }
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

    /// True if both senders send into the same channel.
    pub fn same_channel(&self, other: &Sender<T>) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// Free slots right now.
    pub fn capacity(&self) -> usize {
        self.chan.free_slots()
    }

    /// The buffer size the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.chan.bound()
    }

    /// A sender that does not keep the channel open; [`WeakSender::upgrade`] turns it back
    /// into a `Sender` while some sender is still alive.
    pub fn downgrade(&self) -> WeakSender<T> {
        WeakSender::new(self.chan.clone())
    }

    /// Senders (and owned permits) alive now.
    pub fn strong_count(&self) -> usize {
        self.chan.sender_counts().0
    }

    /// Weak senders alive now.
    pub fn weak_count(&self) -> usize {
        self.chan.sender_counts().1
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        self.chan.add_sender();
        Sender { chan: self.chan.clone() }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.chan.drop_sender();
    }
}

// === impl Receiver ===

receiver_impls!(Receiver);

impl<T> Receiver<T> {
    /// Free slots right now: the channel's size less queued messages and held permits.
    pub fn capacity(&self) -> usize {
        self.chan.free_slots()
    }

    /// The buffer size the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.chan.bound()
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("chan", &*self.chan).finish()
    }
}
