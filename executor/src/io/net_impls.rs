//! tokio's `AsyncRead` and `AsyncWrite` for the reactor's sockets.
//!
//! The sockets live in `clockwork-reactor`, which implements futures-io's traits for them and
//! cannot name these (it never depends on the executor). The orphan rule allows a crate to
//! implement its own trait for a foreign type, so the impls live here, each a call to the
//! futures-io method of the same socket: one read path, two dialects. A ready read or write
//! spends a unit of the task's budget there, in the reactor (`Registration::poll_ready_as`).

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use clockwork_reactor::net::{TcpStream, UnixStream, tcp, unix};

use crate::io::compat::read_from_futures;
use crate::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Implements tokio's `AsyncRead` through the type's futures-io `AsyncRead`.
macro_rules! tokio_read {
    ($($reader:ty),* $(,)?) => {$(
        impl AsyncRead for $reader {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                read_from_futures(self, cx, buf)
            }
        }
    )*};
}

/// Implements tokio's `AsyncWrite` through the type's futures-io `AsyncWrite`.
macro_rules! tokio_write {
    ($($writer:ty),* $(,)?) => {$(
        impl AsyncWrite for $writer {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                futures_io::AsyncWrite::poll_write(self, cx, buf)
            }

            /// One `writev(2)`.
            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                futures_io::AsyncWrite::poll_write_vectored(self, cx, bufs)
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
