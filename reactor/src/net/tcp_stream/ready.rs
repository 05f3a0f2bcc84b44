//! tokio's readiness API on `TcpStream`: wait for a direction, then try the operation yourself.
//!
//! Every method is one line over `net/readiness.rs`, which explains the protocol.

use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::task::{Context, Poll};

use crate::net::{Interest, ReadBuf, Ready, TcpStream, readiness};
use crate::slots::Direction;

impl TcpStream {
    /// Waits until one of `interest`'s directions may make progress, and says which.
    ///
    /// Readiness can be stale (another task read the data first): a `try_*` call after it may
    /// still answer `WouldBlock`, and then clears it, so waiting again really waits.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        readiness::ready(&self.io, interest).await
    }

    /// Waits until the stream may be readable; see [`TcpStream::ready`].
    pub async fn readable(&self) -> io::Result<()> {
        self.ready(Interest::READABLE).await.map(|_| ())
    }

    /// Waits until the stream may be writable; see [`TcpStream::ready`].
    pub async fn writable(&self) -> io::Result<()> {
        self.ready(Interest::WRITABLE).await.map(|_| ())
    }

    /// Polls for read readiness; the waker is stored until it comes.
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Read)
    }

    /// Polls for write readiness; the waker is stored until it comes.
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Write)
    }

    /// Reads once without waiting; `WouldBlock` when no data is there.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Read, |mut socket| socket.read(buf))
    }

    /// Reads once into several buffers (`readv(2)`) without waiting.
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Read, |mut socket| socket.read_vectored(bufs))
    }

    /// Reads once into `buf`'s spare capacity without waiting, advancing it.
    pub fn try_read_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        crate::net::fill_buf_mut(buf, |dst: &mut ReadBuf<'_>| {
            let read = self.try_read(dst.initialize_unfilled())?;
            dst.advance(read);
            Ok(read)
        })
    }

    /// Writes once without waiting; `WouldBlock` when the send buffer is full.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |mut socket| socket.write(buf))
    }

    /// Writes once from several buffers (`writev(2)`) without waiting.
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |mut socket| socket.write_vectored(bufs))
    }

    /// Runs `op` (your own system call on this socket) once, if `interest` is ready, with the
    /// edge-triggered bookkeeping: a `WouldBlock` from `op` clears readiness.
    ///
    /// `interest` names one direction; if it names both, reading is the one checked.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        op: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        readiness::try_io(&self.io, readiness::direction_of(interest), |_| op())
    }

    /// Runs `op` whenever `interest` is ready, until it answers something else than
    /// `WouldBlock`.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.async_io(readiness::direction_of(interest), |_| op()).await
    }
}
