//! The halves of a split [`TcpStream`], as in `tokio::net::tcp`.
//!
//! A stream keeps one waker per direction, so a reader and a writer never overwrite each other's
//! waker; the halves only make that usable from two places at once.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::net::TcpStream;

/// The reading half of [`TcpStream::split`].
pub struct ReadHalf<'a> {
    pub(crate) stream: &'a TcpStream,
}

/// The writing half of [`TcpStream::split`].
pub struct WriteHalf<'a> {
    pub(crate) stream: &'a TcpStream,
}

/// The reading half of [`TcpStream::into_split`].
pub struct OwnedReadHalf {
    pub(crate) stream: Arc<TcpStream>,
}

/// The writing half of [`TcpStream::into_split`]; dropping it shuts down writing.
pub struct OwnedWriteHalf {
    pub(crate) stream: Arc<TcpStream>,
}

// === impl ReadHalf ===

impl AsyncRead for ReadHalf<'_> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_read_priv(cx, buf)
    }
}

impl fmt::Debug for ReadHalf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadHalf").field("stream", &self.stream).finish()
    }
}

// === impl WriteHalf ===

impl AsyncWrite for WriteHalf<'_> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_priv(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream.poll_close_priv()
    }
}

impl fmt::Debug for WriteHalf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteHalf").field("stream", &self.stream).finish()
    }
}

// === impl OwnedReadHalf ===

impl AsyncRead for OwnedReadHalf {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_read_priv(cx, buf)
    }
}

impl fmt::Debug for OwnedReadHalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedReadHalf").field("stream", &self.stream).finish()
    }
}

// === impl OwnedWriteHalf ===

impl AsyncWrite for OwnedWriteHalf {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_priv(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream.poll_close_priv()
    }
}

impl Drop for OwnedWriteHalf {
    fn drop(&mut self) {
        // The peer should see EOF once nobody can write any more; an error here means the
        // connection is already gone, which is the same outcome.
        let _ = self.stream.shutdown_write();
    }
}

impl fmt::Debug for OwnedWriteHalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedWriteHalf").field("stream", &self.stream).finish()
    }
}
