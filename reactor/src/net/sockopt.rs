//! The socket option that neither `std` (on stable Rust), mio nor socket2 offer: `SO_PEERCRED`.
//!
//! It is one `getsockopt(2)` call on a borrowed descriptor, with the option's C struct read here;
//! the other options (`SO_LINGER`, `IP_TOS`, ...) go through socket2's safe `SockRef`.

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, BorrowedFd};

/// `SO_PEERCRED`: the process, user and group at the other end of a Unix stream.
pub(crate) fn peer_cred(fd: BorrowedFd<'_>) -> io::Result<crate::net::unix::UCred> {
    let mut value = libc::ucred { pid: 0, uid: 0, gid: 0 };
    let mut len = mem::size_of::<libc::ucred>() as libc::socklen_t;
    let value_ptr = (&raw mut value).cast::<libc::c_void>();
    // SAFETY: `fd` is a live descriptor for the call; `value_ptr` points to a `ucred` and `len`
    // holds its size, so the kernel writes at most that many bytes into it.
    let status = unsafe {
        libc::getsockopt(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, value_ptr, &mut len)
    };
    if status == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(crate::net::unix::UCred { pid: Some(value.pid), uid: value.uid, gid: value.gid })
}
