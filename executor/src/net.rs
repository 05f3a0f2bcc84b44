//! TCP, UDP and Unix-domain sockets, from the reactor crate, under tokio's path `clockwork::net`.
//!
//! The types are defined in `clockwork-reactor` (`reactor/src/net/`); this module only
//! re-exports them, so that `use clockwork::net::TcpStream` reads like tokio. Inside a Clockwork
//! runtime the current reactor is entered, so `TcpStream::connect(addr).await` needs no handle.
//! tokio's `AsyncRead` and `AsyncWrite` for the streams are implemented in `io/net_impls.rs`.
//!
//! [`lookup_host`](fn@lookup_host) and [`ToSocketAddrs`] are the executor's own
//! (`net/lookup_host.rs`): a name is resolved on the blocking pool, which the reactor knows
//! nothing of.

mod lookup_host;

pub use lookup_host::{ToSocketAddrs, lookup_host};

pub use clockwork_reactor::net::{
    TcpListener, TcpSocket, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream, tcp, unix,
};
