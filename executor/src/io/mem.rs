//! In-memory pipes: `simplex` (one way) and `duplex` (two ways), as in `tokio::io`.
//!
//! A [`SimplexStream`] is a bounded byte queue with a waker for the reader and one for the
//! writer. A [`DuplexStream`] is one end of two of them, crossed:
//!
//! ```text
//!   a.write --> [ pipe a→b ] --> b.read
//!   a.read  <-- [ pipe b→a ] <-- b.write
//! ```
//!
//! Dropping (or shutting down) an end closes its outgoing pipe, so the peer reads what is left
//! and then EOF; dropping an end also closes its incoming pipe, so the peer's writes fail with
//! `BrokenPipe`.
//!
//! A read or write that is ready spends a unit of the task's budget (`task::coop`).
//!
//! The pipe's methods do not wake anybody: they return the wakers to wake, and the waker that
//! a new one replaced, so that [`DuplexStream`] wakes and drops them after unlocking its
//! `Mutex` (a waker is foreign code, and may drop the other end, which locks the same pipe).

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::io::split::{ReadHalf, WriteHalf, split};
use crate::io::{AsyncRead, AsyncWrite, ReadBuf};
use crate::task::coop::budgeted;

/// A one-way in-memory pipe of at most `max_buf_size` bytes, readable and writable.
///
/// Used whole it is a queue a task writes to and reads back; [`simplex`] splits it in two.
#[derive(Debug)]
pub struct SimplexStream {
    buffer: VecDeque<u8>,
    max_buf_size: usize,
    /// Set by `shutdown` or by dropping an end: reads drain and then see EOF, writes fail.
    is_closed: bool,
    read_waker: Option<Waker>,
    write_waker: Option<Waker>,
}

/// What a pipe operation leaves the caller to do once no lock is held: wake the task on the
/// other side, and drop the waker that a newly stored one replaced.
#[derive(Debug, Default)]
#[must_use = "wake and drop these once the pipe is unlocked"]
struct Deferred {
    wake: Option<Waker>,
    replaced: Option<Waker>,
}

impl Deferred {
    fn run(self) {
        if let Some(waker) = self.wake {
            waker.wake();
        }
        drop(self.replaced);
    }
}

/// A pipe's `simplex` ends: bytes written to the second come out of the first.
///
/// # Panics
///
/// If `max_buf_size` is zero: no byte could ever pass.
#[track_caller]
pub fn simplex(max_buf_size: usize) -> (ReadHalf<SimplexStream>, WriteHalf<SimplexStream>) {
    split(SimplexStream::new_unsplit(max_buf_size))
}

impl SimplexStream {
    /// A pipe that holds at most `max_buf_size` bytes, not split into halves.
    ///
    /// # Panics
    ///
    /// If `max_buf_size` is zero: no byte could ever pass, and a writer would wait forever.
    #[track_caller]
    pub fn new_unsplit(max_buf_size: usize) -> SimplexStream {
        assert!(max_buf_size > 0, "a pipe's max_buf_size must be greater than zero");
        SimplexStream {
            buffer: VecDeque::new(),
            max_buf_size,
            is_closed: false,
            read_waker: None,
            write_waker: None,
        }
    }

    /// Moves buffered bytes into `buf`; waits if there are none and the pipe is open.
    fn read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> (Poll<()>, Deferred) {
        if buf.remaining() == 0 {
            return (Poll::Ready(()), Deferred::default());
        }
        if self.buffer.is_empty() {
            if self.is_closed {
                return (Poll::Ready(()), Deferred::default());
            }
            let replaced = store(&mut self.read_waker, cx);
            return (Poll::Pending, Deferred { wake: None, replaced });
        }
        let len = self.buffer.len().min(buf.remaining());
        let (front, back) = self.buffer.as_slices();
        let from_front = len.min(front.len());
        buf.put_slice(&front[..from_front]);
        buf.put_slice(&back[..len - from_front]);
        self.buffer.drain(..len);
        // Room was made: the writer may go on.
        (Poll::Ready(()), Deferred { wake: self.write_waker.take(), replaced: None })
    }

