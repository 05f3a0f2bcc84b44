//! `BufWriter`: a writer with a buffer in front, so that small writes cost one large write.
//!
//! Writes go into the buffer; when the next one would not fit, the buffer is written out
//! first, and a write at least as large as the buffer skips it. Nothing reaches the inner
//! writer until the buffer fills, `flush` or `shutdown`: a `BufWriter` dropped with bytes
//! buffered loses them, as in tokio.

use std::io::{self, IoSlice, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

use crate::io::buf_reader::DEFAULT_BUF_SIZE;
use crate::io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

pin_project! {
    /// Adds a buffer to a writer, as `tokio::io::BufWriter`.
    #[derive(Debug)]
    pub struct BufWriter<W> {
        #[pin]
        inner: W,
        // The bytes written to us and not yet to `inner`.
        buf: Vec<u8>,
        // How many bytes at the front of `buf` the inner writer has taken during a flush
        // that has not finished.
        written: usize,
        // A seek asked for and not yet passed on: the buffer is written out first.
        seek: Option<SeekFrom>,
    }
}

impl<W: AsyncWrite> BufWriter<W> {
    /// `inner` behind a buffer of 8 KiB.
    pub fn new(inner: W) -> BufWriter<W> {
        BufWriter::with_capacity(DEFAULT_BUF_SIZE, inner)
    }

    /// `inner` behind a buffer of `capacity` bytes.
    pub fn with_capacity(capacity: usize, inner: W) -> BufWriter<W> {
        BufWriter { inner, buf: Vec::with_capacity(capacity), written: 0, seek: None }
    }

    /// Writes the buffered bytes to the inner writer, until none is left.
    fn flush_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut this = self.project();
        while *this.written < this.buf.len() {
            let unwritten = &this.buf[*this.written..];
            match ready!(this.inner.as_mut().poll_write(cx, unwritten)) {
                Ok(0) => {
                    let message = "failed to write the buffered data";
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::WriteZero, message)));
                }
                Ok(wrote) => *this.written += wrote,
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
        this.buf.clear();
        *this.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite> BufWriter<W> {
    /// For a vectored inner writer: all the slices go into the buffer, or, if together they
    /// are at least its size, straight to the inner writer in one vectored write.
    fn write_vectored_through(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let total: usize = bufs.iter().map(|buf| buf.len()).fold(0, usize::saturating_add);
        if self.buf.len() + total > self.buf.capacity() {
            ready!(self.as_mut().flush_buf(cx))?;
        }
        let this = self.project();
        if total >= this.buf.capacity() {
            return this.inner.poll_write_vectored(cx, bufs);
        }
        bufs.iter().for_each(|buf| this.buf.extend_from_slice(buf));
        Poll::Ready(Ok(total))
    }

    /// For a plain inner writer: the first non-empty slice goes in (straight through if it is
    /// at least the buffer's size), then as many whole slices after it as fit, so that one
    /// later write sends them together.
    fn write_vectored_plain(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let Some(first_at) = bufs.iter().position(|buf| !buf.is_empty()) else {
            return Poll::Ready(Ok(0));
        };
        let first = &bufs[first_at];
        if self.buf.len() + first.len() > self.buf.capacity() {
            ready!(self.as_mut().flush_buf(cx))?;
        }
        let this = self.project();
        if first.len() >= this.buf.capacity() {
            return this.inner.poll_write(cx, first);
        }
        let mut taken = 0;
        for buf in &bufs[first_at..] {
            if this.buf.len() + buf.len() > this.buf.capacity() {
                break;
            }
            this.buf.extend_from_slice(buf);
            taken += buf.len();
        }
        Poll::Ready(Ok(taken))
    }
}

impl<W> BufWriter<W> {
    /// The inner writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The inner writer, mutably; writing it directly goes ahead of the buffered bytes.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The inner writer, pinned.
    pub fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut W> {
        self.project().inner
    }

    /// The inner writer; the buffered bytes are lost.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// The bytes buffered and not yet written.
    pub fn buffer(&self) -> &[u8] {
        &self.buf
    }
}

impl<W: AsyncWrite> AsyncWrite for BufWriter<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.buf.len() + buf.len() > self.buf.capacity() {
            ready!(self.as_mut().flush_buf(cx))?;
        }
        let this = self.project();
        if buf.len() >= this.buf.capacity() {
            return this.inner.poll_write(cx, buf);
        }
        this.buf.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    /// Buffers the slices if they fit; see `write_vectored_through` and `write_vectored_plain`
    /// for what happens when they do not.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.inner.is_write_vectored() {
            self.write_vectored_through(cx, bufs)
        } else {
            self.write_vectored_plain(cx, bufs)
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().flush_buf(cx))?;
        self.get_pin_mut().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().flush_buf(cx))?;
        self.get_pin_mut().poll_shutdown(cx)
    }
}

/// Seeking writes the buffer out first, so that the bytes land where they were written.
impl<W: AsyncWrite + AsyncSeek> AsyncSeek for BufWriter<W> {
    /// Records the position; `poll_complete` flushes, then tells the inner writer.
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        *self.project().seek = Some(position);
        Ok(())
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        if let Some(position) = self.seek {
            ready!(self.as_mut().flush_buf(cx))?;
            let this = self.as_mut().project();
            *this.seek = None;
            this.inner.start_seek(position)?;
        }
        self.get_pin_mut().poll_complete(cx)
    }
}

/// A `BufWriter` over a writer that also reads passes reads straight through.
impl<W: AsyncWrite + AsyncRead> AsyncRead for BufWriter<W> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_pin_mut().poll_read(cx, buf)
    }
}

impl<W: AsyncWrite + AsyncBufRead> AsyncBufRead for BufWriter<W> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_pin_mut().poll_fill_buf(cx)
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        self.get_pin_mut().consume(amt)
    }
}
