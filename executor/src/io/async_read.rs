//! `AsyncRead`: tokio's reading trait, which fills a [`ReadBuf`] instead of returning a count.
//!
//! A reader answers `Poll::Ready(Ok(()))` after putting bytes into `buf` (through
//! `put_slice` or `advance`); it answers the same with nothing put there to say end of stream,
//! and `Poll::Pending` after arranging for `cx`'s waker to be woken.
//! The implementations below are the ones tokio has: pointers forward to what they point to,
//! and byte slices and cursors read from memory.

use std::io;
use std::ops::DerefMut;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::io::ReadBuf;

/// Reads bytes asynchronously, as `tokio::io::AsyncRead`.
///
/// Use [`AsyncReadExt`](crate::io::AsyncReadExt) for the `async fn`s built on it.
pub trait AsyncRead {
    /// Puts the bytes that are available into `buf`'s unfilled part.
    ///
    /// `Ready(Ok(()))` with nothing added means end of stream (unless `buf` had no room).
    /// `Pending` means no byte is available yet, and `cx`'s waker will be woken when one is.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>>;
}

impl<T: ?Sized + AsyncRead + Unpin> AsyncRead for Box<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut **self).poll_read(cx, buf)
    }
}

impl<T: ?Sized + AsyncRead + Unpin> AsyncRead for &mut T {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut **self).poll_read(cx, buf)
    }
}

impl<P> AsyncRead for Pin<P>
where
    P: DerefMut,
    P::Target: AsyncRead,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.as_deref_mut().poll_read(cx, buf)
    }
}

/// Reading a slice takes bytes off its front.
impl AsyncRead for &[u8] {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let len = self.len().min(buf.remaining());
        let (taken, rest) = self.split_at(len);
        buf.put_slice(taken);
        *self = rest;
        Poll::Ready(Ok(()))
    }
}

/// Reading a cursor copies from its position and moves the position on.
impl<T: AsRef<[u8]> + Unpin> AsyncRead for io::Cursor<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let start = usize::try_from(self.position()).unwrap_or(usize::MAX);
        let bytes = self.get_ref().as_ref();
        let rest = bytes.get(start..).unwrap_or_default();
        let len = rest.len().min(buf.remaining());
        buf.put_slice(&rest[..len]);
        let end = start + len;
        self.set_position(end as u64);
        Poll::Ready(Ok(()))
    }
}
