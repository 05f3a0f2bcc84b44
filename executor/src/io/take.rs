//! `Take`: a reader that stops after a number of bytes, from `AsyncReadExt::take`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

use crate::io::{AsyncBufRead, AsyncRead, ReadBuf};

pin_project! {
    /// A reader that answers end of stream after `limit` bytes of the inner one.
    #[derive(Debug)]
    #[must_use = "readers do nothing unless you read from them"]
    pub struct Take<R> {
        #[pin]
        inner: R,
        // How many more bytes may be read.
        limit: u64,
    }
}

impl<R: AsyncRead> Take<R> {
    /// At most `limit` bytes of `inner`.
    pub(crate) fn new(inner: R, limit: u64) -> Take<R> {
        Take { inner, limit }
    }

    /// How many more bytes may be read.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Allows `limit` more bytes from now on.
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    /// The inner reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The inner reader, mutably; reading it directly does not count against the limit.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The inner reader, pinned.
    pub fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut R> {
        self.project().inner
    }

    /// The inner reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: AsyncRead> AsyncRead for Take<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.project();
        if *this.limit == 0 {
            return Poll::Ready(Ok(()));
        }
        // The inner reader sees a buffer no longer than the limit.
        let allowed = usize::try_from(*this.limit).unwrap_or(usize::MAX);
        let mut limited = buf.take(allowed);
        let lent = limited.initialized().as_ptr();
        ready!(this.inner.poll_read(cx, &mut limited))?;
        // The inner reader may assign a whole new `ReadBuf`; its bytes are not in ours.
        assert!(
            std::ptr::eq(limited.initialized().as_ptr(), lent),
            "the reader swapped its ReadBuf"
        );
        let read = limited.filled().len();
        buf.advance(read);
        *this.limit -= read as u64;
        Poll::Ready(Ok(()))
    }
}

impl<R: AsyncBufRead> AsyncBufRead for Take<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.project();
        if *this.limit == 0 {
            return Poll::Ready(Ok(&[]));
        }
        let available = ready!(this.inner.poll_fill_buf(cx))?;
        let allowed = usize::try_from(*this.limit).unwrap_or(usize::MAX).min(available.len());
        Poll::Ready(Ok(&available[..allowed]))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let this = self.project();
        let amt = (amt as u64).min(*this.limit);
        *this.limit -= amt;
        this.inner.consume(amt as usize);
    }
}
