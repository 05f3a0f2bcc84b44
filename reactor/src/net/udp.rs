//! `UdpSocket`: datagrams sent and received through the reactor.
//!
//! This file holds binding, connecting, the `async` sends and receives and the socket's options;
//! `udp/poll.rs` holds tokio's `poll_*` and `try_*` forms of the same operations.
//! Every receive uses [`Registration::poll_io`], never the short-read refinement: a datagram
//! socket may hold several datagrams, and a short one says nothing about those behind it.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use crate::net::each_addr;
use crate::registration::Registration;
use crate::slots::Direction;

mod poll;

/// A UDP socket.
///
/// Each `send_to` is one datagram; a `recv_from` into a buffer that is too small truncates the
/// datagram, as with `std`.
pub struct UdpSocket {
    io: Registration<mio::net::UdpSocket>,
}

impl UdpSocket {
    /// Binds to `addr` (each resolved address in turn).
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        each_addr(addr, |one_addr| async move {
            let socket = mio::net::UdpSocket::bind(one_addr)?;
            let io = Registration::with_current(socket)?;
            Ok(UdpSocket { io })
        })
        .await
    }

    /// Wraps a socket made by `std`, switching it to nonblocking mode.
    #[track_caller]
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(true)?;
        let io = Registration::with_current(mio::net::UdpSocket::from_std(socket))?;
        Ok(UdpSocket { io })
    }

    /// Turns the socket back into `std`'s, still nonblocking; see `TcpStream::into_std`.
    pub fn into_std(self) -> io::Result<std::net::UdpSocket> {
        let duplicate: OwnedFd = self.io.source().as_fd().try_clone_to_owned()?;
        Ok(std::net::UdpSocket::from(duplicate))
    }

    /// Sets the default peer for `send` and filters `recv` to datagrams from it.
    pub async fn connect(&self, addr: impl ToSocketAddrs) -> io::Result<()> {
        each_addr(addr, |one_addr| async move { self.io.source().connect(one_addr) }).await
    }

    /// Sends one datagram to `target`, returning how many bytes were sent.
    pub async fn send_to(&self, buf: &[u8], target: impl ToSocketAddrs) -> io::Result<usize> {
        each_addr(target, |one_addr| async move {
            self.io.async_io(Direction::Write, |socket| socket.send_to(buf, one_addr)).await
        })
        .await
    }

    /// Receives one datagram, returning its length and sender.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.async_io(Direction::Read, |socket| socket.recv_from(buf)).await
    }

    /// Sends one datagram to the connected peer.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.async_io(Direction::Write, |socket| socket.send(buf)).await
    }

    /// Receives one datagram from the connected peer.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Direction::Read, |socket| socket.recv(buf)).await
    }

    /// Receives one datagram into `buf`'s spare capacity, advancing it.
    pub async fn recv_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        // `async_io` gives this future its own place in the socket's waiting list, so several
        // tasks may receive on one socket (see `recv_from`).
        let receive = |socket: &mio::net::UdpSocket| {
            crate::net::fill_buf_mut(buf, |dst| {
                let len = socket.recv(dst.initialize_unfilled())?;
                dst.advance(len);
                Ok(len)
            })
        };
        self.io.async_io(Direction::Read, receive).await
    }

    /// Receives one datagram into `buf`'s spare capacity, with its sender.
    pub async fn recv_buf_from<B: bytes::BufMut>(
        &self,
        buf: &mut B,
    ) -> io::Result<(usize, SocketAddr)> {
        let receive = |socket: &mio::net::UdpSocket| {
            crate::net::fill_buf_mut(buf, |dst| {
                let (len, sender) = socket.recv_from(dst.initialize_unfilled())?;
                dst.advance(len);
                Ok((len, sender))
            })
        };
        self.io.async_io(Direction::Read, receive).await
    }

    /// Copies the next datagram into `buf` without taking it from the queue.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Direction::Read, |socket| socket.peek(buf)).await
    }

    /// Copies the next datagram into `buf` without taking it, with its sender.
    pub async fn peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.async_io(Direction::Read, |socket| socket.peek_from(buf)).await
    }

    /// The sender of the next datagram, leaving the datagram in the queue.
    pub async fn peek_sender(&self) -> io::Result<SocketAddr> {
        self.io.async_io(Direction::Read, peek_sender_of).await
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

    /// Whether the socket may send to broadcast addresses (`SO_BROADCAST`).
    pub fn broadcast(&self) -> io::Result<bool> {
        self.io.source().broadcast()
    }

    /// Allows or forbids sending to broadcast addresses.
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.io.source().set_broadcast(on)
    }

    /// Whether IPv4 multicast datagrams loop back to this host (`IP_MULTICAST_LOOP`).
    pub fn multicast_loop_v4(&self) -> io::Result<bool> {
        self.io.source().multicast_loop_v4()
    }

    /// Sets `IP_MULTICAST_LOOP`.
    pub fn set_multicast_loop_v4(&self, on: bool) -> io::Result<()> {
        self.io.source().set_multicast_loop_v4(on)
    }

    /// The time-to-live of IPv4 multicast datagrams (`IP_MULTICAST_TTL`).
    pub fn multicast_ttl_v4(&self) -> io::Result<u32> {
        self.io.source().multicast_ttl_v4()
    }

    /// Sets `IP_MULTICAST_TTL`.
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> io::Result<()> {
        self.io.source().set_multicast_ttl_v4(ttl)
    }

    /// Whether IPv6 multicast datagrams loop back to this host (`IPV6_MULTICAST_LOOP`).
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.io.source().multicast_loop_v6()
    }

    /// Sets `IPV6_MULTICAST_LOOP`.
    pub fn set_multicast_loop_v6(&self, on: bool) -> io::Result<()> {
        self.io.source().set_multicast_loop_v6(on)
    }

    /// The time-to-live of outgoing datagrams (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.source().ttl()
    }

    /// Sets `IP_TTL`.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.source().set_ttl(ttl)
    }

    /// The type-of-service field of outgoing IPv4 datagrams (`IP_TOS`).
    pub fn tos_v4(&self) -> io::Result<u32> {
        socket2::SockRef::from(self.io.source()).tos_v4()
    }

    /// Sets `IP_TOS`.
    pub fn set_tos_v4(&self, tos: u32) -> io::Result<()> {
        socket2::SockRef::from(self.io.source()).set_tos_v4(tos)
    }

    /// The old name of [`UdpSocket::tos_v4`].
    #[deprecated = "use `tos_v4`, as tokio"]
    pub fn tos(&self) -> io::Result<u32> {
        self.tos_v4()
    }

    /// The old name of [`UdpSocket::set_tos_v4`].
    #[deprecated = "use `set_tos_v4`, as tokio"]
    pub fn set_tos(&self, tos: u32) -> io::Result<()> {
        self.set_tos_v4(tos)
    }

    /// The traffic class of outgoing IPv6 datagrams (`IPV6_TCLASS`).
    pub fn tclass_v6(&self) -> io::Result<u32> {
        socket2::SockRef::from(self.io.source()).tclass_v6()
    }

    /// Sets `IPV6_TCLASS`.
    pub fn set_tclass_v6(&self, tclass: u32) -> io::Result<()> {
        socket2::SockRef::from(self.io.source()).set_tclass_v6(tclass)
    }

    /// Joins an IPv4 multicast group on `interface`.
    pub fn join_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.source().join_multicast_v4(&multiaddr, &interface)
    }

    /// Joins an IPv6 multicast group on the interface numbered `interface`.
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.source().join_multicast_v6(multiaddr, interface)
    }

    /// Leaves an IPv4 multicast group.
    pub fn leave_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.source().leave_multicast_v4(&multiaddr, &interface)
    }

    /// Leaves an IPv6 multicast group.
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.source().leave_multicast_v6(multiaddr, interface)
    }
}

/// Peeks at the next datagram's sender with an empty buffer: the datagram stays queued, whole.
fn peek_sender_of(socket: &mio::net::UdpSocket) -> io::Result<SocketAddr> {
    socket.peek_from(&mut []).map(|(_, sender)| sender)
}

impl TryFrom<std::net::UdpSocket> for UdpSocket {
    type Error = io::Error;

    /// [`UdpSocket::from_std`].
    fn try_from(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        UdpSocket::from_std(socket)
    }
}

impl AsFd for UdpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for UdpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket").field("io", &self.io).finish()
    }
}
