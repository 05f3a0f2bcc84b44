//! `pipe::Sender` and `pipe::Receiver`: the two ends of a Unix pipe, registered like sockets.
//!
//! A pipe (`pipe(7)`) is a one-way byte stream in the kernel, with a buffer (64 KiB on Linux)
//! between the end that writes and the end that reads. Unlike a regular file, it has
//! readiness: the read end is readable when bytes wait in the buffer or the write end is
//! closed, and the write end is writable when the buffer has room or the read end is closed.
//! So its ends are registered with the reactor as a socket is, in nonblocking mode, and follow
//! the same edge-triggered protocol (`registration.rs`). A pipe is a byte stream, one of those
//! `epoll(7)` (Q9) names, so reads take the short-read refinement.
//!
//! A child process's piped stdin, stdout and stderr are pipes: the executor's
//! `clockwork::process` holds them as these types. Only the parent's end is made nonblocking;
//! the child's end is another open file description, which the child uses as it always does.
//!
//! Writing to a pipe whose read end is closed fails with `BrokenPipe` (`EPIPE`): Rust programs
//! ignore `SIGPIPE`, so the write answers an error instead of killing the process.
//! Reading from a pipe whose write ends are all closed answers `Ok(0)`, the end of the stream.
//!
//! The names and methods are tokio's (`tokio::net::unix::pipe`), without its `OpenOptions`
//! for named FIFOs: open one with `std` and pass it to `from_file`.

use std::fmt;
use std::fs::File;
use std::io::{self, IoSlice, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::fs::FileTypeExt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::net::readiness;
use crate::registration::Registration;
use crate::slots::Direction;

/// A new anonymous pipe, both ends registered with the current reactor: bytes written to the
/// [`Sender`] are read from the [`Receiver`].
///
/// # Panics
///
/// Panics outside a Clockwork runtime (see [`crate::Handle::current`]).
#[track_caller]
pub fn pipe() -> io::Result<(Sender, Receiver)> {
    // mio makes both ends nonblocking and close-on-exec.
    let (write_end, read_end) = mio::unix::pipe::new()?;
    let sender = Sender { io: Registration::with_current(write_end)? };
    let receiver = Receiver { io: Registration::with_current(read_end)? };
    Ok((sender, receiver))
}

/// The write end of a pipe.
pub struct Sender {
    io: Registration<mio::unix::pipe::Sender>,
}

/// The read end of a pipe.
pub struct Receiver {
    io: Registration<mio::unix::pipe::Receiver>,
}

/// Fails unless `fd` is a pipe or a FIFO: readiness means nothing for a regular file.
fn check_is_pipe(fd: BorrowedFd<'_>) -> io::Result<()> {
    let file = File::from(fd.try_clone_to_owned()?);
    if file.metadata()?.file_type().is_fifo() {
        Ok(())
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, "not a pipe"))
    }
}

// === impl Sender ===

impl Sender {
    /// Takes over the write end of a pipe (or a FIFO opened for writing), making it
    /// nonblocking and registering it with the current reactor. Fails if `fd` is not a pipe.
    #[track_caller]
    pub fn from_owned_fd(fd: OwnedFd) -> io::Result<Sender> {
        check_is_pipe(fd.as_fd())?;
        Sender::from_owned_fd_unchecked(fd)
    }

    /// [`Sender::from_owned_fd`] without the check that `fd` is a pipe.
    #[track_caller]
    pub fn from_owned_fd_unchecked(fd: OwnedFd) -> io::Result<Sender> {
        let end = mio::unix::pipe::Sender::from(fd);
        end.set_nonblocking(true)?;
        Ok(Sender { io: Registration::with_current(end)? })
    }

    /// [`Sender::from_owned_fd`] for a FIFO opened with `std`.
    #[track_caller]
    pub fn from_file(file: File) -> io::Result<Sender> {
        Sender::from_owned_fd(OwnedFd::from(file))
    }

    /// [`Sender::from_file`] without the check that `file` is a pipe.
    #[track_caller]
    pub fn from_file_unchecked(file: File) -> io::Result<Sender> {
        Sender::from_owned_fd_unchecked(OwnedFd::from(file))
    }

    /// Waits until the pipe may have room (or its read end is closed).
    pub async fn writable(&self) -> io::Result<()> {
        self.io.ready(Direction::Write).await.map(|_tick| ())
    }

