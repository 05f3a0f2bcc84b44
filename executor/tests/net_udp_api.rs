//! tokio's `UdpSocket` API beyond `send_to` and `recv_from`: the `poll_*`, `try_*` and peek forms.

use std::future::poll_fn;
use std::io::ErrorKind;

use clockwork::io::ReadBuf;
use clockwork::net::UdpSocket;

#[clockwork::test]
async fn poll_send_to_and_poll_recv_from_carry_one_datagram() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let to = b.local_addr().unwrap();
    let sent = poll_fn(|cx| a.poll_send_to(cx, b"datagram", to)).await.unwrap();
    assert_eq!(sent, 8);
    let mut memory = [0; 32];
    let mut buf = ReadBuf::new(&mut memory);
    let from = poll_fn(|cx| b.poll_recv_from(cx, &mut buf)).await.unwrap();
    assert_eq!(buf.filled(), b"datagram");
    assert_eq!(from, a.local_addr().unwrap());
}

#[clockwork::test]
async fn peeking_leaves_the_datagram_queued() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    a.send_to(b"keep me", b.local_addr().unwrap()).await.unwrap();
    assert_eq!(b.peek_sender().await.unwrap(), a.local_addr().unwrap());
    let mut buf = [0; 16];
    let (peeked, _) = b.peek_from(&mut buf).await.unwrap();
    let (received, _) = b.recv_from(&mut buf).await.unwrap();
    assert_eq!(peeked, received);
    assert_eq!(&buf[..received], b"keep me");
}

#[clockwork::test]
async fn try_recv_from_answers_would_block_and_then_the_datagram() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let mut buf = [0; 8];
    assert_eq!(b.try_recv_from(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    a.try_send_to(b"later", b.local_addr().unwrap()).unwrap();
    b.readable().await.unwrap();
    let (len, _) = b.try_recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"later");
}

#[clockwork::test]
async fn recv_buf_fills_spare_capacity() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    a.connect(b.local_addr().unwrap()).await.unwrap();
    b.connect(a.local_addr().unwrap()).await.unwrap();
    a.send(b"into a vec").await.unwrap();
    let mut vec = Vec::with_capacity(64);
    assert_eq!(b.recv_buf(&mut vec).await.unwrap(), 10);
    assert_eq!(vec, b"into a vec");
}

#[clockwork::test]
async fn options_are_set_and_read_back() {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.set_broadcast(true).unwrap();
    assert!(socket.broadcast().unwrap());
    socket.set_ttl(17).unwrap();
    assert_eq!(socket.ttl().unwrap(), 17);
    socket.set_tos_v4(0x10).unwrap();
    assert_eq!(socket.tos_v4().unwrap(), 0x10);
}
