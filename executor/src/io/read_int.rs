//! The futures of `read_u8` ... `read_f64_le`: fill `N` bytes, then decode them.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::read::early_eof;
use crate::io::{AsyncRead, ReadBuf};

/// The future of the `read_u8` ... `read_f64_le` methods of
/// [`AsyncReadExt`](crate::io::AsyncReadExt): fills `N` bytes, then decodes them into a `T`.
///
/// Not cancel safe: bytes read before the future is dropped are lost.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadInt<'a, R: ?Sized, const N: usize, T> {
    pub(crate) reader: &'a mut R,
    pub(crate) bytes: [u8; N],
    /// How many of `bytes` hold data so far; the value is ready when this reaches `N`.
    pub(crate) filled: usize,
    pub(crate) decode: fn([u8; N]) -> T,
}

impl<'a, R: ?Sized, const N: usize, T> ReadInt<'a, R, N, T> {
    /// A future that reads `N` bytes from `reader` and decodes them with `decode`.
    pub(crate) fn new(reader: &'a mut R, decode: fn([u8; N]) -> T) -> ReadInt<'a, R, N, T> {
        ReadInt { reader, bytes: [0; N], filled: 0, decode }
    }
}

impl<R: AsyncRead + ?Sized + Unpin, const N: usize, T> Future for ReadInt<'_, R, N, T> {
    type Output = io::Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let this = self.get_mut();
        while this.filled < N {
            let mut unfilled = ReadBuf::new(&mut this.bytes[this.filled..]);
            ready!(Pin::new(&mut *this.reader).poll_read(cx, &mut unfilled))?;
            let read = unfilled.filled().len();
            if read == 0 {
                return Poll::Ready(Err(early_eof()));
            }
            this.filled += read;
        }
        Poll::Ready(Ok((this.decode)(this.bytes)))
    }
}
