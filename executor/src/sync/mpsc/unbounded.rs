//! The unbounded channel: `Chan` without a capacity, so sending never waits.

use std::fmt;
use std::task::{Context, Poll};

use crate::loom::sync::Arc;
use crate::sync::mpsc::chan::Chan;
use crate::sync::mpsc::error::{SendError, TryRecvError};
use crate::sync::mpsc::receiver::receiver_impls;
use crate::sync::mpsc::weak::WeakUnboundedSender;

/// Creates a channel with no bound: `send` never waits, and memory is the only limit.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, mut rx) = clockwork::sync::mpsc::unbounded_channel();
/// tx.send("a").unwrap();
/// drop(tx);
/// assert_eq!(rx.recv().await, Some("a"));
/// assert_eq!(rx.recv().await, None);
/// # });
/// ```
pub fn unbounded_channel<T>() -> (UnboundedSender<T>, UnboundedReceiver<T>) {
    let chan = Arc::new(Chan::new(None));
    (UnboundedSender { chan: chan.clone() }, UnboundedReceiver { chan })
}

/// Sends into an unbounded channel. Clone it for more senders.
pub struct UnboundedSender<T> {
    pub(super) chan: Arc<Chan<T>>,
}

/// Receives from an unbounded channel; the only receiver.
pub struct UnboundedReceiver<T> {
    chan: Arc<Chan<T>>,
}

impl<T> UnboundedSender<T> {
    /// Queues `value`, or gives it back if the receiver is gone. Never waits.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.chan.push(value).map_err(SendError)
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
    pub fn same_channel(&self, other: &UnboundedSender<T>) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// A sender that does not keep the channel open; see [`WeakUnboundedSender::upgrade`].
    pub fn downgrade(&self) -> WeakUnboundedSender<T> {
        WeakUnboundedSender::new(self.chan.clone())
    }

    /// Senders alive now.
    pub fn strong_count(&self) -> usize {
        self.chan.sender_counts().0
    }

    /// Weak senders alive now.
    pub fn weak_count(&self) -> usize {
        self.chan.sender_counts().1
    }
}

impl<T> Clone for UnboundedSender<T> {
    fn clone(&self) -> UnboundedSender<T> {
        self.chan.add_sender();
        UnboundedSender { chan: self.chan.clone() }
    }
}

impl<T> Drop for UnboundedSender<T> {
    fn drop(&mut self) {
        self.chan.drop_sender();
    }
}

receiver_impls!(UnboundedReceiver);

impl<T> fmt::Debug for UnboundedSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnboundedSender").field("chan", &*self.chan).finish()
    }
}
