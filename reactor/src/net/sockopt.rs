//! Socket options that neither `std` nor mio offer on stable Rust: `SO_LINGER`, `SO_PEERCRED`.
//!
//! Each is one `getsockopt(2)` or `setsockopt(2)` call on a borrowed descriptor, with the option's
//! C struct built and read here.

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Duration;

/// `SO_LINGER`: how long `close(2)` waits for unsent data; `None` when it does not wait.
pub(crate) fn linger(fd: BorrowedFd<'_>) -> io::Result<Option<Duration>> {
    let mut value = libc::linger { l_onoff: 0, l_linger: 0 };
    let mut len = mem::size_of::<libc::linger>() as libc::socklen_t;
    let value_ptr = (&raw mut value).cast::<libc::c_void>();
    // SAFETY: `fd` is a live descriptor for the call (it is borrowed); `value_ptr` points to a
    // `linger` and `len` holds its size, so the kernel writes at most that many bytes into it.
    let status = unsafe {
        libc::getsockopt(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_LINGER, value_ptr, &mut len)
    };
    if status == -1 {
        return Err(io::Error::last_os_error());
    }
    let seconds = u64::try_from(value.l_linger).unwrap_or(0);
    Ok((value.l_onoff != 0).then(|| Duration::from_secs(seconds)))
}

/// Sets `SO_LINGER`; `Some(duration)` makes `close(2)` wait that long (whole seconds).
pub(crate) fn set_linger(fd: BorrowedFd<'_>, duration: Option<Duration>) -> io::Result<()> {
    let seconds = duration.map_or(0, |duration| duration.as_secs());
    let value = libc::linger {
        l_onoff: libc::c_int::from(duration.is_some()),
        l_linger: libc::c_int::try_from(seconds).unwrap_or(libc::c_int::MAX),
    };
    let len = mem::size_of::<libc::linger>() as libc::socklen_t;
    let value_ptr = (&raw const value).cast::<libc::c_void>();
    // SAFETY: `fd` is a live descriptor for the call; `value_ptr` points to an initialized
    // `linger` of `len` bytes, which the kernel only reads.
    let status = unsafe {
        libc::setsockopt(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_LINGER, value_ptr, len)
    };
    if status == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

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
