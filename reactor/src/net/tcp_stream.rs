//! `TcpStream`: a connected socket implementing [`futures_io::AsyncRead`] and [`AsyncWrite`].

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::net::each_addr;
use crate::net::tcp::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, WriteHalf};
use crate::registration::Registration;
use crate::slots::Direction;

/// A TCP connection.
///
/// Reading and writing use separate wakers, so one task may read while another writes (see
/// [`TcpStream::split`] and [`TcpStream::into_split`]).
pub struct TcpStream {
    io: Registration<mio::net::TcpStream>,
}

impl TcpStream {
    /// Opens a connection to `addr`, trying each resolved address in turn.
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    pub async fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        each_addr(addr, TcpStream::connect_one).await
    }

    // ANCHOR: connect
    async fn connect_one(addr: SocketAddr) -> io::Result<TcpStream> {
        // The kernel starts the handshake and returns at once (`EINPROGRESS`).
        let socket = mio::net::TcpStream::connect(addr)?;
        let stream = TcpStream::from_mio(socket)?;
        loop {
            // The socket becomes writable when the handshake ends, well or badly.
            let seen = stream.io.ready(Direction::Write).await?;
            if let Some(error) = stream.io.source().take_error()? {
                return Err(error);
            }
            match stream.io.source().peer_addr() {
                Ok(_) => return Ok(stream),
                // Writable but not yet connected: our first, optimistic readiness was a guess.
                Err(error) if error.kind() == io::ErrorKind::NotConnected => {
                    stream.io.clear_readiness(Direction::Write, seen);
                }
                Err(error) => return Err(error),
            }
        }
    }
    // ANCHOR_END: connect

    /// Registers a socket that mio already made nonblocking (from `accept` or `connect`).
    pub(crate) fn from_mio(socket: mio::net::TcpStream) -> io::Result<TcpStream> {
        let io = Registration::with_current(socket)?;
        Ok(TcpStream { io })
    }

    /// Wraps a connected stream made by `std`, switching it to nonblocking mode.
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_mio(mio::net::TcpStream::from_std(stream))
    }

    /// The remote address of the connection.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// The local address of the connection.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Sets `TCP_NODELAY` (disables Nagle's algorithm) when `nodelay` is true.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.source().set_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.source().nodelay()
    }

    /// Borrowed halves that read and write concurrently, for use within one scope.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        let stream: &TcpStream = self;
        (ReadHalf { stream }, WriteHalf { stream })
    }

    /// Owned halves that can move into different tasks. Dropping the write half shuts down
    /// writing, as in tokio.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let stream = Arc::new(self);
        let read_half = OwnedReadHalf { stream: stream.clone() };
        (read_half, OwnedWriteHalf { stream })
    }

    // ANCHOR: poll_read
    /// Reads into `buf` once the socket is readable; shared by the stream and its halves.
    ///
    /// TCP is a byte stream, so a read that fills only part of `buf` proves the socket drained
    /// and skips the read that would say `WouldBlock` (see [`Registration::poll_stream_read`]).
    pub(crate) fn poll_read_priv(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let capacity = buf.len();
        self.io.poll_stream_read(cx, capacity, |mut socket| socket.read(buf))
    }
    // ANCHOR_END: poll_read

    /// Writes from `buf` once the socket is writable; shared by the stream and its halves.
    pub(crate) fn poll_write_priv(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |mut socket| socket.write(buf))
    }

    /// `poll_close` of [`AsyncWrite`]: sends FIN. Already-closed is fine.
    pub(crate) fn poll_close_priv(&self) -> Poll<io::Result<()>> {
        match self.shutdown_write() {
            Err(error) if error.kind() == io::ErrorKind::NotConnected => Poll::Ready(Ok(())),
            result => Poll::Ready(result),
        }
    }

    /// Sends FIN: the peer reads EOF, while this side can still read what the peer sends.
    ///
    /// Deliberately not public. tokio's [`TcpStream`] has no inherent `shutdown`, and one here
    /// would hide `AsyncWriteExt::shutdown` from method lookup (inherent methods win), so
    /// tokio's `stream.shutdown().await` would not compile. Users close the write side through
    /// [`AsyncWrite::poll_close`], which calls this.
    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        self.io.source().shutdown(Shutdown::Write)
    }
}

impl AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_priv(cx, buf)
    }
}

impl AsyncWrite for TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_priv(cx, buf)
    }

    /// TCP has no user-space buffer to flush: `write` hands bytes to the kernel.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_close_priv()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream").field("io", &self.io).finish()
    }
}
