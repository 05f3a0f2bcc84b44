//! `Blocking`: a blocking `std::io` reader or writer, run on the blocking pool one call at a time.
//!
//! Standard input and output cannot be made nonblocking portably (they may be a terminal, a
//! file, or a pipe another process shares), so tokio, and Clockwork, run each `read(2)` and
//! `write(2)` on the `spawn_blocking` pool. A `Blocking` owns the handle and a buffer, and lends
//! both to one blocking job at a time:
//!
//! ```text
//!   Idle(handle, buf) --poll_read/poll_write--> Busy(job) --job ends--> Idle(handle, buf)
//! ```
//!
//! A write is *accepted* as soon as its bytes are copied into the buffer and the job is started,
//! as in tokio; an error of that write is reported by the next write or flush.
//! On a runtime that has shut down nothing is accepted: the pool would drop the job, and the
//! bytes with it, so the call fails at once with the shutdown error.
//! A read waits for its job, and hands the bytes over from the buffer.

use std::future::Future;
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::ReadBuf;
use crate::task::{JoinHandle, spawn_blocking};

/// The most bytes one blocking job reads or writes, as tokio's limit.
const MAX_BUF: usize = 2 * 1024 * 1024;

/// What a blocking job hands back: the handle, the buffer, and what the call answered.
type Returned<T> = (T, Vec<u8>, io::Result<usize>);

/// The handle, either here or lent to a job on the blocking pool.
#[derive(Debug)]
enum State<T> {
    /// Here, with the buffer; `buf[pos..]` holds read bytes not yet handed over.
    Idle { handle: T, buf: Vec<u8>, pos: usize },
    /// Lent to a job; it comes back when the job ends.
    Busy(JoinHandle<Returned<T>>),
    /// Only while moving from one state to the other.
    Taken,
}

/// A blocking reader or writer, used from a task; see the module docs.
#[derive(Debug)]
pub(crate) struct Blocking<T> {
    state: State<T>,
    /// Whether the running job is a flush (so that its end ends `poll_flush`).
    flushing: bool,
}

impl<T: Send + 'static> Blocking<T> {
    /// Wraps `handle`; no job runs until the first read or write.
    pub(crate) fn new(handle: T) -> Blocking<T> {
        Blocking { state: State::Idle { handle, buf: Vec::new(), pos: 0 }, flushing: false }
    }

    /// Waits for a running job to end; answers what its call answered.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let State::Busy(job) = &mut self.state else {
            return Poll::Ready(Ok(0));
        };
        let (handle, buf, result) = ready!(Pin::new(job).poll(cx)).map_err(io::Error::from)?;
        self.state = State::Idle { handle, buf, pos: 0 };
        Poll::Ready(result)
    }

    /// Lends the handle and buffer to `job` on the blocking pool.
    ///
    /// A runtime that has shut down runs no more jobs: the call then fails with the reactor's
    /// shutdown error (`runtime::is_rt_shutdown_err`), as tokio's does, rather than accept bytes
    /// that nobody would write.
    fn start(
        &mut self,
        job: impl FnOnce(&mut T, &mut Vec<u8>) -> io::Result<usize> + Send + 'static,
    ) -> io::Result<()> {
        if crate::runtime::Handle::current().shared.is_closed() {
            return Err(clockwork_reactor::shutdown_error());
        }
        let State::Idle { mut handle, mut buf, .. } =
            std::mem::replace(&mut self.state, State::Taken)
        else {
            unreachable!("a job starts only from Idle");
        };
        let running = spawn_blocking(move || {
            let result = job(&mut handle, &mut buf);
            (handle, buf, result)
        });
        self.state = State::Busy(running);
        Ok(())
    }
}

impl<T: Read + Send + 'static> Blocking<T> {
    /// Hands over buffered bytes, or reads more on the blocking pool and waits for them.
    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        dst: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            match &mut self.state {
                State::Busy(_) => {
                    // The read job ends: zero bytes is the end of the stream.
                    if ready!(self.poll_idle(cx))? == 0 {
                        return Poll::Ready(Ok(()));
                    }
                }
                State::Idle { buf, pos, .. } if *pos < buf.len() => {
                    let len = (buf.len() - *pos).min(dst.remaining());
                    dst.put_slice(&buf[*pos..*pos + len]);
                    *pos += len;
                    return Poll::Ready(Ok(()));
                }
                State::Idle { .. } => {
                    let wanted = dst.remaining().min(MAX_BUF);
                    let started = self.start(move |handle, buf| {
                        buf.resize(wanted, 0);
                        let read = handle.read(buf);
                        buf.truncate(*read.as_ref().unwrap_or(&0));
                        read
                    });
                    if let Err(error) = started {
                        return Poll::Ready(Err(error));
                    }
                }
                State::Taken => unreachable!("Taken lasts only inside `start`"),
            }
        }
    }
}

impl<T: Write + Send + 'static> Blocking<T> {
    /// Waits for the previous job, then copies `src` into the buffer and writes it on the
    /// blocking pool; answers at once that the bytes were taken.
    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        src: &[u8],
    ) -> Poll<io::Result<usize>> {
        // The previous job must end first; an error of its write is ours to report.
        self.flushing = false;
        ready!(self.poll_idle(cx))?;
        let State::Idle { buf, .. } = &mut self.state else {
            unreachable!("poll_idle answers Ready only once the handle is back");
        };
        let len = src.len().min(MAX_BUF);
        buf.clear();
        buf.extend_from_slice(&src[..len]);
        let started = self.start(|handle, buf| handle.write_all(buf).map(|()| buf.len()));
        Poll::Ready(started.map(|()| len))
    }

    /// Waits for the running write, then flushes on the blocking pool and waits for that.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            if let State::Busy(_) = self.state {
                let was_flush = self.flushing;
                let ended = ready!(self.poll_idle(cx));
                self.flushing = false;
                ended?;
                if was_flush {
                    return Poll::Ready(Ok(()));
                }
            }
            self.flushing = true;
            if let Err(error) = self.start(|handle, _| handle.flush().map(|()| 0)) {
                return Poll::Ready(Err(error));
            }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests;