    /// Polls for write readiness; the waker is stored until it comes.
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Write)
    }

    /// Writes once without waiting; `WouldBlock` when the pipe is full.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |mut end| end.write(buf))
    }

    /// Writes once from several buffers (`writev(2)`) without waiting.
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |mut end| end.write_vectored(bufs))
    }

    /// Deregisters the end and hands it back in blocking mode, e.g. to give it to a child
    /// process as its stdout.
    pub fn into_blocking_fd(self) -> io::Result<OwnedFd> {
        let fd = self.into_nonblocking_fd()?;
        mio::unix::pipe::Sender::from(fd.try_clone()?).set_nonblocking(false)?;
        Ok(fd)
    }

    /// Deregisters the end and hands it back, still nonblocking.
    pub fn into_nonblocking_fd(self) -> io::Result<OwnedFd> {
        // A registration owns its fd and closes it when dropped, after leaving epoll: keep a
        // duplicate (the same open pipe end) and let the registration go.
        self.io.source().as_fd().try_clone_to_owned()
    }
}

impl AsyncWrite for Sender {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |mut end| end.write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // One `writev(2)`.
        self.io.poll_io(cx, Direction::Write, |mut end| end.write_vectored(bufs))
    }

    /// Nothing is buffered in user space.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Nothing to do, as in tokio: a pipe has no half-close, and the reader sees the end of
    /// the stream when the `Sender` is dropped.
    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

// === impl Receiver ===

impl Receiver {
    /// Takes over the read end of a pipe (or a FIFO opened for reading), making it nonblocking
    /// and registering it with the current reactor. Fails if `fd` is not a pipe.
    #[track_caller]
    pub fn from_owned_fd(fd: OwnedFd) -> io::Result<Receiver> {
        check_is_pipe(fd.as_fd())?;
        Receiver::from_owned_fd_unchecked(fd)
    }

    /// [`Receiver::from_owned_fd`] without the check that `fd` is a pipe.
    #[track_caller]
    pub fn from_owned_fd_unchecked(fd: OwnedFd) -> io::Result<Receiver> {
        let end = mio::unix::pipe::Receiver::from(fd);
        end.set_nonblocking(true)?;
        Ok(Receiver { io: Registration::with_current(end)? })
    }

    /// [`Receiver::from_owned_fd`] for a FIFO opened with `std`.
    #[track_caller]
    pub fn from_file(file: File) -> io::Result<Receiver> {
        Receiver::from_owned_fd(OwnedFd::from(file))
    }

    /// [`Receiver::from_file`] without the check that `file` is a pipe.
    #[track_caller]
    pub fn from_file_unchecked(file: File) -> io::Result<Receiver> {
        Receiver::from_owned_fd_unchecked(OwnedFd::from(file))
    }

    /// Waits until the pipe may hold bytes (or its write end is closed).
    pub async fn readable(&self) -> io::Result<()> {
        self.io.ready(Direction::Read).await.map(|_tick| ())
    }

    /// Polls for read readiness; the waker is stored until it comes.
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Read)
    }

    /// Reads once without waiting; `WouldBlock` when the pipe is empty, `Ok(0)` at its end.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Read, |mut end| end.read(buf))
    }

    /// Deregisters the end and hands it back in blocking mode, e.g. to give it to a child
    /// process as its stdin.
    pub fn into_blocking_fd(self) -> io::Result<OwnedFd> {
        let fd = self.into_nonblocking_fd()?;
        mio::unix::pipe::Receiver::from(fd.try_clone()?).set_nonblocking(false)?;
        Ok(fd)
    }

    /// Deregisters the end and hands it back, still nonblocking.
    pub fn into_nonblocking_fd(self) -> io::Result<OwnedFd> {
        // See `Sender::into_nonblocking_fd`.
        self.io.source().as_fd().try_clone_to_owned()
    }
}

impl AsyncRead for Receiver {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        // A pipe is a byte stream: a short read proves it empty (see `registration.rs`).
        let capacity = buf.len();
        self.io.poll_stream_read(cx, capacity, |mut end| end.read(buf))
    }
}

// === fd access and Debug ===

impl AsFd for Sender {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for Sender {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl AsFd for Receiver {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl AsRawFd for Receiver {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("io", &self.io).finish()
    }
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").field("io", &self.io).finish()
    }
}
