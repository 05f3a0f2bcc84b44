//! `UnixStream`: a connected Unix-domain byte stream, the twin of `TcpStream`.
//!
//! Like `TcpStream`, it implements the `futures-io` traits here, and the executor implements
//! tokio's on top; `unix/stream/ready.rs` holds the readiness API.

use std::fmt;
use std::io::{self, IoSlice, Read, Write};
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::net::sockopt;
use crate::net::unix::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, SocketAddr, UCred, WriteHalf};
use crate::registration::Registration;
use crate::slots::Direction;

mod ready;

/// A connected Unix-domain stream socket.
///
/// Reading and writing use separate wakers, so one task may read while another writes (see
/// [`UnixStream::split`] and [`UnixStream::into_split`]).
pub struct UnixStream {
    pub(crate) io: Registration<mio::net::UnixStream>,
}

impl UnixStream {
    /// Connects to the socket bound at `path` (on Linux, a leading NUL byte names an abstract
    /// socket).
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    pub async fn connect(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        let address = crate::net::unix::address_of(path.as_ref())?;
        UnixStream::connect_addr(&address).await
    }

    /// Connects to the socket at `address` (a path, or on Linux an abstract name).
    pub async fn connect_addr(address: &SocketAddr) -> io::Result<UnixStream> {
        let socket = mio::net::UnixStream::connect_addr(address)?;
        UnixStream::finish_connect(socket).await
    }

    /// Waits for a nonblocking `connect` to end, as `TcpStream::connect` does: the socket
    /// becomes writable when it has, and `SO_ERROR` says whether it failed.
    async fn finish_connect(socket: mio::net::UnixStream) -> io::Result<UnixStream> {
        let stream = UnixStream::from_mio(socket)?;
        stream.io.ready(Direction::Write).await?;
        match stream.io.source().take_error()? {
            Some(error) => Err(error),
            None => Ok(stream),
        }
    }

    /// A pair of connected, unnamed sockets (`socketpair(2)`).
    #[track_caller]
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (one, other) = mio::net::UnixStream::pair()?;
        Ok((UnixStream::from_mio(one)?, UnixStream::from_mio(other)?))
    }

    /// Registers a socket that mio already made nonblocking.
    #[track_caller]
    pub(crate) fn from_mio(socket: mio::net::UnixStream) -> io::Result<UnixStream> {
        let io = Registration::with_current(socket)?;
        Ok(UnixStream { io })
    }

    /// Wraps a connected stream made by `std`, switching it to nonblocking mode.
    #[track_caller]
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::from_mio(mio::net::UnixStream::from_std(stream))
    }

    /// Turns the stream back into `std`'s, still nonblocking; see `TcpStream::into_std`.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixStream> {
        let duplicate: OwnedFd = self.io.source().as_fd().try_clone_to_owned()?;
        Ok(std::os::unix::net::UnixStream::from(duplicate))
    }

    /// The address this end is bound to (usually unnamed).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// The credentials of the process at the other end.
    pub fn peer_cred(&self) -> io::Result<UCred> {
        sockopt::peer_cred(self.io.source().as_fd())
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }

    /// Borrowed halves that read and write concurrently, for use within one scope.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        let stream: &UnixStream = self;
        (ReadHalf { stream }, WriteHalf { stream })
    }

    /// Owned halves that can move into different tasks. Dropping the write half shuts down
    /// writing, as in tokio.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let stream = Arc::new(self);
        let read_half = OwnedReadHalf { stream: stream.clone() };
        (read_half, OwnedWriteHalf::new(stream))
    }

    /// Reads into `buf` once the socket is readable, with the short-read refinement (a Unix
    /// stream is a byte stream); shared by the stream and its halves.
    pub(crate) fn poll_read_priv(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let capacity = buf.len();
        self.io.poll_stream_read(cx, capacity, |mut socket| socket.read(buf))
    }

    /// Writes from `buf` once the socket is writable.
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

    /// `poll_close`: shuts down writing, so the peer reads EOF. Already-closed is fine.
    pub(crate) fn poll_close_priv(&self) -> Poll<io::Result<()>> {
        match self.shutdown_write() {
            Err(error) if error.kind() == io::ErrorKind::NotConnected => Poll::Ready(Ok(())),
            result => Poll::Ready(result),
        }
    }

    /// Shuts down writing; not public, for the reason given on `TcpStream`'s twin.
    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        self.io.source().shutdown(Shutdown::Write)
    }
}

impl AsyncRead for UnixStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_priv(cx, buf)
    }
}

impl AsyncWrite for UnixStream {
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

    /// Nothing is buffered in user space.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_close_priv()
    }
}

impl TryFrom<std::os::unix::net::UnixStream> for UnixStream {
    type Error = io::Error;

    /// [`UnixStream::from_std`].
    fn try_from(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        UnixStream::from_std(stream)
    }
}

impl AsRef<UnixStream> for UnixStream {
    fn as_ref(&self) -> &UnixStream {
        self
    }
}

impl AsFd for UnixStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for UnixStream {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixStream").field("io", &self.io).finish()
    }
}
