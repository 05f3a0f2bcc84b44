//! `UnixDatagram`: datagrams over a Unix-domain socket, the twin of `UdpSocket`.
//!
//! Each receive is one datagram, so reads keep plain drain-until-`WouldBlock`
//! ([`Registration::poll_io`]), never the short-read refinement.

use std::fmt;
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;
use std::task::{Context, Poll, ready};

use crate::net::unix::SocketAddr;
use crate::net::{Interest, ReadBuf, Ready, fill_buf_mut, readiness};
use crate::registration::Registration;
use crate::slots::Direction;

/// A Unix-domain datagram socket.
pub struct UnixDatagram {
    io: Registration<mio::net::UnixDatagram>,
}

impl UnixDatagram {
    /// Binds to `path`. Not `async`: binding a path never blocks.
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    #[track_caller]
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixDatagram> {
        let address = crate::net::unix::address_of(path.as_ref())?;
        UnixDatagram::from_mio(mio::net::UnixDatagram::bind_addr(&address)?)
    }

    /// A pair of connected, unnamed sockets (`socketpair(2)`).
    #[track_caller]
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (one, other) = mio::net::UnixDatagram::pair()?;
        Ok((UnixDatagram::from_mio(one)?, UnixDatagram::from_mio(other)?))
    }

    /// A socket bound to no address: it can send, and receive replies only once connected.
    #[track_caller]
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::from_mio(mio::net::UnixDatagram::unbound()?)
    }

    /// Wraps a socket made by `std`, switching it to nonblocking mode.
    #[track_caller]
    pub fn from_std(datagram: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        datagram.set_nonblocking(true)?;
        UnixDatagram::from_mio(mio::net::UnixDatagram::from_std(datagram))
    }

    #[track_caller]
    fn from_mio(socket: mio::net::UnixDatagram) -> io::Result<UnixDatagram> {
        let io = Registration::with_current(socket)?;
        Ok(UnixDatagram { io })
    }

    /// Turns the socket back into `std`'s, still nonblocking; see `TcpStream::into_std`.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixDatagram> {
        let duplicate: OwnedFd = self.io.source().as_fd().try_clone_to_owned()?;
        Ok(std::os::unix::net::UnixDatagram::from(duplicate))
    }

    /// Sets the default peer for `send` and filters `recv` to datagrams from it.
    pub fn connect(&self, path: impl AsRef<Path>) -> io::Result<()> {
        self.io.source().connect(path)
    }

    /// Waits until one of `interest`'s directions may make progress, and says which.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        readiness::ready(&self.io, interest).await
    }

    /// Waits until a datagram may be waiting.
    pub async fn readable(&self) -> io::Result<()> {
        self.ready(Interest::READABLE).await.map(|_| ())
    }

    /// Waits until a datagram may be sent.
    pub async fn writable(&self) -> io::Result<()> {
        self.ready(Interest::WRITABLE).await.map(|_| ())
    }

    /// Polls for write readiness.
    pub fn poll_send_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Write)
    }

    /// Polls for read readiness.
    pub fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Read)
    }

    /// Sends one datagram to the connected peer.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.async_io(Direction::Write, |socket| socket.send(buf)).await
    }

    /// Sends one datagram to the socket bound at `target`.
    pub async fn send_to(&self, buf: &[u8], target: impl AsRef<Path>) -> io::Result<usize> {
        let target = target.as_ref();
        self.io.async_io(Direction::Write, |socket| socket.send_to(buf, target)).await
    }

    /// Receives one datagram from the connected peer.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Direction::Read, |socket| socket.recv(buf)).await
    }

    /// Receives one datagram, with its sender's address.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.async_io(Direction::Read, |socket| socket.recv_from(buf)).await
    }

    /// Receives one datagram into `buf`'s spare capacity.
    pub async fn recv_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        // Its own place in the socket's waiting list (`async_io`), as `recv`.
        let receive = |socket: &mio::net::UnixDatagram| {
            fill_buf_mut(buf, |dst| {
                let len = socket.recv(dst.initialize_unfilled())?;
                dst.advance(len);
                Ok(len)
            })
        };
        self.io.async_io(Direction::Read, receive).await
    }

    /// Receives one datagram into `buf`'s spare capacity, with its sender's address.
    pub async fn recv_buf_from<B: bytes::BufMut>(
        &self,
        buf: &mut B,
    ) -> io::Result<(usize, SocketAddr)> {
        let receive = |socket: &mio::net::UnixDatagram| {
            fill_buf_mut(buf, |dst| {
                let (len, sender) = socket.recv_from(dst.initialize_unfilled())?;
                dst.advance(len);
                Ok((dst.filled().len(), sender))
            })
        };
        self.io.async_io(Direction::Read, receive).await
    }

    /// Polls to send one datagram to the connected peer.
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |socket| socket.send(buf))
    }

    /// Polls to send one datagram to the socket bound at `target`.
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: impl AsRef<Path>,
    ) -> Poll<io::Result<usize>> {
        let target = target.as_ref();
        self.io.poll_io(cx, Direction::Write, |socket| socket.send_to(buf, target))
    }

    /// Polls to receive one datagram from the connected peer into `buf`.
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        let len = ready!(self.io.poll_io(cx, Direction::Read, |socket| socket.recv(unfilled)))?;
        buf.advance(len);
        Poll::Ready(Ok(()))
    }

    /// Polls to receive one datagram into `buf`; answers its sender's address.
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        let unfilled = buf.initialize_unfilled();
        let received = self.io.poll_io(cx, Direction::Read, |socket| socket.recv_from(unfilled));
        let (len, sender) = ready!(received)?;
        buf.advance(len);
        Poll::Ready(Ok(sender))
    }

    /// Sends one datagram to the connected peer without waiting.
    pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |socket| socket.send(buf))
    }

    /// Sends one datagram to `target` without waiting.
    pub fn try_send_to(&self, buf: &[u8], target: impl AsRef<Path>) -> io::Result<usize> {
        let target = target.as_ref();
        readiness::try_io(&self.io, Direction::Write, |socket| socket.send_to(buf, target))
    }

    /// Receives one datagram from the connected peer without waiting.
    pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Read, |socket| socket.recv(buf))
    }

    /// Receives one datagram without waiting, with its sender's address.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        readiness::try_io(&self.io, Direction::Read, |socket| socket.recv_from(buf))
    }

    /// Receives one datagram into `buf`'s spare capacity without waiting.
    pub fn try_recv_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        fill_buf_mut(buf, |dst| {
            let len = self.try_recv(dst.initialize_unfilled())?;
            dst.advance(len);
            Ok(len)
        })
    }

    /// Receives one datagram into `buf`'s spare capacity without waiting, with its sender.
    pub fn try_recv_buf_from<B: bytes::BufMut>(
        &self,
        buf: &mut B,
    ) -> io::Result<(usize, SocketAddr)> {
        fill_buf_mut(buf, |dst| {
            let (len, sender) = self.try_recv_from(dst.initialize_unfilled())?;
            dst.advance(len);
            Ok((len, sender))
        })
    }

    /// Runs `op` once if `interest` is ready; see `TcpStream::try_io`.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        op: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        readiness::try_io(&self.io, readiness::direction_of(interest), |_| op())
    }

    /// Runs `op` whenever `interest` is ready, until it answers something else than
    /// `WouldBlock`.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.async_io(readiness::direction_of(interest), |_| op()).await
    }

    /// The address this socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// The connected peer's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }

    /// Shuts down reading, writing or both (`shutdown(2)`).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.source().shutdown(how)
    }
}

impl TryFrom<std::os::unix::net::UnixDatagram> for UnixDatagram {
    type Error = io::Error;

    /// [`UnixDatagram::from_std`].
    fn try_from(datagram: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        UnixDatagram::from_std(datagram)
    }
}

impl AsFd for UnixDatagram {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for UnixDatagram {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for UnixDatagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixDatagram").field("io", &self.io).finish()
    }
}
