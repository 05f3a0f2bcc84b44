//! The futures of `read_to_end` and `read_to_string`: read until a read answers nothing.
//!
//! The vector grows by `Vec::reserve`'s doubling; a vector that is exactly full is first probed
//! with a small read on the stack, so reading a stream that fits exactly never reallocates.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::{AsyncRead, ReadBuf};

/// The size of the probe read into a full vector.
const PROBE_LEN: usize = 32;
/// The most that one read may ask for, so that the bytes zeroed before a read stay few.
const MAX_READ_LEN: usize = 64 * 1024;

/// The future of [`AsyncReadExt::read_to_end`](crate::io::AsyncReadExt::read_to_end).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadToEnd<'a, R: ?Sized> {
    pub(crate) reader: &'a mut R,
    pub(crate) buf: &'a mut Vec<u8>,
    /// How many bytes this future appended so far.
    pub(crate) read: usize,
}

impl<R: AsyncRead + ?Sized + Unpin> Future for ReadToEnd<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        loop {
            match ready!(read_once(&mut *this.reader, this.buf, cx)) {
                Ok(0) => return Poll::Ready(Ok(this.read)),
                Ok(appended) => this.read += appended,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
    }
}

/// One read appended to `vec`: into its spare capacity, or into a probe if it has none.
fn read_once<R: AsyncRead + ?Sized + Unpin>(
    reader: &mut R,
    vec: &mut Vec<u8>,
    cx: &mut Context<'_>,
) -> Poll<io::Result<usize>> {
    let spare = vec.capacity() - vec.len();
    if spare == 0 {
        let mut probe = [0; PROBE_LEN];
        let mut buf = ReadBuf::new(&mut probe);
        ready!(Pin::new(reader).poll_read(cx, &mut buf))?;
        vec.extend_from_slice(buf.filled());
        return Poll::Ready(Ok(buf.filled().len()));
    }
    let start = vec.len();
    vec.resize(start + spare.min(MAX_READ_LEN), 0);
    let mut buf = ReadBuf::new(&mut vec[start..]);
    let result = Pin::new(reader).poll_read(cx, &mut buf);
    let appended = buf.filled().len();
    vec.truncate(start + appended);
    ready!(result)?;
    Poll::Ready(Ok(appended))
}

/// The future of [`AsyncReadExt::read_to_string`](crate::io::AsyncReadExt::read_to_string).
///
/// It reads bytes to the end first and checks them as UTF-8 after, so a character split
/// between two reads is no problem. If they are not UTF-8, the string is left as it was.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadToString<'a, R: ?Sized> {
    pub(crate) reader: &'a mut R,
    pub(crate) string: &'a mut String,
    /// The bytes read so far, appended to the string only once they are all there.
    pub(crate) bytes: Vec<u8>,
    /// How many bytes this future read so far.
    pub(crate) read: usize,
}

impl<R: AsyncRead + ?Sized + Unpin> Future for ReadToString<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let mut read_to_end =
            ReadToEnd { reader: &mut *this.reader, buf: &mut this.bytes, read: this.read };
        let polled = Pin::new(&mut read_to_end).poll(cx);
        this.read = read_to_end.read;
        let read = ready!(polled)?;
        let Ok(text) = std::str::from_utf8(&this.bytes) else {
            return Poll::Ready(Err(utf8_error_after(this.string, &this.bytes)));
        };
        this.string.push_str(text);
        Poll::Ready(Ok(read))
    }
}

/// The error for `bytes` that are not UTF-8 when appended to `text`: its `Utf8Error` counts
/// `valid_up_to` from the start of `text`, as tokio's does.
pub(crate) fn utf8_error_after(text: &str, bytes: &[u8]) -> io::Error {
    let whole = [text.as_bytes(), bytes].concat();
    let error = std::str::from_utf8(&whole).expect_err("the appended bytes are not UTF-8");
    invalid_utf8(error)
}

/// The error for bytes that are not UTF-8, carrying the `Utf8Error` as tokio does.
pub(crate) fn invalid_utf8(error: std::str::Utf8Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}
