//! Streams: the receivers of `sync::mpsc` as `futures_core::Stream`s.
//!
//! `mpsc::Receiver` and `mpsc::UnboundedReceiver` implement `Stream` themselves, so
//! `StreamExt` adapters work on them directly. The wrappers in [`wrappers`] exist for
//! programs written against tokio, where receivers are not streams and `tokio-stream`
//! provides `ReceiverStream`; with them, the same source compiles on both runtimes.

/// Stream wrappers with `tokio-stream`'s names.
pub mod wrappers {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use futures_core::Stream;

    use crate::sync::mpsc::{Receiver, UnboundedReceiver};

    /// An `mpsc::Receiver` as a `Stream` that ends when every sender is gone.
    ///
    /// ```
    /// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
    /// use clockwork::stream::wrappers::ReceiverStream;
    /// use futures_util::StreamExt;
    ///
    /// let (tx, rx) = clockwork::sync::mpsc::channel(4);
    /// clockwork::spawn(async move {
    ///     for n in 1..=3 {
    ///         tx.send(n).await.unwrap();
    ///     }
    /// });
    /// let total: i32 = ReceiverStream::new(rx).fold(0, |sum, n| async move { sum + n }).await;
    /// assert_eq!(total, 6);
    /// # });
    /// ```
    #[derive(Debug)]
    pub struct ReceiverStream<T> {
        inner: Receiver<T>,
    }

    /// An `mpsc::UnboundedReceiver` as a `Stream` that ends when every sender is gone.
    #[derive(Debug)]
    pub struct UnboundedReceiverStream<T> {
        inner: UnboundedReceiver<T>,
    }

    impl<T> ReceiverStream<T> {
        /// Wraps `receiver`.
        pub fn new(receiver: Receiver<T>) -> ReceiverStream<T> {
            ReceiverStream { inner: receiver }
        }

        /// The receiver back.
        pub fn into_inner(self) -> Receiver<T> {
            self.inner
        }

        /// Closes the channel, as `Receiver::close`; queued messages still come out.
        pub fn close(&mut self) {
            self.inner.close();
        }
    }

    impl<T> UnboundedReceiverStream<T> {
        /// Wraps `receiver`.
        pub fn new(receiver: UnboundedReceiver<T>) -> UnboundedReceiverStream<T> {
            UnboundedReceiverStream { inner: receiver }
        }

        /// The receiver back.
        pub fn into_inner(self) -> UnboundedReceiver<T> {
            self.inner
        }

        /// Closes the channel, as `UnboundedReceiver::close`; queued messages still come out.
        pub fn close(&mut self) {
            self.inner.close();
        }
    }

    impl<T> Stream for ReceiverStream<T> {
        type Item = T;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
            self.inner.poll_recv(cx)
        }
    }

    impl<T> Stream for UnboundedReceiverStream<T> {
        type Item = T;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
            self.inner.poll_recv(cx)
        }
    }

    impl<T> From<Receiver<T>> for ReceiverStream<T> {
        fn from(receiver: Receiver<T>) -> ReceiverStream<T> {
            ReceiverStream::new(receiver)
        }
    }

    impl<T> From<UnboundedReceiver<T>> for UnboundedReceiverStream<T> {
        fn from(receiver: UnboundedReceiver<T>) -> UnboundedReceiverStream<T> {
            UnboundedReceiverStream::new(receiver)
        }
    }
}
