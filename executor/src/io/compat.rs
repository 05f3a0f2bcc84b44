//! Between tokio's I/O traits and futures-io's: one wrapper, [`Compat`], that turns either
//! shape into the other.
//!
//! Clockwork's `io` traits are tokio's, so that tokio programs port. smol, async-std and the
//! `futures` crate speak futures-io (`AsyncRead` filling a `&mut [u8]`, `poll_close`). Wrap a
//! value in `Compat` and it speaks the other dialect:
//!
//! ```
//! use clockwork::io::compat::CompatExt;
//! use futures::AsyncReadExt as _; // futures' methods, on a tokio-shaped reader
//!
//! # clockwork::runtime::Runtime::new().unwrap().block_on(async {
//! let tokio_shaped: &[u8] = b"hello";
//! let mut futures_shaped = tokio_shaped.compat();
//! let mut text = String::new();
//! futures_shaped.read_to_string(&mut text).await?;
//! assert_eq!(text, "hello");
//! # Ok::<(), std::io::Error>(()) }).unwrap();
//! ```
//!
//! Clockwork's own sockets need no wrapper: they implement both.
//!
//! | tokio                         | futures-io                 |
//! |-------------------------------|----------------------------|
//! | `poll_read(cx, &mut ReadBuf)` | `poll_read(cx, &mut [u8])` |
//! | `poll_shutdown`               | `poll_close`               |
//! | `start_seek` + `poll_complete`| `poll_seek`                |

use std::io::{self, IoSlice, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

use crate::io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

pin_project! {
    /// A reader, writer or seeker of one dialect, speaking the other: tokio's traits when the
    /// inner value has futures-io's, and futures-io's when it has tokio's.
    #[derive(Debug)]
    pub struct Compat<T> {
        #[pin]
        inner: T,
        // A tokio-style seek started on a futures-io seeker: where to go.
        seek_to: Option<SeekFrom>,
        // A futures-io-style seek on a tokio seeker has been started and not yet completed.
        seek_started: bool,
    }
}

impl<T> Compat<T> {
    /// Wraps `inner`.
    pub fn new(inner: T) -> Compat<T> {
        Compat { inner, seek_to: None, seek_started: false }
    }

    /// The wrapped value.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The wrapped value, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// The wrapped value.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

/// `.compat()` for every value: wraps it in [`Compat`].
pub trait CompatExt: Sized {
    /// Wraps `self` in [`Compat`], which speaks the other dialect.
    fn compat(self) -> Compat<Self> {
        Compat::new(self)
    }
}

impl<T> CompatExt for T {}

/// Reads a futures-io reader into a tokio [`ReadBuf`]: Clockwork's sockets and [`Compat`]
/// share this.
pub(crate) fn read_from_futures<R: futures_io::AsyncRead + ?Sized>(
    reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    let read = ready!(reader.poll_read(cx, buf.initialize_unfilled()))?;
    buf.advance(read);
    Poll::Ready(Ok(()))
}

// === futures-io inside, tokio outside ===

impl<T: futures_io::AsyncRead> AsyncRead for Compat<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        read_from_futures(self.project().inner, cx, buf)
    }
}

impl<T: futures_io::AsyncWrite> AsyncWrite for Compat<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(self.project().inner, cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write_vectored(self.project().inner, cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(self.project().inner, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_close(self.project().inner, cx)
    }
}

impl<T: futures_io::AsyncBufRead> AsyncBufRead for Compat<T> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        futures_io::AsyncBufRead::poll_fill_buf(self.project().inner, cx)
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        futures_io::AsyncBufRead::consume(self.project().inner, amt)
    }
}

impl<T: futures_io::AsyncSeek> AsyncSeek for Compat<T> {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        *self.project().seek_to = Some(position);
        Ok(())
    }

    /// Runs the recorded seek, or a seek to where we are, which answers the position.
    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.project();
        let position = this.seek_to.unwrap_or(SeekFrom::Current(0));
        let result = ready!(futures_io::AsyncSeek::poll_seek(this.inner, cx, position));
        *this.seek_to = None;
        Poll::Ready(result)
    }
}

// === tokio inside, futures-io outside ===

impl<T: AsyncRead> futures_io::AsyncRead for Compat<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let mut read_buf = ReadBuf::new(buf);
        ready!(AsyncRead::poll_read(self.project().inner, cx, &mut read_buf))?;
        Poll::Ready(Ok(read_buf.filled().len()))
    }
}

impl<T: AsyncWrite> futures_io::AsyncWrite for Compat<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        AsyncWrite::poll_write(self.project().inner, cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        AsyncWrite::poll_write_vectored(self.project().inner, cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        AsyncWrite::poll_flush(self.project().inner, cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        AsyncWrite::poll_shutdown(self.project().inner, cx)
    }
}

impl<T: AsyncBufRead> futures_io::AsyncBufRead for Compat<T> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        AsyncBufRead::poll_fill_buf(self.project().inner, cx)
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        AsyncBufRead::consume(self.project().inner, amt)
    }
}

impl<T: AsyncSeek> futures_io::AsyncSeek for Compat<T> {
    /// Starts the tokio seek once, then polls it to the end.
    fn poll_seek(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        position: SeekFrom,
    ) -> Poll<io::Result<u64>> {
        let mut this = self.project();
        if !*this.seek_started {
            // A seek someone else started must end first.
            ready!(this.inner.as_mut().poll_complete(cx))?;
            this.inner.as_mut().start_seek(position)?;
            *this.seek_started = true;
        }
        let result = ready!(this.inner.poll_complete(cx));
        *this.seek_started = false;
        Poll::Ready(result)
    }
}
