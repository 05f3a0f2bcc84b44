//! `copy` and `copy_buf`: move every byte of a reader into a writer.
//!
//! `CopyBuffer` is the state machine both `copy` and `copy_bidirectional` drive:
//!
//! ```text
//!   reader --poll_read--> [ buf: pos..filled ] --poll_write--> writer
//!      ^ refilled only once the writer took everything   |
//!      '-- at EOF: flush the writer, answer the total ---'
//! ```
//!
//! When the reader has nothing yet (`Pending`) and bytes were written since the last flush,
//! the writer is flushed before we wait, so a buffered writer does not sit on them while the
//! reader's peer waits for an answer.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::buf_reader::DEFAULT_BUF_SIZE;
use crate::io::{AsyncBufRead, AsyncRead, AsyncWrite, ReadBuf};
use crate::task::coop;

/// One direction of a copy: a buffer, and how far it has got.
#[derive(Debug)]
pub(crate) struct CopyBuffer {
    buf: Box<[u8]>,
    /// Where the bytes not yet written start.
    pos: usize,
    /// Where the bytes read end.
    filled: usize,
    /// Whether the reader answered end of stream.
    read_done: bool,
    /// Whether bytes were written since the writer was last flushed.
    need_flush: bool,
    /// How many bytes were written in all.
    copied: u64,
}

impl CopyBuffer {
    /// A copy through a buffer of `size` bytes.
    pub(crate) fn new(size: usize) -> CopyBuffer {
        let buf = vec![0; size].into_boxed_slice();
        CopyBuffer { buf, pos: 0, filled: 0, read_done: false, need_flush: false, copied: 0 }
    }

    /// Copies until the reader's end of stream, then flushes; answers the total.
    pub(crate) fn poll_copy<R, W>(
        &mut self,
        cx: &mut Context<'_>,
        mut reader: Pin<&mut R>,
        mut writer: Pin<&mut W>,
    ) -> Poll<io::Result<u64>>
    where
        R: AsyncRead + ?Sized,
        W: AsyncWrite + ?Sized,
    {
        loop {
            // Each round spends a unit of the task's budget, so a copy between two ends that
            // are always ready still lets the other tasks run (`task::coop`).
            let unit = ready!(coop::poll_proceed(cx));
            unit.made_progress();
            // The buffer is empty: refill it, unless the reader has ended.
            if self.pos == self.filled && !self.read_done {
                match self.poll_fill(cx, reader.as_mut()) {
                    Poll::Ready(result) => result?,
                    Poll::Pending => {
                        // Nothing to read yet: push what we wrote before waiting.
                        if self.need_flush {
                            ready!(writer.as_mut().poll_flush(cx))?;
                            self.need_flush = false;
                        }
                        return Poll::Pending;
                    }
                }
            }
            // Write out what the buffer holds.
            while self.pos < self.filled {
                let unwritten = &self.buf[self.pos..self.filled];
                let wrote = ready!(writer.as_mut().poll_write(cx, unwritten))?;
                if wrote == 0 {
                    let message = "write zero byte into writer";
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::WriteZero, message)));
                }
                self.pos += wrote;
                self.copied += wrote as u64;
                self.need_flush = true;
            }
            // Everything read is written; at end of stream, flush and finish.
            if self.read_done {
                ready!(writer.as_mut().poll_flush(cx))?;
                self.need_flush = false;
                return Poll::Ready(Ok(self.copied));
            }
        }
    }

    /// One read into the empty buffer; an empty read marks the end of stream.
    fn poll_fill<R: AsyncRead + ?Sized>(
        &mut self,
        cx: &mut Context<'_>,
        reader: Pin<&mut R>,
    ) -> Poll<io::Result<()>> {
        let mut buf = ReadBuf::new(&mut self.buf);
        ready!(reader.poll_read(cx, &mut buf))?;
        let read = buf.filled().len();
        self.pos = 0;
        self.filled = read;
        self.read_done = read == 0;
        Poll::Ready(Ok(()))
    }
}

/// Copies every byte of `reader` into `writer`, then flushes it; answers how many bytes.
///
/// As `tokio::io::copy`. Not cancel safe: bytes read but not yet written are lost.
pub async fn copy<R, W>(reader: &mut R, writer: &mut W) -> io::Result<u64>
where
    R: AsyncRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    let mut copy = CopyBuffer::new(DEFAULT_BUF_SIZE);
    poll_fn(|cx| copy.poll_copy(cx, Pin::new(&mut *reader), Pin::new(&mut *writer))).await
}

/// Copies every byte of a buffered `reader` into `writer`, writing straight from the reader's
/// buffer, then flushes; answers how many bytes. As `tokio::io::copy_buf`.
///
/// As in `copy`, the writer is flushed whenever the reader has nothing yet.
pub async fn copy_buf<R, W>(reader: &mut R, writer: &mut W) -> io::Result<u64>
where
    R: AsyncBufRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    let mut progress = BufCopy { copied: 0, need_flush: false };
    poll_fn(|cx| progress.poll(cx, Pin::new(&mut *reader), Pin::new(&mut *writer))).await
}

/// How far `copy_buf` has got.
#[derive(Debug)]
struct BufCopy {
    copied: u64,
    /// Whether bytes were written since the writer was last flushed.
    need_flush: bool,
}

impl BufCopy {
    /// The loop of `copy_buf`: fill, write, consume, until the reader's buffer comes back empty.
    fn poll<R, W>(
        &mut self,
        cx: &mut Context<'_>,
        mut reader: Pin<&mut R>,
        mut writer: Pin<&mut W>,
    ) -> Poll<io::Result<u64>>
    where
        R: AsyncBufRead + ?Sized,
        W: AsyncWrite + ?Sized,
    {
        loop {
            // One unit of the task's budget per round, as in `CopyBuffer::poll_copy`.
            let unit = ready!(coop::poll_proceed(cx));
            unit.made_progress();
            let available = match reader.as_mut().poll_fill_buf(cx) {
                Poll::Ready(available) => available?,
                Poll::Pending => {
                    // Nothing to read yet: push what we wrote before waiting.
                    if self.need_flush {
                        ready!(writer.as_mut().poll_flush(cx))?;
                        self.need_flush = false;
                    }
                    return Poll::Pending;
                }
            };
            if available.is_empty() {
                ready!(writer.as_mut().poll_flush(cx))?;
                return Poll::Ready(Ok(self.copied));
            }
            let wrote = ready!(writer.as_mut().poll_write(cx, available))?;
            if wrote == 0 {
                let message = "write zero byte into writer";
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::WriteZero, message)));
            }
            reader.as_mut().consume(wrote);
            self.copied += wrote as u64;
            self.need_flush = true;
        }
    }
}
