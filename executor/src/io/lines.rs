//! `Lines` and `Split`: a buffered reader cut into lines, or into segments at a delimiter.
//!
//! Both keep the partial line inside themselves, so `next_line` and `next_segment` are cancel
//! safe: a dropped call loses nothing, and the next call goes on where it stopped.

use std::io;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

use crate::io::AsyncBufRead;
use crate::io::read_until::poll_read_until;

pin_project! {
    /// The lines of a buffered reader, from
    /// [`AsyncBufReadExt::lines`](crate::io::AsyncBufReadExt::lines).
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct Lines<R> {
        #[pin]
        reader: R,
        // The bytes of the line being read.
        bytes: Vec<u8>,
        // How many of them earlier polls read.
        read: usize,
    }
}

impl<R: AsyncBufRead> Lines<R> {
    /// The lines of `reader`.
    pub(crate) fn new(reader: R) -> Lines<R> {
        Lines { reader, bytes: Vec::new(), read: 0 }
    }

    /// The next line, without its `\n` or `\r\n`; `None` at end of stream. Cancel safe.
    pub async fn next_line(&mut self) -> io::Result<Option<String>>
    where
        R: Unpin,
    {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_line(cx)).await
    }

    /// Polls for the next line; see [`Lines::next_line`].
    pub fn poll_next_line(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<String>>> {
        let this = self.project();
        let read = ready!(poll_read_until(this.reader, cx, b'\n', this.bytes, this.read))?;
        if read == 0 {
            return Poll::Ready(Ok(None));
        }
        let mut bytes = mem::take(this.bytes);
        strip_suffix(&mut bytes, b"\n");
        strip_suffix(&mut bytes, b"\r");
        // The error carries the line's bytes (a `FromUtf8Error`), as tokio's does; the line is
        // consumed either way, so the next call reads the one after it.
        let line = String::from_utf8(bytes)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
        Poll::Ready(Ok(Some(line)))
    }

    /// The reader.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The reader, mutably.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.reader
    }

    /// The reader; bytes of a partial line read so far are lost.
    pub fn into_inner(self) -> R {
        self.reader
    }
}

pin_project! {
    /// The segments of a buffered reader between delimiters, from
    /// [`AsyncBufReadExt::split`](crate::io::AsyncBufReadExt::split).
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct Split<R> {
        #[pin]
        reader: R,
        delimiter: u8,
        // The bytes of the segment being read.
        bytes: Vec<u8>,
        // How many of them earlier polls read.
        read: usize,
    }
}

impl<R: AsyncBufRead> Split<R> {
    /// The segments of `reader` between `delimiter`s.
    pub(crate) fn new(reader: R, delimiter: u8) -> Split<R> {
        Split { reader, delimiter, bytes: Vec::new(), read: 0 }
    }

    /// The next segment, without its delimiter; `None` at end of stream. Cancel safe.
    pub async fn next_segment(&mut self) -> io::Result<Option<Vec<u8>>>
    where
        R: Unpin,
    {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_segment(cx)).await
    }

    /// Polls for the next segment; see [`Split::next_segment`].
    pub fn poll_next_segment(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<Vec<u8>>>> {
        let this = self.project();
        let delimiter = *this.delimiter;
        let read = ready!(poll_read_until(this.reader, cx, delimiter, this.bytes, this.read))?;
        if read == 0 {
            return Poll::Ready(Ok(None));
        }
        let mut segment = mem::take(this.bytes);
        strip_suffix(&mut segment, &[delimiter]);
        Poll::Ready(Ok(Some(segment)))
    }
}

/// Removes `suffix` from the end of `bytes` if it is there.
fn strip_suffix(bytes: &mut Vec<u8>, suffix: &[u8]) {
    if bytes.ends_with(suffix) {
        bytes.truncate(bytes.len() - suffix.len());
    }
}
