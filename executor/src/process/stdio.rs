//! `ChildStdin`, `ChildStdout`, `ChildStderr`: a child's piped standard streams, through the reactor.
//!
//! Each is our end of a pipe, a `clockwork_reactor::net::pipe` end (nonblocking, registered
//! like a socket): a read that finds the pipe empty stores the task's waker, and the reactor
//! wakes it when the child writes. The pipe types implement futures-io's traits in the reactor;
//! the impls here give tokio's, on top of those, as `io/net_impls.rs` does for the sockets.
//!
//! When the child exits (or closes the stream), a read answers the end of the stream, `Ok(0)`;
//! a write to a child that closed its stdin answers `BrokenPipe`.

use std::io::{self, IoSlice};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};

use clockwork_reactor::net::pipe;

use crate::io::compat::read_from_futures;
use crate::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The child's standard input, when it was piped: write to it, drop it to close it.
#[derive(Debug)]
pub struct ChildStdin {
    inner: pipe::Sender,
}

/// The child's standard output, when it was piped.
#[derive(Debug)]
pub struct ChildStdout {
    inner: pipe::Receiver,
}

/// The child's standard error, when it was piped.
#[derive(Debug)]
pub struct ChildStderr {
    inner: pipe::Receiver,
}

impl ChildStdin {
    /// Takes over `std`'s handle, making it nonblocking and registering it with the current
    /// reactor.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime, as a socket does.
    #[track_caller]
    pub fn from_std(inner: std::process::ChildStdin) -> io::Result<ChildStdin> {
        let inner = pipe::Sender::from_owned_fd_unchecked(OwnedFd::from(inner))?;
        Ok(ChildStdin { inner })
    }

    /// Deregisters the pipe and hands its fd back, in blocking mode.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        self.inner.into_blocking_fd()
    }
}

impl ChildStdout {
    /// Takes over `std`'s handle; see [`ChildStdin::from_std`].
    #[track_caller]
    pub fn from_std(inner: std::process::ChildStdout) -> io::Result<ChildStdout> {
        let inner = pipe::Receiver::from_owned_fd_unchecked(OwnedFd::from(inner))?;
        Ok(ChildStdout { inner })
    }

    /// Deregisters the pipe and hands its fd back, in blocking mode.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        self.inner.into_blocking_fd()
    }
}

impl ChildStderr {
    /// Takes over `std`'s handle; see [`ChildStdin::from_std`].
    #[track_caller]
    pub fn from_std(inner: std::process::ChildStderr) -> io::Result<ChildStderr> {
        let inner = pipe::Receiver::from_owned_fd_unchecked(OwnedFd::from(inner))?;
        Ok(ChildStderr { inner })
    }

    /// Deregisters the pipe and hands its fd back, in blocking mode.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        self.inner.into_blocking_fd()
    }
}

// === impl AsyncWrite for ChildStdin ===

impl AsyncWrite for ChildStdin {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(Pin::new(&mut self.inner), cx, buf)
    }

    /// One `writev(2)`.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write_vectored(Pin::new(&mut self.inner), cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    /// Nothing is buffered in user space.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Nothing to do, as in tokio: the child reads the end of its input when the
    /// `ChildStdin` is dropped (or taken by `Child::wait`).
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

// === impl AsyncRead for ChildStdout, ChildStderr ===

/// Implements tokio's `AsyncRead` through the pipe's futures-io `AsyncRead`.
macro_rules! read_through_pipe {
    ($($reader:ty),*) => {$(
        impl AsyncRead for $reader {
            fn poll_read(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                read_from_futures(Pin::new(&mut self.inner), cx, buf)
            }
        }
    )*};
}

read_through_pipe!(ChildStdout, ChildStderr);

// === conversions: fds, and `Stdio` for the next child ===

/// `AsFd`, `AsRawFd` and `TryFrom<_> for Stdio` (back to blocking mode, to give the pipe to
/// another child: `cat`'s stdout as `wc`'s stdin).
macro_rules! fd_conversions {
    ($($stream:ty),*) => {$(
        impl AsFd for $stream {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.inner.as_fd()
            }
        }

        impl AsRawFd for $stream {
            fn as_raw_fd(&self) -> RawFd {
                self.inner.as_raw_fd()
            }
        }

        impl TryFrom<$stream> for Stdio {
            type Error = io::Error;

            fn try_from(stream: $stream) -> io::Result<Stdio> {
                stream.into_owned_fd().map(Stdio::from)
            }
        }
    )*};
}

fd_conversions!(ChildStdin, ChildStdout, ChildStderr);