    /// Appends as many of `bufs`' bytes as fit; waits if none fit.
    fn write(
        &mut self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> (Poll<io::Result<usize>>, Deferred) {
        if self.is_closed {
            return (Poll::Ready(Err(io::ErrorKind::BrokenPipe.into())), Deferred::default());
        }
        let wanted: usize = bufs.iter().map(|buf| buf.len()).sum();
        if wanted == 0 {
            return (Poll::Ready(Ok(0)), Deferred::default());
        }
        let mut room = self.max_buf_size - self.buffer.len();
        if room == 0 {
            let replaced = store(&mut self.write_waker, cx);
            return (Poll::Pending, Deferred { wake: None, replaced });
        }
        let mut written = 0;
        for buf in bufs {
            let taken = buf.len().min(room);
            self.buffer.extend(&buf[..taken]);
            written += taken;
            room -= taken;
        }
        // Bytes arrived: the reader may go on.
        (Poll::Ready(Ok(written)), Deferred { wake: self.read_waker.take(), replaced: None })
    }

    /// Closes the pipe and hands back both wakers, so both sides notice.
    fn close(&mut self) -> [Deferred; 2] {
        self.is_closed = true;
        let reader = Deferred { wake: self.read_waker.take(), replaced: None };
        let writer = Deferred { wake: self.write_waker.take(), replaced: None };
        [reader, writer]
    }
}

/// Keeps `cx`'s waker in `slot`; answers the one it replaced, if it wakes another task.
fn store(slot: &mut Option<Waker>, cx: &Context<'_>) -> Option<Waker> {
    match slot {
        Some(stored) if stored.will_wake(cx.waker()) => None,
        _ => slot.replace(cx.waker().clone()),
    }
}

impl AsyncRead for SimplexStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        budgeted(cx, |cx| {
            let (poll, deferred) = this.read(cx, buf);
            deferred.run();
            poll.map(Ok)
        })
    }
}

impl AsyncWrite for SimplexStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        budgeted(cx, |cx| {
            let (poll, deferred) = this.write(cx, bufs);
            deferred.run();
            poll
        })
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().close().into_iter().for_each(Deferred::run);
        Poll::Ready(Ok(()))
    }
}

/// One end of an in-memory two-way pipe, from [`duplex`].
#[derive(Debug)]
pub struct DuplexStream {
    /// The pipe this end reads from: the peer's `write`.
    read: Arc<Mutex<SimplexStream>>,
    /// The pipe this end writes to: the peer's `read`.
    write: Arc<Mutex<SimplexStream>>,
}

/// Two connected ends of an in-memory pipe that holds at most `max_buf_size` bytes each way.
///
/// # Panics
///
/// If `max_buf_size` is zero.
#[track_caller]
pub fn duplex(max_buf_size: usize) -> (DuplexStream, DuplexStream) {
    let one_way = Arc::new(Mutex::new(SimplexStream::new_unsplit(max_buf_size)));
    let other_way = Arc::new(Mutex::new(SimplexStream::new_unsplit(max_buf_size)));
    let a = DuplexStream { read: one_way.clone(), write: other_way.clone() };
    let b = DuplexStream { read: other_way, write: one_way };
    (a, b)
}

/// Locks a pipe; a poisoned lock is taken as it is, since no pipe method can panic halfway.
fn lock(pipe: &Mutex<SimplexStream>) -> MutexGuard<'_, SimplexStream> {
    pipe.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AsyncRead for DuplexStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        budgeted(cx, |cx| {
            let (poll, deferred) = lock(&self.read).read(cx, buf);
            deferred.run();
            poll.map(Ok)
        })
    }
}

impl AsyncWrite for DuplexStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        budgeted(cx, |cx| {
            let (poll, deferred) = lock(&self.write).write(cx, bufs);
            deferred.run();
            poll
        })
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Closes the outgoing pipe: the peer reads what is left, then EOF.
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let deferred = lock(&self.write).close();
        deferred.into_iter().for_each(Deferred::run);
        Poll::Ready(Ok(()))
    }
}

impl Drop for DuplexStream {
    fn drop(&mut self) {
        // Both pipes close: the peer's reads end, and its writes fail.
        let outgoing = lock(&self.write).close();
        let incoming = lock(&self.read).close();
        outgoing.into_iter().chain(incoming).for_each(Deferred::run);
    }
}
