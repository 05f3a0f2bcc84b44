//! The future of `write_u8` ... `write_f64_le`: write `N` already-encoded bytes.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::AsyncWrite;

/// The future of the `write_u8` ... `write_f64_le` methods of
/// [`AsyncWriteExt`](crate::io::AsyncWriteExt): writes `N` bytes, encoded when it was made.
///
/// Not cancel safe: if it is dropped, some of the bytes may have been written.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteInt<'a, W: ?Sized, const N: usize> {
    pub(crate) writer: &'a mut W,
    pub(crate) bytes: [u8; N],
    /// How many of `bytes` the writer has taken so far; done when this reaches `N`.
    pub(crate) written: usize,
}

impl<W: AsyncWrite + ?Sized + Unpin, const N: usize> Future for WriteInt<'_, W, N> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while this.written < N {
            let unwritten = &this.bytes[this.written..];
            let wrote = ready!(Pin::new(&mut *this.writer).poll_write(cx, unwritten))?;
            if wrote == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            this.written += wrote;
        }
        Poll::Ready(Ok(()))
    }
}
