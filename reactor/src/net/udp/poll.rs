//! tokio's `poll_*` and `try_*` forms of `UdpSocket`'s operations, and its readiness API.
//!
//! A `poll_*` method waits as the `async` one does, storing the waker; a `try_*` method makes
//! one attempt and answers `WouldBlock` instead of waiting (see `net/readiness.rs`).

use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll, ready};

use crate::net::udp::peek_sender_of;
use crate::net::{Interest, ReadBuf, Ready, UdpSocket, fill_buf_mut, readiness};
use crate::slots::Direction;

impl UdpSocket {
    /// Waits until one of `interest`'s directions may make progress, and says which.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        readiness::ready(&self.io, interest).await
    }

    /// Waits until a datagram may be waiting.
    pub async fn readable(&self) -> io::Result<()> {
        self.ready(Interest::READABLE).await.map(|_| ())
    }

    /// Waits until a datagram may be sent.
    pub async fn writable(&self) -> io::Result<()> {
        self.ready(Interest::WRITABLE).await.map(|_| ())
    }

    /// Polls for write readiness.
    pub fn poll_send_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Write)
    }

    /// Polls for read readiness.
    pub fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        readiness::poll_direction(&self.io, cx, Direction::Read)
    }

    /// Polls to send one datagram to the connected peer.
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |socket| socket.send(buf))
    }

    /// Polls to receive one datagram from the connected peer into `buf`.
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        let len = ready!(self.io.poll_io(cx, Direction::Read, |socket| socket.recv(unfilled)))?;
        buf.advance(len);
        Poll::Ready(Ok(()))
    }

    /// Polls to send one datagram to `target`.
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |socket| socket.send_to(buf, target))
    }

    /// Polls to receive one datagram into `buf`; answers its sender.
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        let unfilled = buf.initialize_unfilled();
        let received = self.io.poll_io(cx, Direction::Read, |socket| socket.recv_from(unfilled));
        let (len, sender) = ready!(received)?;
        buf.advance(len);
        Poll::Ready(Ok(sender))
    }

    /// Polls to copy the next datagram into `buf`, leaving it queued.
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        let len = ready!(self.io.poll_io(cx, Direction::Read, |socket| socket.peek(unfilled)))?;
        buf.advance(len);
        Poll::Ready(Ok(()))
    }

    /// Polls to copy the next datagram into `buf`, leaving it queued; answers its sender.
    pub fn poll_peek_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        let unfilled = buf.initialize_unfilled();
        let peeked = self.io.poll_io(cx, Direction::Read, |socket| socket.peek_from(unfilled));
        let (len, sender) = ready!(peeked)?;
        buf.advance(len);
        Poll::Ready(Ok(sender))
    }

    /// Polls for the sender of the next datagram, leaving the datagram queued.
    pub fn poll_peek_sender(&self, cx: &mut Context<'_>) -> Poll<io::Result<SocketAddr>> {
        self.io.poll_io(cx, Direction::Read, peek_sender_of)
    }

    /// Sends one datagram to the connected peer without waiting.
    pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |socket| socket.send(buf))
    }

    /// Sends one datagram to `target` without waiting.
    pub fn try_send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Write, |socket| socket.send_to(buf, target))
    }

    /// Receives one datagram from the connected peer without waiting.
    pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Read, |socket| socket.recv(buf))
    }

    /// Receives one datagram without waiting, with its sender.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        readiness::try_io(&self.io, Direction::Read, |socket| socket.recv_from(buf))
    }

    /// Receives one datagram into `buf`'s spare capacity without waiting.
    pub fn try_recv_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        fill_buf_mut(buf, |dst| {
            let len = self.try_recv(dst.initialize_unfilled())?;
            dst.advance(len);
            Ok(len)
        })
    }

    /// Receives one datagram into `buf`'s spare capacity without waiting, with its sender.
    pub fn try_recv_buf_from<B: bytes::BufMut>(
        &self,
        buf: &mut B,
    ) -> io::Result<(usize, SocketAddr)> {
        fill_buf_mut(buf, |dst| {
            let (len, sender) = self.try_recv_from(dst.initialize_unfilled())?;
            dst.advance(len);
            Ok((len, sender))
        })
    }

    /// Copies the next datagram without taking it and without waiting.
    pub fn try_peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        readiness::try_io(&self.io, Direction::Read, |socket| socket.peek(buf))
    }

    /// Copies the next datagram without taking it and without waiting, with its sender.
    pub fn try_peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        readiness::try_io(&self.io, Direction::Read, |socket| socket.peek_from(buf))
    }

    /// The sender of the next datagram, without waiting.
    pub fn try_peek_sender(&self) -> io::Result<SocketAddr> {
        readiness::try_io(&self.io, Direction::Read, peek_sender_of)
    }

    /// Runs `op` once if `interest` is ready; see `TcpStream::try_io`.
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
