//! Unix-domain sockets: `UnixStream`, `UnixListener` and `UnixDatagram`, as in `tokio::net`.
//!
//! They are the TCP and UDP types again, over a path in the file system (or an unnamed pair)
//! instead of an IP address, and they follow the same readiness protocol. A Unix stream is a
//! byte stream like TCP, so its reads take the short-read refinement
//! ([`Registration::poll_stream_read`](crate::Registration::poll_stream_read)); a Unix datagram
//! socket keeps plain drain-until-`WouldBlock`, like UDP.
//!
//! The addresses are `std`'s [`std::os::unix::net::SocketAddr`], re-exported here as
//! [`SocketAddr`]; tokio wraps it in a type of its own with the same methods.

mod datagram;
mod listener;
mod split;
mod stream;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
pub use std::os::unix::net::SocketAddr;
pub use stream::UnixStream;

/// The credentials of the process at the other end of a [`UnixStream`] (`SO_PEERCRED`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UCred {
    pub(crate) pid: Option<libc::pid_t>,
    pub(crate) uid: libc::uid_t,
    pub(crate) gid: libc::gid_t,
}

impl UCred {
    /// The peer's user id.
    pub fn uid(&self) -> libc::uid_t {
        self.uid
    }

    /// The peer's group id.
    pub fn gid(&self) -> libc::gid_t {
        self.gid
    }

    /// The peer's process id, when the OS tells it (Linux does).
    pub fn pid(&self) -> Option<libc::pid_t> {
        self.pid
    }
}
