//! `TcpSocket`: a TCP socket not yet connected or listening, to set options on first.
//!
//! `TcpStream::connect` and `TcpListener::bind` make and use the socket in one step. Some
//! options only count before that step (`SO_REUSEADDR` before `bind`, buffer sizes before
//! `connect`), so tokio offers the socket itself: make it, set options, bind, then `connect`
//! (it becomes a [`TcpStream`]) or `listen` (a [`TcpListener`]). The socket is socket2's;
//! it is registered with the reactor only once it is a stream or a listener.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

use crate::net::{TcpListener, TcpStream};

/// A TCP socket before `connect` or `listen`, as `tokio::net::TcpSocket`.
pub struct TcpSocket {
    inner: Socket,
}

impl TcpSocket {
    /// A new IPv4 TCP socket.
    pub fn new_v4() -> io::Result<TcpSocket> {
        TcpSocket::new(Domain::IPV4)
    }

    /// A new IPv6 TCP socket.
    pub fn new_v6() -> io::Result<TcpSocket> {
        TcpSocket::new(Domain::IPV6)
    }

    fn new(domain: Domain) -> io::Result<TcpSocket> {
        let inner = Socket::new(domain, Type::STREAM.nonblocking(), Some(Protocol::TCP))?;
        inner.set_cloexec(true)?;
        Ok(TcpSocket { inner })
    }

    /// Wraps a stream made by `std`, to read or set its options.
    pub fn from_std_stream(stream: std::net::TcpStream) -> TcpSocket {
        TcpSocket { inner: Socket::from(stream) }
    }

    /// Allows binding to an address in `TIME_WAIT` (`SO_REUSEADDR`).
    pub fn set_reuseaddr(&self, reuseaddr: bool) -> io::Result<()> {
        self.inner.set_reuse_address(reuseaddr)
    }

    /// Whether `SO_REUSEADDR` is set.
    pub fn reuseaddr(&self) -> io::Result<bool> {
        self.inner.reuse_address()
    }

    /// Allows several sockets to bind the same address (`SO_REUSEPORT`).
    pub fn set_reuseport(&self, reuseport: bool) -> io::Result<()> {
        self.inner.set_reuse_port(reuseport)
    }

    /// Whether `SO_REUSEPORT` is set.
    pub fn reuseport(&self) -> io::Result<bool> {
        self.inner.reuse_port()
    }

    /// Turns TCP keepalive probes on or off (`SO_KEEPALIVE`).
    pub fn set_keepalive(&self, keepalive: bool) -> io::Result<()> {
        self.inner.set_keepalive(keepalive)
    }

    /// Whether `SO_KEEPALIVE` is set.
    pub fn keepalive(&self) -> io::Result<bool> {
        self.inner.keepalive()
    }

    /// Sets the size of the kernel's send buffer (`SO_SNDBUF`).
    pub fn set_send_buffer_size(&self, size: u32) -> io::Result<()> {
        self.inner.set_send_buffer_size(size as usize)
    }

    /// The size of the kernel's send buffer.
    pub fn send_buffer_size(&self) -> io::Result<u32> {
        self.inner.send_buffer_size().map(saturate_u32)
    }

    /// Sets the size of the kernel's receive buffer (`SO_RCVBUF`).
    pub fn set_recv_buffer_size(&self, size: u32) -> io::Result<()> {
        self.inner.set_recv_buffer_size(size as usize)
    }

    /// The size of the kernel's receive buffer.
    pub fn recv_buffer_size(&self) -> io::Result<u32> {
        self.inner.recv_buffer_size().map(saturate_u32)
    }

    /// Sets `SO_LINGER`; see `TcpStream::set_linger`.
    pub fn set_linger(&self, duration: Option<Duration>) -> io::Result<()> {
        self.inner.set_linger(duration)
    }

    /// `SO_LINGER`.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        self.inner.linger()
    }

    /// Makes closing send RST instead of FIN (`SO_LINGER` of zero).
    pub fn set_zero_linger(&self) -> io::Result<()> {
        self.set_linger(Some(Duration::ZERO))
    }

    /// Sets `TCP_NODELAY`.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.set_tcp_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.inner.tcp_nodelay()
    }

    /// The type-of-service field of outgoing IPv4 packets (`IP_TOS`).
    pub fn tos_v4(&self) -> io::Result<u32> {
        self.inner.tos_v4()
    }

    /// Sets `IP_TOS`.
    pub fn set_tos_v4(&self, tos: u32) -> io::Result<()> {
        self.inner.set_tos_v4(tos)
    }

    /// The traffic class of outgoing IPv6 packets (`IPV6_TCLASS`).
    pub fn tclass_v6(&self) -> io::Result<u32> {
        self.inner.tclass_v6()
    }

    /// Sets `IPV6_TCLASS`.
    pub fn set_tclass_v6(&self, tclass: u32) -> io::Result<()> {
        self.inner.set_tclass_v6(tclass)
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        let address = self.inner.local_addr()?;
        address.as_socket().ok_or_else(|| io::Error::other("not an IP socket address"))
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Binds the socket to `addr`.
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        self.inner.bind(&addr.into())
    }

    /// Connects to `addr`, making the socket a [`TcpStream`].
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    pub async fn connect(self, addr: SocketAddr) -> io::Result<TcpStream> {
        // The socket is nonblocking: the kernel starts the handshake and answers at once.
        match self.inner.connect(&addr.into()) {
            Ok(()) => {}
            Err(error) if error.raw_os_error() == Some(libc::EINPROGRESS) => {}
            Err(error) => return Err(error),
        }
        let stream = std::net::TcpStream::from(self.inner);
        TcpStream::from_mio(mio::net::TcpStream::from_std(stream))?.finish_connect().await
    }

    /// Listens with room for `backlog` pending connections, making the socket a
    /// [`TcpListener`].
    ///
    /// Must be called within a Clockwork runtime (see [`crate::enter`]).
    pub fn listen(self, backlog: u32) -> io::Result<TcpListener> {
        let backlog = i32::try_from(backlog).unwrap_or(i32::MAX);
        self.inner.listen(backlog)?;
        TcpListener::from_std(std::net::TcpListener::from(self.inner))
    }
}

/// The kernel reports buffer sizes as `int`s; tokio answers `u32`.
fn saturate_u32(size: usize) -> u32 {
    u32::try_from(size).unwrap_or(u32::MAX)
}

impl AsFd for TcpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsRawFd for TcpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl fmt::Debug for TcpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpSocket").field("fd", &self.inner.as_raw_fd()).finish()
    }
}
