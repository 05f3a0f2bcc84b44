//! The futures of `read_until`, `read_line` and `fill_buf`, and the loop they share.
//!
//! `read_until` asks the buffered reader for its buffer, copies up to the delimiter, and
//! consumes what it copied, until it has copied the delimiter or the stream ends. Bytes it
//! copied stay in the caller's vector even if a later read fails.

use std::future::Future;
use std::io;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::AsyncBufRead;
use crate::io::read_to_end::invalid_utf8;

/// Appends to `buf` up to and including `delimiter`, or to end of stream; answers how many bytes
/// were appended in all, counting those `read` says earlier polls appended.
pub(crate) fn poll_read_until<R: AsyncBufRead + ?Sized>(
    mut reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    delimiter: u8,
    buf: &mut Vec<u8>,
    read: &mut usize,
) -> Poll<io::Result<usize>> {
    loop {
        let available = match ready!(reader.as_mut().poll_fill_buf(cx)) {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Poll::Ready(Err(error)),
        };
        let (found, used) = match available.iter().position(|&byte| byte == delimiter) {
            Some(at) => (true, at + 1),
            None => (available.is_empty(), available.len()),
        };
        buf.extend_from_slice(&available[..used]);
        reader.as_mut().consume(used);
        *read += used;
        // `found` is also true at end of stream (an empty buffer): either way, we are done.
        if found {
            return Poll::Ready(Ok(mem::take(read)));
        }
    }
}

/// The future of [`AsyncBufReadExt::read_until`](crate::io::AsyncBufReadExt::read_until).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadUntil<'a, R: ?Sized> {
    pub(crate) reader: &'a mut R,
    pub(crate) delimiter: u8,
    pub(crate) buf: &'a mut Vec<u8>,
    /// How many bytes earlier polls appended.
    pub(crate) read: usize,
}

impl<R: AsyncBufRead + ?Sized + Unpin> Future for ReadUntil<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let reader = Pin::new(&mut *this.reader);
        poll_read_until(reader, cx, this.delimiter, this.buf, &mut this.read)
    }
}

/// The future of [`AsyncBufReadExt::read_line`](crate::io::AsyncBufReadExt::read_line).
///
/// It holds the string's bytes while it reads, and puts them back when it finishes or is
/// dropped: with the new line if that is UTF-8 (even after an I/O error, as tokio), without
/// it otherwise.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadLine<'a, R: ?Sized> {
    reader: &'a mut R,
    string: &'a mut String,
    /// The string's bytes, with the line read so far appended.
    bytes: Vec<u8>,
    /// The length of the string before the line.
    original_len: usize,
    /// How many bytes earlier polls appended.
    read: usize,
}

impl<'a, R: ?Sized> ReadLine<'a, R> {
    /// Takes the string's bytes for the time of the read.
    pub(crate) fn new(reader: &'a mut R, string: &'a mut String) -> ReadLine<'a, R> {
        let bytes = mem::take(string).into_bytes();
        let original_len = bytes.len();
        ReadLine { reader, string, bytes, original_len, read: 0 }
    }

    /// Puts the bytes back into the string; answers the UTF-8 error if the new ones were not
    /// text (counting `valid_up_to` from the start of the string, as tokio), in which case
    /// only the original string goes back.
    fn put_back(&mut self) -> Result<(), std::str::Utf8Error> {
        let mut bytes = mem::take(&mut self.bytes);
        let new_is_text = std::str::from_utf8(&bytes[self.original_len..]).is_ok();
        let checked = match new_is_text {
            true => Ok(()),
            false => std::str::from_utf8(&bytes).map(drop),
        };
        if checked.is_err() {
            bytes.truncate(self.original_len);
        }
        *self.string = String::from_utf8(bytes).expect("the original string and a UTF-8 line");
        checked
    }
}

impl<R: AsyncBufRead + ?Sized + Unpin> Future for ReadLine<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let reader = Pin::new(&mut *this.reader);
        let result = ready!(poll_read_until(reader, cx, b'\n', &mut this.bytes, &mut this.read));
        let checked = this.put_back();
        // An I/O error wins over a UTF-8 error, as in tokio.
        let read = result?;
        checked.map_err(invalid_utf8)?;
        Poll::Ready(Ok(read))
    }
}

impl<R: ?Sized> Drop for ReadLine<'_, R> {
    fn drop(&mut self) {
        // Still holding the bytes means the future was dropped before it finished.
        if !self.bytes.is_empty() {
            let _ = self.put_back();
        }
    }
}

/// The future of [`AsyncBufReadExt::fill_buf`](crate::io::AsyncBufReadExt::fill_buf).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct FillBuf<'a, R: ?Sized> {
    pub(crate) reader: Option<&'a mut R>,
}

impl<'a, R: AsyncBufRead + ?Sized + Unpin> Future for FillBuf<'a, R> {
    type Output = io::Result<&'a [u8]>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&'a [u8]>> {
        let this = self.get_mut();
        let reader = this.reader.as_mut().expect("FillBuf polled after it completed");
        // The first poll borrows the reader only for this call, so that a `Pending` leaves it
        // to us for the next poll. (Returning that borrow's slice is what today's borrow
        // checker cannot prove sound; tokio uses a `transmute` there.)
        match ready!(Pin::new(&mut **reader).poll_fill_buf(cx)) {
            Err(error) => return Poll::Ready(Err(error)),
            Ok([]) => return Poll::Ready(Ok(&[])),
            Ok(_) => {}
        }
        // Data is buffered, so asking again with the whole borrow answers at once with it.
        let reader = this.reader.take().expect("checked above");
        match Pin::new(reader).poll_fill_buf(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => panic!("poll_fill_buf answered Pending with bytes buffered"),
        }
    }
}
