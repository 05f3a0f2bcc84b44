//! tokio's `AsyncRead` and `AsyncWrite` for the reactor's sockets.
//!
//! The sockets live in `clockwork-reactor`, which implements futures-io's traits for them and
//! cannot name these (it never depends on the executor). The orphan rule allows a crate to
//! implement its own trait for a foreign type, so the impls live here, each a call to the
//! futures-io method of the same socket: one read path, two dialects. A ready read or write
//! spends a unit of the task's budget there, in the reactor (`Registration::poll_ready_as`).
//!
//! A read or write that leaves its task waiting also tells the runtime which socket it waits on
//! (only while events are recorded), so that the reactor's wake of that task can name it
//! (`trace::SocketWait`): the reactor itself fires wakers without saying whose socket they
//! belong to.

use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use clockwork_reactor::net::{TcpStream, UnixStream, tcp, unix};

use crate::io::compat::read_from_futures;
use crate::io::{AsyncRead, AsyncWrite, ReadBuf};
use crate::runtime::context;
use crate::trace::{IoDirection, SocketWait};

/// Implements tokio's `AsyncRead` through the type's futures-io `AsyncRead`.
macro_rules! tokio_read {
    ($($reader:ty),* $(,)?) => {$(
        impl AsyncRead for $reader {
            fn poll_read(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                let poll = read_from_futures(self.as_mut(), cx, buf);
                note_if_pending(&poll, &*self, IoDirection::Read);
                poll
            }
        }
    )*};
}

/// Implements tokio's `AsyncWrite` through the type's futures-io `AsyncWrite`.
macro_rules! tokio_write {
    ($($writer:ty),* $(,)?) => {$(
        impl AsyncWrite for $writer {
            fn poll_write(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                let poll = futures_io::AsyncWrite::poll_write(self.as_mut(), cx, buf);
                note_if_pending(&poll, &*self, IoDirection::Write);
                poll
            }

            /// One `writev(2)`.
            fn poll_write_vectored(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                let poll =
                    futures_io::AsyncWrite::poll_write_vectored(self.as_mut(), cx, bufs);
                note_if_pending(&poll, &*self, IoDirection::Write);
                poll
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                futures_io::AsyncWrite::poll_flush(self, cx)
            }

            /// Sends FIN (`shutdown(SHUT_WR)`): futures-io's `poll_close`.
            fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                futures_io::AsyncWrite::poll_close(self, cx)
            }
        }
    )*};
}

tokio_read!(
    TcpStream,
    tcp::ReadHalf<'_>,
    tcp::OwnedReadHalf,
    UnixStream,
    unix::ReadHalf<'_>,
    unix::OwnedReadHalf,
);

tokio_write!(
    TcpStream,
    tcp::WriteHalf<'_>,
    tcp::OwnedWriteHalf,
    UnixStream,
    unix::WriteHalf<'_>,
    unix::OwnedWriteHalf,
);

/// Tells the runtime which socket the running task now waits on, if `poll` left it waiting.
/// Costs a branch when the poll is ready, and a look at the runtime when events are not recorded.
fn note_if_pending<T, S: Addresses + ?Sized>(poll: &Poll<T>, socket: &S, direction: IoDirection) {
    if poll.is_pending() {
        context::waiting_on_socket(|| {
            let (local, peer) = socket.addresses();
            SocketWait { direction, local, peer }
        });
    }
}

/// How a stream is named in a wake by the reactor.
trait Addresses {
    /// Its own address and its peer's, when they are IP addresses the OS will tell.
    fn addresses(&self) -> (Option<SocketAddr>, Option<SocketAddr>);
}

/// TCP streams and their halves: `getsockname(2)` and `getpeername(2)`.
macro_rules! tcp_addresses {
    ($($stream:ty),* $(,)?) => {$(
        impl Addresses for $stream {
            fn addresses(&self) -> (Option<SocketAddr>, Option<SocketAddr>) {
                (self.local_addr().ok(), self.peer_addr().ok())
            }
        }
    )*};
}

tcp_addresses!(
    TcpStream,
    tcp::ReadHalf<'_>,
    tcp::OwnedReadHalf,
    tcp::WriteHalf<'_>,
    tcp::OwnedWriteHalf
);

/// Unix streams have paths, not IP addresses: the wake says "a Unix socket".
macro_rules! unix_addresses {
    ($($stream:ty),* $(,)?) => {$(
        impl Addresses for $stream {
            fn addresses(&self) -> (Option<SocketAddr>, Option<SocketAddr>) {
                (None, None)
            }
        }
    )*};
}

unix_addresses!(
    UnixStream,
    unix::ReadHalf<'_>,
    unix::OwnedReadHalf,
    unix::WriteHalf<'_>,
    unix::OwnedWriteHalf
);
