//! The futures of `write`, `write_vectored`, `write_all`, `write_buf`, `write_all_buf`, `flush`
//! and `shutdown`: one poll method each, or a loop of `poll_write`.

use std::future::Future;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::io::AsyncWrite;

/// How many buffers `write_all_buf` hands to one vectored write.
const MAX_VECTORED_BUFS: usize = 64;

/// The future of [`AsyncWriteExt::write`](crate::io::AsyncWriteExt::write).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Write<'a, W: ?Sized> {
    pub(crate) writer: &'a mut W,
    pub(crate) buf: &'a [u8],
}

impl<W: AsyncWrite + ?Sized + Unpin> Future for Write<'_, W> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        Pin::new(&mut *this.writer).poll_write(cx, this.buf)
    }
}

/// The future of [`AsyncWriteExt::write_vectored`](crate::io::AsyncWriteExt::write_vectored).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteVectored<'a, 'b, W: ?Sized> {
    pub(crate) writer: &'a mut W,
    pub(crate) bufs: &'a [IoSlice<'b>],
}

impl<W: AsyncWrite + ?Sized + Unpin> Future for WriteVectored<'_, '_, W> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        Pin::new(&mut *this.writer).poll_write_vectored(cx, this.bufs)
    }
}

/// The future of [`AsyncWriteExt::write_all`](crate::io::AsyncWriteExt::write_all).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteAll<'a, W: ?Sized> {
    pub(crate) writer: &'a mut W,
    /// What is left to write; it shrinks from the front as the writer takes bytes.
    pub(crate) buf: &'a [u8],
}

impl<W: AsyncWrite + ?Sized + Unpin> Future for WriteAll<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while !this.buf.is_empty() {
            let wrote = match ready!(Pin::new(&mut *this.writer).poll_write(cx, this.buf)) {
                Ok(wrote) => wrote,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Poll::Ready(Err(error)),
            };
            if wrote == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            this.buf = &this.buf[wrote..];
        }
        Poll::Ready(Ok(()))
    }
}

/// The future of [`AsyncWriteExt::write_buf`](crate::io::AsyncWriteExt::write_buf).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteBuf<'a, W: ?Sized, B: ?Sized> {
    pub(crate) writer: &'a mut W,
    pub(crate) buf: &'a mut B,
}

impl<W: AsyncWrite + ?Sized + Unpin, B: bytes::Buf + ?Sized> Future for WriteBuf<'_, W, B> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if !this.buf.has_remaining() {
            return Poll::Ready(Ok(0));
        }
        let wrote = ready!(write_some(&mut *this.writer, &*this.buf, cx))?;
        this.buf.advance(wrote);
        Poll::Ready(Ok(wrote))
    }
}

/// The future of [`AsyncWriteExt::write_all_buf`](crate::io::AsyncWriteExt::write_all_buf).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteAllBuf<'a, W: ?Sized, B: ?Sized> {
    pub(crate) writer: &'a mut W,
    pub(crate) buf: &'a mut B,
}

impl<W: AsyncWrite + ?Sized + Unpin, B: bytes::Buf + ?Sized> Future for WriteAllBuf<'_, W, B> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while this.buf.has_remaining() {
            let wrote = match ready!(write_some(&mut *this.writer, &*this.buf, cx)) {
                Ok(wrote) => wrote,
                // A signal cut the write short before it wrote anything: try again, as std does.
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Poll::Ready(Err(error)),
            };
            if wrote == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            this.buf.advance(wrote);
        }
        Poll::Ready(Ok(()))
    }
}

/// One write of `buf`'s next bytes: of several chunks at once if the writer is vectored.
fn write_some<W: AsyncWrite + ?Sized + Unpin, B: bytes::Buf + ?Sized>(
    writer: &mut W,
    buf: &B,
    cx: &mut Context<'_>,
) -> Poll<io::Result<usize>> {
    if !writer.is_write_vectored() {
        return Pin::new(writer).poll_write(cx, buf.chunk());
    }
    let mut slices = [IoSlice::new(&[]); MAX_VECTORED_BUFS];
    let count = buf.chunks_vectored(&mut slices);
    Pin::new(writer).poll_write_vectored(cx, &slices[..count])
}

/// The future of [`AsyncWriteExt::flush`](crate::io::AsyncWriteExt::flush).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Flush<'a, W: ?Sized> {
    pub(crate) writer: &'a mut W,
}

impl<W: AsyncWrite + ?Sized + Unpin> Future for Flush<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().writer).poll_flush(cx)
    }
}

/// The future of [`AsyncWriteExt::shutdown`](crate::io::AsyncWriteExt::shutdown).
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Shutdown<'a, W: ?Sized> {
    pub(crate) writer: &'a mut W,
}

impl<W: AsyncWrite + ?Sized + Unpin> Future for Shutdown<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().writer).poll_shutdown(cx)
    }
}
