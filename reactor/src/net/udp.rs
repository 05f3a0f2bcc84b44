//! `UdpSocket`: datagrams sent and received through the reactor.

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

use crate::net::each_addr;
use crate::registration::Registration;
use crate::slots::Direction;

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

    /// The address this socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// The connected peer's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket").field("io", &self.io).finish()
    }
}
