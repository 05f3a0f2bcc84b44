//! `UnixListener`: a listening Unix-domain socket whose `accept` waits on the reactor.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;
use std::task::{Context, Poll, ready};

use crate::net::unix::{SocketAddr, UnixStream};
use crate::registration::Registration;
use crate::slots::Direction;

/// A Unix-domain socket server, listening for connections.
pub struct UnixListener {
    io: Registration<mio::net::UnixListener>,
}

impl UnixListener {
    /// Binds to `path` (on Linux, a leading NUL byte names an abstract socket) and starts
    /// listening. Unlike `TcpListener::bind`, this does not wait
    /// (binding a path never blocks), so it is not `async`, as in tokio.
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    #[track_caller]
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        let address = crate::net::unix::address_of(path.as_ref())?;
        UnixListener::bind_addr(&address)
    }

    /// Binds to `address` (a path, or on Linux an abstract name) and starts listening.
    #[track_caller]
    pub fn bind_addr(address: &SocketAddr) -> io::Result<UnixListener> {
        UnixListener::from_mio(mio::net::UnixListener::bind_addr(address)?)
    }

    /// Wraps a listener made by `std`, switching it to nonblocking mode.
    #[track_caller]
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        listener.set_nonblocking(true)?;
        UnixListener::from_mio(mio::net::UnixListener::from_std(listener))
    }

    #[track_caller]
    fn from_mio(listener: mio::net::UnixListener) -> io::Result<UnixListener> {
        let io = Registration::with_current(listener)?;
        Ok(UnixListener { io })
    }

    /// Turns the listener back into `std`'s, still nonblocking; see `TcpStream::into_std`.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixListener> {
        let duplicate: OwnedFd = self.io.source().as_fd().try_clone_to_owned()?;
        Ok(std::os::unix::net::UnixListener::from(duplicate))
    }

    /// Waits for a connection and returns it with the peer's (usually unnamed) address.
    pub async fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        // Its own place in the listener's waiting list (`async_io`): see `TcpListener::accept`.
        let (socket, peer) =
            self.io.async_io(Direction::Read, |listener| listener.accept()).await?;
        Ok((UnixStream::from_mio(socket)?, peer))
    }

    /// Polls for a connection; the waker is woken when one may be pending.
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(UnixStream, SocketAddr)>> {
        let accepted = ready!(self.io.poll_io(cx, Direction::Read, |listener| listener.accept()));
        let (socket, peer) = accepted?;
        Poll::Ready(Ok((UnixStream::from_mio(socket)?, peer)))
    }

    /// The address this listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }
}

impl TryFrom<std::os::unix::net::UnixListener> for UnixListener {
    type Error = io::Error;

    /// [`UnixListener::from_std`].
    fn try_from(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        UnixListener::from_std(listener)
    }
}

impl AsFd for UnixListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for UnixListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for UnixListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixListener").field("io", &self.io).finish()
    }
}
