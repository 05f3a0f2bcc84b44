//! `BufReader`: a reader with a buffer in front, so that small reads cost one large read.
//!
//! ```text
//!   buf: [ consumed | available (pos..filled) | free ]
//!                     ^ poll_fill_buf answers this, consume(n) moves pos on
//! ```
//!
//! Seeking throws the buffer away; a relative seek first subtracts the bytes still buffered,
//! because the inner reader is that far ahead of what the caller has seen.

use std::io::{self, IoSlice, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

use crate::io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

/// The buffer size of `BufReader::new` and `BufWriter::new`, as tokio's.
pub(crate) const DEFAULT_BUF_SIZE: usize = 8 * 1024;

pin_project! {
    /// Adds a buffer to a reader, as `tokio::io::BufReader`.
    #[derive(Debug)]
    pub struct BufReader<R> {
        #[pin]
        inner: R,
        buf: Box<[u8]>,
        // Where the bytes not yet consumed start.
        pos: usize,
        // Where the bytes read from `inner` end.
        filled: usize,
        // Where a seek stands between `start_seek` and the end of `poll_complete`.
        seek: SeekState,
    }
}

/// The steps of a seek through the buffer.
#[derive(Debug, Clone, Copy)]
enum SeekState {
    /// No seek was asked for.
    Idle,
    /// `start_seek` was called with this position; the inner reader has not been told yet.
    Requested(SeekFrom),
    /// A relative seek too far back to subtract the buffered bytes in one `i64`: the inner
    /// reader is moving back over them, and then moves by this offset.
    SteppingBack(i64),
    /// The inner reader was told; waiting for it to finish.
    Moving,
}

impl<R: AsyncRead> BufReader<R> {
    /// `inner` behind a buffer of 8 KiB.
    pub fn new(inner: R) -> BufReader<R> {
        BufReader::with_capacity(DEFAULT_BUF_SIZE, inner)
    }

    /// `inner` behind a buffer of `capacity` bytes.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero: such a reader could never answer anything but end of stream.
    #[track_caller]
    pub fn with_capacity(capacity: usize, inner: R) -> BufReader<R> {
        assert!(capacity > 0, "capacity must be greater than zero");
        let buf = vec![0; capacity].into_boxed_slice();
        BufReader { inner, buf, pos: 0, filled: 0, seek: SeekState::Idle }
    }
}

impl<R> BufReader<R> {
    /// The inner reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The inner reader, mutably; reading it directly skips the buffered bytes.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The inner reader, pinned.
    pub fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut R> {
        self.project().inner
    }

    /// The inner reader; the buffered bytes are lost.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The bytes buffered and not yet consumed.
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.pos..self.filled]
    }

    /// Forgets the buffered bytes.
    fn discard_buffer(self: Pin<&mut Self>) {
        let this = self.project();
        *this.pos = 0;
        *this.filled = 0;
    }
}

impl<R: AsyncRead> AsyncRead for BufReader<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        // Nothing buffered and a read at least as large as the buffer: the buffer would only
        // add a copy, so read straight into the caller's.
        if self.pos == self.filled && buf.remaining() >= self.buf.len() {
            let result = ready!(self.as_mut().get_pin_mut().poll_read(cx, buf));
            self.discard_buffer();
            return Poll::Ready(result);
        }
        let available = ready!(self.as_mut().poll_fill_buf(cx))?;
        let len = available.len().min(buf.remaining());
        buf.put_slice(&available[..len]);
        self.consume(len);
        Poll::Ready(Ok(()))
    }
}

impl<R: AsyncRead> AsyncBufRead for BufReader<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.project();
        if *this.pos >= *this.filled {
            let mut refill = ReadBuf::new(this.buf);
            ready!(this.inner.poll_read(cx, &mut refill))?;
            *this.filled = refill.filled().len();
            *this.pos = 0;
        }
        Poll::Ready(Ok(&this.buf[*this.pos..*this.filled]))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let this = self.project();
        *this.pos = (*this.pos + amt).min(*this.filled);
    }
}

impl<R: AsyncRead + AsyncSeek> AsyncSeek for BufReader<R> {
    /// Records the position; `poll_complete` does the work, as it alone may wait.
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        *self.project().seek = SeekState::Requested(position);
        Ok(())
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        loop {
            let state = *self.as_mut().project().seek;
            let next = match state {
                SeekState::Idle => return self.get_pin_mut().poll_complete(cx),
                SeekState::Requested(position) => self.as_mut().start_inner_seek(position)?,
                SeekState::SteppingBack(offset) => {
                    ready!(self.as_mut().poll_inner_seek(cx, SeekState::SteppingBack(offset)))?;
                    self.as_mut().discard_buffer();
                    self.as_mut().get_pin_mut().start_seek(SeekFrom::Current(offset))?;
                    SeekState::Moving
                }
                SeekState::Moving => {
                    let position = ready!(self.as_mut().poll_inner_seek(cx, SeekState::Moving))?;
                    self.as_mut().discard_buffer();
                    *self.project().seek = SeekState::Idle;
                    return Poll::Ready(Ok(position));
                }
            };
            *self.as_mut().project().seek = next;
        }
    }
}

impl<R: AsyncRead + AsyncSeek> BufReader<R> {
    /// Tells the inner reader where to go; a relative move subtracts the buffered bytes.
    fn start_inner_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<SeekState> {
        let buffered = (self.filled - self.pos) as i64;
        let SeekFrom::Current(offset) = position else {
            self.get_pin_mut().start_seek(position)?;
            return Ok(SeekState::Moving);
        };
        match offset.checked_sub(buffered) {
            Some(adjusted) => {
                self.get_pin_mut().start_seek(SeekFrom::Current(adjusted))?;
                Ok(SeekState::Moving)
            }
            None => {
                // `offset - buffered` does not fit in an `i64`: move back over the buffered
                // bytes first, then by `offset`.
                self.get_pin_mut().start_seek(SeekFrom::Current(-buffered))?;
                Ok(SeekState::SteppingBack(offset))
            }
        }
    }

    /// Polls the inner reader's seek, keeping `state` if it must wait.
    fn poll_inner_seek(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        state: SeekState,
    ) -> Poll<io::Result<u64>> {
        let this = self.project();
        let polled = this.inner.poll_complete(cx);
        if polled.is_ready() {
            *this.seek = SeekState::Idle;
        } else {
            *this.seek = state;
        }
        polled
    }
}

/// A `BufReader` over a reader that also writes passes writes straight through.
impl<R: AsyncRead + AsyncWrite> AsyncWrite for BufReader<R> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_pin_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_pin_mut().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_pin_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_pin_mut().poll_shutdown(cx)
    }
}
