//! TCP, UDP and Unix-domain sockets whose operations wait on the reactor instead of blocking
//! the thread.
//!
//! The sockets themselves come from [`mio::net`], used here only as a library of nonblocking
//! sockets (it can start a `connect` without blocking, which `std` cannot); with either backend
//! they are registered through [`Registration`](crate::Registration) like any other fd.
//! Names and signatures follow `tokio::net`.
//!
//! The streams implement the `futures-io` traits here. tokio's `AsyncRead` and `AsyncWrite`
//! live in the executor (`clockwork::io`), which implements them for these types on top of
//! the `futures-io` ones. The vocabulary that tokio's socket methods take, [`ReadBuf`],
//! [`Interest`] and [`Ready`], is defined here, so that the sockets can name it; the executor
//! re-exports it as `clockwork::io::{ReadBuf, Interest, Ready}`.
//!
//! Reading order: `tcp_stream.rs` (and `tcp_stream/ready.rs`), `tcp.rs` (its halves),
//! `tcp_listener.rs`, `tcp_socket.rs`, `udp.rs`, then `unix.rs` and its files; `pipe.rs` for
//! the two ends of a pipe (a child process's stdio); `readiness.rs` is the shared
//! `ready` / `try_io` protocol; `read_buf.rs` and `interest.rs` the vocabulary.

mod interest;
pub mod pipe;
mod read_buf;
mod readiness;
mod sockopt;
pub mod tcp;
mod tcp_listener;
mod tcp_socket;
mod tcp_stream;
mod udp;
pub mod unix;

pub use interest::{Interest, Ready};
pub use read_buf::{ReadBuf, fill_buf_mut};
pub use tcp_listener::TcpListener;
pub use tcp_socket::TcpSocket;
pub use tcp_stream::TcpStream;
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixStream};

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

/// Tries `op` on each address `addr` resolves to, returning the first success or the last error.
///
/// Resolution uses `std`'s blocking resolver; with the literal `127.0.0.1:port` addresses
/// tests use, it never touches the network.
async fn each_addr<T, F, Fut>(addr: impl ToSocketAddrs, mut op: F) -> io::Result<T>
where
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let mut last_error = None;
    for one_addr in addr.to_socket_addrs()? {
        match op(one_addr).await {
            Ok(value) => return Ok(value),
            Err(error) => last_error = Some(error),
        }
    }
    let no_address =
        || io::Error::new(io::ErrorKind::InvalidInput, "could not resolve to any address");
    Err(last_error.unwrap_or_else(no_address))
}
