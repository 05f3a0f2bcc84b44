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

/// The address a path names: on Linux, a path that starts with a NUL byte names an *abstract*
/// socket (`unix(7)`), which lives in no file system; any other path is a file.
pub(crate) fn address_of(path: &std::path::Path) -> std::io::Result<SocketAddr> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(name) = bytes.strip_prefix(b"\0") {
        use std::os::linux::net::SocketAddrExt;
        return SocketAddr::from_abstract_name(name);
    }
    SocketAddr::from_pathname(std::ffi::OsStr::from_bytes(bytes))
}

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
