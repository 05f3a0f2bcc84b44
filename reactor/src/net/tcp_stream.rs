//! `TcpStream`: a connected socket implementing [`futures_io::AsyncRead`] and [`AsyncWrite`].
//!
//! The executor (`clockwork::io`) implements tokio's `AsyncRead` and `AsyncWrite` for it on top
//! of these; the reactor cannot name them, as it never depends on the executor. This file holds
//! connecting, the socket's options and the futures-io traits; `tcp_stream/ready.rs` holds
//! tokio's readiness API (`ready`, `readable`, `try_read`, ...).

use std::fmt;
use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_io::{AsyncRead, AsyncWrite};

use crate::net::tcp::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, WriteHalf};
use crate::net::{ReadBuf, each_addr};
use crate::registration::Registration;
use crate::slots::Direction;

mod ready;

/// A TCP connection.
///
/// Reading and writing use separate wakers, so one task may read while another writes (see
/// [`TcpStream::split`] and [`TcpStream::into_split`]).
pub struct TcpStream {
    pub(crate) io: Registration<mio::net::TcpStream>,
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
        TcpStream::from_mio(socket)?.finish_connect().await
    }

    /// Waits for a connect that the kernel started to end; shared with `TcpSocket::connect`.
    pub(crate) async fn finish_connect(self) -> io::Result<TcpStream> {
        let stream = self;
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
    #[track_caller]
    pub(crate) fn from_mio(socket: mio::net::TcpStream) -> io::Result<TcpStream> {
        let io = Registration::with_current(socket)?;
        Ok(TcpStream { io })
    }

    /// Wraps a connected stream made by `std`, switching it to nonblocking mode.
    #[track_caller]
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_mio(mio::net::TcpStream::from_std(stream))
    }

    /// Turns the stream back into `std`'s, still in nonblocking mode, as tokio does.
    ///
    /// The reactor forgets the socket: the returned stream is a duplicate of its descriptor
    /// (`dup(2)`), and the original is deregistered and closed with this `TcpStream`.
    pub fn into_std(self) -> io::Result<std::net::TcpStream> {
        let duplicate: OwnedFd = self.io.source().as_fd().try_clone_to_owned()?;
        Ok(std::net::TcpStream::from(duplicate))
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

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }

    /// The time-to-live of outgoing packets (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.source().ttl()
    }

    /// Sets the time-to-live of outgoing packets.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.source().set_ttl(ttl)
    }

    /// How long closing waits for unsent data (`SO_LINGER`); `None` when it does not wait.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        socket2::SockRef::from(self.io.source()).linger()
    }

    /// Sets `SO_LINGER`: `Some(duration)` makes closing wait that long for unsent data.
    pub fn set_linger(&self, duration: Option<Duration>) -> io::Result<()> {
        socket2::SockRef::from(self.io.source()).set_linger(duration)
    }

    /// Makes closing drop unsent data and send RST instead of FIN (`SO_LINGER` of zero).
    pub fn set_zero_linger(&self) -> io::Result<()> {
        self.set_linger(Some(Duration::ZERO))
    }

    /// Reads into `buf` without taking the bytes from the socket (`MSG_PEEK`), waiting until
    /// at least one is there; returns how many were copied.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Direction::Read, |socket| socket.peek(buf)).await
    }

    /// Polls for [`TcpStream::peek`], filling `buf`'s unfilled part; returns the count too.
    pub fn poll_peek(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        let unfilled = buf.initialize_unfilled();
        let peeked = std::task::ready!(self.io.poll_io(cx, Direction::Read, |s| s.peek(unfilled)))?;
        buf.advance(peeked);
        Poll::Ready(Ok(peeked))
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
        (read_half, OwnedWriteHalf::new(stream))
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

    /// Writes from several buffers with one `writev(2)` once the socket is writable.
    pub(crate) fn poll_write_vectored_priv(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |mut socket| socket.write_vectored(bufs))
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

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored_priv(cx, bufs)
    }

    /// TCP has no user-space buffer to flush: `write` hands bytes to the kernel.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_close_priv()
    }
}

impl TryFrom<std::net::TcpStream> for TcpStream {
    type Error = io::Error;

    /// [`TcpStream::from_std`].
    fn try_from(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        TcpStream::from_std(stream)
    }
}

impl AsRef<TcpStream> for TcpStream {
    fn as_ref(&self) -> &TcpStream {
        self
    }
}

impl AsFd for TcpStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream").field("io", &self.io).finish()
    }
}
