//! The halves of a split [`UnixStream`], as in `tokio::net::unix`: the twins of `net/tcp.rs`.
//!
//! A stream keeps one waker per direction, so a reader and a writer never overwrite each other's
//! waker; the halves only make that usable from two places at once. The borrowed halves of
//! [`UnixStream::split`] hold `&UnixStream`; the owned halves of [`UnixStream::into_split`] share
//! an `Arc<UnixStream>`, and [`OwnedReadHalf::reunite`] takes them back apart from it.

use std::error::Error;
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::net::unix::{SocketAddr, UnixStream};
use crate::net::{Interest, Ready};

/// The reading half of [`UnixStream::split`].
pub struct ReadHalf<'a> {
    pub(crate) stream: &'a UnixStream,
}

/// The writing half of [`UnixStream::split`].
pub struct WriteHalf<'a> {
    pub(crate) stream: &'a UnixStream,
}

/// The reading half of [`UnixStream::into_split`].
pub struct OwnedReadHalf {
    pub(crate) stream: Arc<UnixStream>,
}

/// The writing half of [`UnixStream::into_split`]; dropping it shuts down writing.
pub struct OwnedWriteHalf {
    pub(crate) stream: Arc<UnixStream>,
    /// Whether dropping the half sends FIN; [`OwnedWriteHalf::forget`] turns it off.
    shutdown_on_drop: bool,
}

/// The two halves given to `reunite` came from different streams; here they are back.
#[derive(Debug)]
pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

impl fmt::Display for ReuniteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tried to reunite halves that are not from the same socket")
    }
}

impl Error for ReuniteError {}

// === impl ReadHalf ===

impl ReadHalf<'_> {
    /// [`UnixStream::ready`] through this half.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.stream.ready(interest).await
    }

    /// [`UnixStream::readable`] through this half.
    pub async fn readable(&self) -> io::Result<()> {
        self.stream.readable().await
    }

    /// [`UnixStream::try_read`] through this half.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.try_read(buf)
    }

    /// The stream's remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// The stream's local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }
}

impl AsyncRead for ReadHalf<'_> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_read_priv(cx, buf)
    }
}

impl AsRef<UnixStream> for ReadHalf<'_> {
    fn as_ref(&self) -> &UnixStream {
        self.stream
    }
}

impl fmt::Debug for ReadHalf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadHalf").field("stream", &self.stream).finish()
    }
}

// === impl WriteHalf ===

impl WriteHalf<'_> {
    /// [`UnixStream::ready`] through this half.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.stream.ready(interest).await
    }

    /// [`UnixStream::writable`] through this half.
    pub async fn writable(&self) -> io::Result<()> {
        self.stream.writable().await
    }

    /// [`UnixStream::try_write`] through this half.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.stream.try_write(buf)
    }

    /// The stream's remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// The stream's local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }
}

impl AsyncWrite for WriteHalf<'_> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_priv(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_vectored_priv(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream.poll_close_priv()
    }
}

impl AsRef<UnixStream> for WriteHalf<'_> {
    fn as_ref(&self) -> &UnixStream {
        self.stream
    }
}

impl fmt::Debug for WriteHalf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteHalf").field("stream", &self.stream).finish()
    }
}

// === impl OwnedReadHalf ===

impl OwnedReadHalf {
    /// Puts the stream back together; fails, handing both halves back, if `other` belongs to
    /// another stream.
    pub fn reunite(self, other: OwnedWriteHalf) -> Result<UnixStream, ReuniteError> {
        reunite(self, other)
    }

    /// [`UnixStream::ready`] through this half.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.stream.ready(interest).await
    }

    /// [`UnixStream::readable`] through this half.
    pub async fn readable(&self) -> io::Result<()> {
        self.stream.readable().await
    }

    /// [`UnixStream::try_read`] through this half.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.try_read(buf)
    }

    /// The stream's remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// The stream's local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }
}

impl AsyncRead for OwnedReadHalf {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_read_priv(cx, buf)
    }
}

impl AsRef<UnixStream> for OwnedReadHalf {
    fn as_ref(&self) -> &UnixStream {
        &self.stream
    }
}

impl fmt::Debug for OwnedReadHalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedReadHalf").field("stream", &self.stream).finish()
    }
}

// === impl OwnedWriteHalf ===

impl OwnedWriteHalf {
    /// The write half of `stream`, which sends FIN when dropped.
    pub(crate) fn new(stream: Arc<UnixStream>) -> OwnedWriteHalf {
        OwnedWriteHalf { stream, shutdown_on_drop: true }
    }

    /// Puts the stream back together; see [`OwnedReadHalf::reunite`].
    pub fn reunite(self, other: OwnedReadHalf) -> Result<UnixStream, ReuniteError> {
        reunite(other, self)
    }

    /// Drops the half without sending FIN: the peer sees no end of stream until the read half
    /// is dropped too.
    pub fn forget(mut self) {
        self.shutdown_on_drop = false;
    }

    /// [`UnixStream::ready`] through this half.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.stream.ready(interest).await
    }

    /// [`UnixStream::writable`] through this half.
    pub async fn writable(&self) -> io::Result<()> {
        self.stream.writable().await
    }

    /// [`UnixStream::try_write`] through this half.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.stream.try_write(buf)
    }

    /// The stream's remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// The stream's local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }
}

impl AsyncWrite for OwnedWriteHalf {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_priv(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_vectored_priv(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Sends FIN now; dropping the half later sends nothing more.
    fn poll_close(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = self.stream.poll_close_priv();
        self.shutdown_on_drop = false;
        result
    }
}

impl Drop for OwnedWriteHalf {
    fn drop(&mut self) {
        if self.shutdown_on_drop {
            // The peer should see EOF once nobody can write any more; an error here means the
            // connection is already gone, which is the same outcome.
            let _ = self.stream.shutdown_write();
        }
    }
}

impl AsRef<UnixStream> for OwnedWriteHalf {
    fn as_ref(&self) -> &UnixStream {
        &self.stream
    }
}

impl fmt::Debug for OwnedWriteHalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedWriteHalf").field("stream", &self.stream).finish()
    }
}

/// Takes the stream out of the `Arc` the halves share, if they share the same one.
fn reunite(read: OwnedReadHalf, mut write: OwnedWriteHalf) -> Result<UnixStream, ReuniteError> {
    if !Arc::ptr_eq(&read.stream, &write.stream) {
        return Err(ReuniteError(read, write));
    }
    // The stream lives on: the write half must not shut it down as it goes.
    write.shutdown_on_drop = false;
    drop(write);
    let stream = Arc::try_unwrap(read.stream).expect("the two halves held the only references");
    Ok(stream)
}
