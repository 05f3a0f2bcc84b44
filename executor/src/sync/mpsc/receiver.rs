//! The receiving half's methods, written once for both flavours.
//!
//! A bounded `Receiver` and an `UnboundedReceiver` differ only in the channel behind them (with
//! or without free slots); receiving is the same code, `Chan`'s. tokio keeps them as two types,
//! so Clockwork does too, and this macro gives both the same methods, `Drop`, `Stream` and
//! `Debug` implementations instead of two copies of each.

/// Implements the receiver API for `$receiver`, a struct with a `chan: Arc<Chan<T>>` field.
macro_rules! receiver_impls {
    ($receiver:ident) => {
        impl<T> $receiver<T> {
            /// Waits for the next message; `None` once every sender is gone (or the channel is
            /// closed) and the queue is empty.
            ///
            /// Cancel safety: cancel-safe. A message is only taken from the queue by the poll
            /// that returns it.
            pub async fn recv(&mut self) -> Option<T> {
                std::future::poll_fn(|cx| self.chan.poll_recv(cx)).await
            }

            /// Polls for the next message, storing the waker if there is none yet.
            pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
                self.chan.poll_recv(cx)
            }

            /// Waits for at least one message, then appends up to `limit` of the queued
            /// messages to `buffer` and returns how many. Returns 0 at once when `limit` is
            /// 0, and once the channel is closed and empty.
            ///
            /// Cancel safety: cancel-safe. Messages are only taken by the poll that returns.
            pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
                std::future::poll_fn(|cx| self.chan.poll_recv_many(cx, buffer, limit)).await
            }

            /// Polls for messages as [`recv_many`](Self::recv_many) waits for them, storing
            /// the waker if there are none yet.
            pub fn poll_recv_many(
                &mut self,
                cx: &mut Context<'_>,
                buffer: &mut Vec<T>,
                limit: usize,
            ) -> Poll<usize> {
                self.chan.poll_recv_many(cx, buffer, limit)
            }

            /// Receives from synchronous code: blocks the thread until a message arrives or
            /// the channel ends.
            ///
            /// # Panics
            ///
            /// Panics when called from a thread that runs a runtime, which blocking would
            /// stall.
            #[track_caller]
            pub fn blocking_recv(&mut self) -> Option<T> {
                crate::sync::block_on::block_on(self.recv())
            }

            /// [`recv_many`](Self::recv_many) from synchronous code: blocks the thread.
            ///
            /// # Panics
            ///
            /// Panics when called from a thread that runs a runtime.
            #[track_caller]
            pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
                crate::sync::block_on::block_on(self.recv_many(buffer, limit))
            }

            /// Takes the next message if one is queued.
            pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
                self.chan.try_recv()
            }

            /// Refuses new sends (and wakes any sender waiting for room); queued messages and
            /// those that permits already reserved can still be received.
            pub fn close(&mut self) {
                self.chan.close();
            }

            /// True once `close` was called or every sender is gone, even with messages still
            /// queued: nothing new can be sent.
            pub fn is_closed(&self) -> bool {
                self.chan.is_closed_for_receiver()
            }

            /// Messages queued now.
            pub fn len(&self) -> usize {
                self.chan.len()
            }

            /// True when no message is queued.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Senders alive now (owned permits count: each carries one).
            pub fn sender_strong_count(&self) -> usize {
                self.chan.sender_counts().0
            }

            /// Weak senders alive now.
            pub fn sender_weak_count(&self) -> usize {
                self.chan.sender_counts().1
            }
        }

        impl<T> Drop for $receiver<T> {
            fn drop(&mut self) {
                self.chan.drop_receiver();
            }
        }

        impl<T> futures_core::Stream for $receiver<T> {
            type Item = T;

            fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
                self.chan.poll_recv(cx)
            }
        }

        impl<T> fmt::Debug for $receiver<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($receiver)).field("chan", &*self.chan).finish()
            }
        }
    };
}

pub(super) use receiver_impls;
