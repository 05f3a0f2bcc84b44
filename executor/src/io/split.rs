//! `split`: any stream that reads and writes, cut into a reading half and a writing half.
//!
//! The halves share the stream behind an `Arc<Mutex<_>>`, so each may live in its own task
//! (the socket types have cheaper `split`s of their own, which take no lock). The stream is
//! pinned in a `Box` once, so it need not be `Unpin`; taking it back out with `unsplit` needs
//! `Unpin`, as in tokio.

use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use crate::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The reading half of [`split`].
pub struct ReadHalf<T> {
    inner: Arc<Mutex<Pin<Box<T>>>>,
}

/// The writing half of [`split`].
pub struct WriteHalf<T> {
    inner: Arc<Mutex<Pin<Box<T>>>>,
}

/// Cuts `stream` into a half that reads and a half that writes, as `tokio::io::split`.
pub fn split<T: AsyncRead + AsyncWrite>(stream: T) -> (ReadHalf<T>, WriteHalf<T>) {
    let inner = Arc::new(Mutex::new(Box::pin(stream)));
    (ReadHalf { inner: inner.clone() }, WriteHalf { inner })
}

/// Locks the shared stream; a poisoned lock is taken as it is (a panic inside a poll leaves
/// the stream as consistent as the stream's own code left it).
fn lock<T>(inner: &Mutex<Pin<Box<T>>>) -> MutexGuard<'_, Pin<Box<T>>> {
    inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<T> ReadHalf<T> {
    /// Whether `other` is the writing half of the same stream.
    pub fn is_pair_of(&self, other: &WriteHalf<T>) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Puts the stream back together.
    ///
    /// # Panics
    ///
    /// If `write` is the half of another stream.
    #[track_caller]
    pub fn unsplit(self, write: WriteHalf<T>) -> T
    where
        T: Unpin,
    {
        assert!(self.is_pair_of(&write), "unrelated `WriteHalf` passed to `ReadHalf::unsplit`");
        drop(write);
        let mutex = Arc::try_unwrap(self.inner).ok().expect("the halves held the only references");
        let pinned = mutex.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        *Pin::into_inner(pinned)
    }
}

impl<T> WriteHalf<T> {
    /// Whether `other` is the reading half of the same stream.
    pub fn is_pair_of(&self, other: &ReadHalf<T>) -> bool {
        other.is_pair_of(self)
    }
}

impl<T: AsyncRead> AsyncRead for ReadHalf<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        lock(&self.inner).as_mut().poll_read(cx, buf)
    }
}

impl<T: AsyncWrite> AsyncWrite for WriteHalf<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        lock(&self.inner).as_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        lock(&self.inner).as_mut().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        lock(&self.inner).is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        lock(&self.inner).as_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        lock(&self.inner).as_mut().poll_shutdown(cx)
    }
}

impl<T> fmt::Debug for ReadHalf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("split::ReadHalf").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for WriteHalf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("split::WriteHalf").finish_non_exhaustive()
    }
}
