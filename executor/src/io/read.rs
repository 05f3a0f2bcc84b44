//! The futures of `read`, `read_exact` and `read_buf`: one `poll_read` each, or a loop of them.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::{AsyncRead, ReadBuf};

/// The future of [`AsyncReadExt::read`](crate::io::AsyncReadExt::read).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Read<'a, R: ?Sized> {
    pub(crate) reader: &'a mut R,
    pub(crate) buf: &'a mut [u8],
}

impl<R: AsyncRead + ?Sized + Unpin> Future for Read<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let mut buf = ReadBuf::new(this.buf);
        ready!(Pin::new(&mut *this.reader).poll_read(cx, &mut buf))?;
        Poll::Ready(Ok(buf.filled().len()))
    }
}

/// The future of [`AsyncReadExt::read_exact`](crate::io::AsyncReadExt::read_exact).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadExact<'a, R: ?Sized> {
    pub(crate) reader: &'a mut R,
    pub(crate) buf: &'a mut [u8],
    /// How many bytes at the front of `buf` hold data so far.
    pub(crate) filled: usize,
}

impl<R: AsyncRead + ?Sized + Unpin> Future for ReadExact<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        while this.filled < this.buf.len() {
            let mut unfilled = ReadBuf::new(&mut this.buf[this.filled..]);
            match ready!(Pin::new(&mut *this.reader).poll_read(cx, &mut unfilled)) {
                Ok(()) => {}
                // A signal cut the read short before it read anything: try again, as std does.
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Poll::Ready(Err(error)),
            }
            let read = unfilled.filled().len();
            if read == 0 {
                return Poll::Ready(Err(early_eof()));
            }
            this.filled += read;
        }
        Poll::Ready(Ok(this.filled))
    }
}

/// The error of a read that needed more bytes than the stream had.
pub(crate) fn early_eof() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "early eof")
}

/// The future of [`AsyncReadExt::read_buf`](crate::io::AsyncReadExt::read_buf).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadIntoBuf<'a, R: ?Sized, B: ?Sized> {
    pub(crate) reader: &'a mut R,
    pub(crate) buf: &'a mut B,
}

impl<R, B> Future for ReadIntoBuf<'_, R, B>
where
    R: AsyncRead + ?Sized + Unpin,
    B: bytes::BufMut + ?Sized,
{
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if !this.buf.has_remaining_mut() {
            return Poll::Ready(Ok(0));
        }
        let reader = &mut *this.reader;
        clockwork_reactor::net::fill_buf_mut(this.buf, |dst| {
            ready!(Pin::new(reader).poll_read(cx, dst))?;
            Poll::Ready(Ok(dst.filled().len()))
        })
    }
}
