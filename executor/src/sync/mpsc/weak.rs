//! Weak senders: a handle to a channel that does not keep it open.
//!
//! A channel ends when its last `Sender` is dropped. A task that wants to send to itself, or a
//! registry that hands out senders, must not keep its channel alive for ever, so it keeps a
//! weak sender and upgrades it when it needs to send: that works only while some sender is
//! still alive. Both counts live in the channel's state (`senders`, `weak_senders`).

use std::fmt;

use crate::loom::sync::Arc;
use crate::sync::mpsc::bounded::Sender;
use crate::sync::mpsc::chan::Chan;
use crate::sync::mpsc::unbounded::UnboundedSender;

/// A [`Sender`] that does not keep the channel open; see [`Sender::downgrade`].
pub struct WeakSender<T> {
    chan: Arc<Chan<T>>,
}

/// An [`UnboundedSender`] that does not keep the channel open; see
/// [`UnboundedSender::downgrade`].
pub struct WeakUnboundedSender<T> {
    chan: Arc<Chan<T>>,
}

/// Gives both weak senders the same methods; `$strong` is the sender they upgrade to.
macro_rules! weak_impls {
    ($weak:ident, $strong:ident) => {
        impl<T> $weak<T> {
            pub(super) fn new(chan: Arc<Chan<T>>) -> $weak<T> {
                chan.add_weak_sender();
                $weak { chan }
            }

            /// A sender for the channel, if some sender is still alive; `None` once the last
            /// one was dropped (the channel has ended for the receiver).
            pub fn upgrade(&self) -> Option<$strong<T>> {
                self.chan.upgrade().then(|| $strong { chan: self.chan.clone() })
            }

            /// Senders alive now.
            pub fn strong_count(&self) -> usize {
                self.chan.sender_counts().0
            }

            /// Weak senders alive now, this one included.
            pub fn weak_count(&self) -> usize {
                self.chan.sender_counts().1
            }
        }

        impl<T> Clone for $weak<T> {
            fn clone(&self) -> $weak<T> {
                $weak::new(self.chan.clone())
            }
        }

        impl<T> Drop for $weak<T> {
            fn drop(&mut self) {
                self.chan.drop_weak_sender();
            }
        }

        impl<T> fmt::Debug for $weak<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($weak)).field("chan", &*self.chan).finish()
            }
        }
    };
}

weak_impls!(WeakSender, Sender);
weak_impls!(WeakUnboundedSender, UnboundedSender);
