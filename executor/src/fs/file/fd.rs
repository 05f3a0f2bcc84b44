//! `File`'s conversions: from `std`'s file and from file descriptors, and its `Debug`.

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use crate::fs::File;

impl From<std::fs::File> for File {
    fn from(std: std::fs::File) -> File {
        File::from_std(std)
    }
}

impl From<OwnedFd> for File {
    fn from(fd: OwnedFd) -> File {
        File::from_std(std::fs::File::from(fd))
    }
}

impl AsFd for File {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.std.as_fd()
    }
}

impl AsRawFd for File {
    fn as_raw_fd(&self) -> RawFd {
        self.std.as_raw_fd()
    }
}

impl FromRawFd for File {
    /// # Safety
    ///
    /// `fd` must be an open file descriptor that the caller owns and gives up, as
    /// [`FromRawFd::from_raw_fd`] requires.
    unsafe fn from_raw_fd(fd: RawFd) -> File {
        // SAFETY: the caller gives up an open descriptor it owned (this function's contract);
        // `std`'s `File` takes that ownership over.
        let std = unsafe { std::fs::File::from_raw_fd(fd) };
        File::from_std(std)
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("clockwork::fs::File")
            .field("std", &self.std)
            .field("max_buf_size", &self.max_buf_size)
            .finish()
    }
}
