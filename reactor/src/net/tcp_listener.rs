//! `TcpListener`: a listening socket whose `accept` waits on the reactor.

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::task::{Context, Poll, ready};

use crate::net::{TcpStream, each_addr};
use crate::registration::Registration;
use crate::slots::Direction;

/// A TCP socket server, listening for connections.
pub struct TcpListener {
    io: Registration<mio::net::TcpListener>,
}

impl TcpListener {
    /// Binds to `addr` (each resolved address in turn) and starts listening.
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        each_addr(addr, |one_addr| async move {
            let listener = mio::net::TcpListener::bind(one_addr)?;
            let io = Registration::with_current(listener)?;
            Ok(TcpListener { io })
        })
        .await
    }

    /// Waits for a connection and returns it with the peer's address.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        // Each `accept` future waits in its own place (`async_io`), so any number of tasks may
        // wait on one listener and a new connection wakes them all (tokio's `accept_many`).
        let (socket, peer) =
            self.io.async_io(Direction::Read, |listener| listener.accept()).await?;
        Ok((TcpStream::from_mio(socket)?, peer))
    }

    /// Polls for a connection; the waker is woken when one may be pending.
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        let accepted = ready!(self.io.poll_io(cx, Direction::Read, |listener| listener.accept()));
        let (socket, peer) = accepted?;
        let stream = TcpStream::from_mio(socket)?;
        Poll::Ready(Ok((stream, peer)))
    }

    /// Wraps a listener made by `std`, switching it to nonblocking mode.
    #[track_caller]
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        let listener = mio::net::TcpListener::from_std(listener);
        let io = Registration::with_current(listener)?;
        Ok(TcpListener { io })
    }

    /// Turns the listener back into `std`'s, still nonblocking; see [`TcpStream::into_std`].
    pub fn into_std(self) -> io::Result<std::net::TcpListener> {
        let duplicate: OwnedFd = self.io.source().as_fd().try_clone_to_owned()?;
        Ok(std::net::TcpListener::from(duplicate))
    }

    /// The address this listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// The time-to-live of outgoing packets (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.source().ttl()
    }

    /// Sets the time-to-live of outgoing packets of accepted connections.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.source().set_ttl(ttl)
    }
}

impl TryFrom<std::net::TcpListener> for TcpListener {
    type Error = io::Error;

    /// [`TcpListener::from_std`].
    fn try_from(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        TcpListener::from_std(listener)
    }
}

impl AsFd for TcpListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener").field("io", &self.io).finish()
    }
}
