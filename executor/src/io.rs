//! I/O traits and helpers under tokio's path `clockwork::io`.
//!
//! Clockwork's sockets implement the runtime-agnostic `futures-io` traits (`AsyncRead`,
//! `AsyncWrite`), so the whole futures ecosystem works with them. On top of those traits, this
//! module defines its own [`AsyncReadExt`] and [`AsyncWriteExt`] with *tokio's* method names, so
//! a program that imports `tokio::io::{AsyncReadExt, AsyncWriteExt}` compiles against
//! `clockwork::io::{AsyncReadExt, AsyncWriteExt}` unchanged. Each method hands the work to a
//! future from `futures-util`; nothing here touches a socket.
//!
//! ```
//! use clockwork::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # clockwork::runtime::Runtime::new().unwrap().block_on(async {
//! let mut written = Vec::new();
//! written.write_all(b"ping").await?;
//! written.write_u32(7).await?;
//! written.shutdown().await?; // futures calls this `close`
//!
//! let mut reader = &written[..];
//! let mut word = [0; 4];
//! assert_eq!(reader.read_exact(&mut word).await?, 4);
//! assert_eq!(reader.read_u32().await?, 7);
//! # Ok::<(), std::io::Error>(()) }).unwrap();
//! ```
//!
//! # How this differs from tokio and from futures
//!
//! - tokio's `AsyncWriteExt::shutdown` is `close` in futures; here it is `shutdown`, and it
//!   calls `poll_close` (for a `TcpStream`, that sends FIN).
//! - tokio's `read_exact` returns the number of bytes read; futures' returns `()`. Here it
//!   returns the number, as in tokio.
//! - The traits underneath are futures-io's, not tokio's: a reader fills a plain `&mut [u8]`,
//!   not a `ReadBuf`, and there is no `poll_shutdown` (it is `poll_close`).
//! - Only the common methods are here. For the rest (`read_line`, `lines`, vectored writes),
//!   use futures' [`AsyncBufReadExt`] or call `futures::AsyncReadExt` by its full path.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

pub use futures_io::{AsyncBufRead, AsyncRead, AsyncWrite};
pub use futures_util::io::{AsyncBufReadExt, BufReader, BufWriter, copy};
pub use std::io::{Error, ErrorKind, Result};

use futures_util::io::{Close, Flush, Read, ReadExact, ReadToEnd, ReadToString, Write, WriteAll};

/// Reading methods with tokio's names, for every [`AsyncRead`] type.
pub trait AsyncReadExt: AsyncRead {
    /// Reads some bytes into `buf`; `Ok(0)` means end of stream (or an empty `buf`).
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read(self, buf)
    }

    /// Reads exactly `buf.len()` bytes, returning that number; fails with `UnexpectedEof` if
    /// the stream ends first.
    fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExactLen<'a, Self>
    where
        Self: Unpin,
    {
        let len = buf.len();
        ReadExactLen { inner: futures_util::io::AsyncReadExt::read_exact(self, buf), len }
    }

    /// Reads until end of stream, appending to `buf`; returns the number of bytes read.
    fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read_to_end(self, buf)
    }

    /// Reads until end of stream, appending UTF-8 text to `buf`; returns the number of bytes.
    fn read_to_string<'a>(&'a mut self, buf: &'a mut String) -> ReadToString<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read_to_string(self, buf)
    }

    /// Reads one byte.
    fn read_u8(&mut self) -> ReadInt<'_, Self, 1, u8>
    where
        Self: Unpin,
    {
        ReadInt { reader: self, bytes: [0; 1], filled: 0, decode: u8::from_be_bytes }
    }

    /// Reads a big-endian `u32` (network byte order, as tokio does).
    fn read_u32(&mut self) -> ReadInt<'_, Self, 4, u32>
    where
        Self: Unpin,
    {
        ReadInt { reader: self, bytes: [0; 4], filled: 0, decode: u32::from_be_bytes }
    }
}

impl<R: AsyncRead + ?Sized> AsyncReadExt for R {}

/// Writing methods with tokio's names, for every [`AsyncWrite`] type.
pub trait AsyncWriteExt: AsyncWrite {
    /// Writes some bytes of `buf`; returns how many.
    fn write<'a>(&'a mut self, buf: &'a [u8]) -> Write<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::write(self, buf)
    }

    /// Writes all of `buf`, looping over short writes.
    fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> WriteAll<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::write_all(self, buf)
    }

    /// Flushes buffered bytes to the underlying writer.
    fn flush(&mut self) -> Flush<'_, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::flush(self)
    }

    /// Flushes, then shuts down the write direction: tokio's name for futures' `close`.
    fn shutdown(&mut self) -> Close<'_, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::close(self)
    }

    /// Writes one byte.
    fn write_u8(&mut self, value: u8) -> WriteInt<'_, Self, 1>
    where
        Self: Unpin,
    {
        WriteInt { writer: self, bytes: value.to_be_bytes(), written: 0 }
    }

    /// Writes a big-endian `u32` (network byte order, as tokio does).
    fn write_u32(&mut self, value: u32) -> WriteInt<'_, Self, 4>
    where
        Self: Unpin,
    {
        WriteInt { writer: self, bytes: value.to_be_bytes(), written: 0 }
    }
}

impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}

/// The future of [`AsyncReadExt::read_exact`]: futures' `ReadExact`, answering with the length.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadExactLen<'a, R: ?Sized> {
    inner: ReadExact<'a, R>,
    len: usize,
}

impl<R: AsyncRead + ?Sized + Unpin> Future for ReadExactLen<'_, R> {
    type Output = Result<usize>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        ready!(Pin::new(&mut self.inner).poll(cx))?;
        Poll::Ready(Ok(self.len))
    }
}

/// The future of [`AsyncReadExt::read_u8`] and [`AsyncReadExt::read_u32`]: fills `N` bytes,
/// then decodes them.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadInt<'a, R: ?Sized, const N: usize, T> {
    reader: &'a mut R,
    bytes: [u8; N],
    /// How many of `bytes` hold data so far; the value is ready when this reaches `N`.
    filled: usize,
    decode: fn([u8; N]) -> T,
}

impl<R: AsyncRead + ?Sized + Unpin, const N: usize, T> Future for ReadInt<'_, R, N, T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        while this.filled < N {
            let unfilled = &mut this.bytes[this.filled..];
            let read = ready!(Pin::new(&mut *this.reader).poll_read(cx, unfilled))?;
            if read == 0 {
                return Poll::Ready(Err(ErrorKind::UnexpectedEof.into()));
            }
            this.filled += read;
        }
        Poll::Ready(Ok((this.decode)(this.bytes)))
    }
}

/// The future of [`AsyncWriteExt::write_u8`] and [`AsyncWriteExt::write_u32`]: writes `N`
/// already-encoded bytes.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteInt<'a, W: ?Sized, const N: usize> {
    writer: &'a mut W,
    bytes: [u8; N],
    /// How many of `bytes` the writer has taken so far; done when this reaches `N`.
    written: usize,
}

impl<W: AsyncWrite + ?Sized + Unpin, const N: usize> Future for WriteInt<'_, W, N> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        while this.written < N {
            let unwritten = &this.bytes[this.written..];
            let wrote = ready!(Pin::new(&mut *this.writer).poll_write(cx, unwritten))?;
            if wrote == 0 {
                return Poll::Ready(Err(ErrorKind::WriteZero.into()));
            }
            this.written += wrote;
        }
        Poll::Ready(Ok(()))
    }
}
