//! tokio's `TcpStream` API beyond read and write: readiness, `try_*`, peek, halves, options.

use std::io::ErrorKind;
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::Duration;

use clockwork::io::{AsyncReadExt, AsyncWriteExt, Interest};
use clockwork::net::{TcpListener, TcpSocket, TcpStream};

/// A connected pair on the loopback interface.
async fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}

#[clockwork::test]
async fn a_would_block_try_read_makes_readable_wait() {
    let (client, mut server) = pair().await;
    let mut buf = [0; 8];
    // The slot starts optimistic; the first attempt finds nothing and clears readability.
    assert_eq!(client.try_read(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    let mut readable = pin!(client.readable());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(readable.as_mut().poll(&mut cx).is_pending(), "no spin: readiness was cleared");
    server.write_all(b"data").await.unwrap();
    readable.await.unwrap();
    assert_eq!(client.try_read(&mut buf).unwrap(), 4);
    assert_eq!(&buf[..4], b"data");
}

#[clockwork::test]
async fn ready_reports_only_the_directions_asked_for() {
    let (client, _server) = pair().await;
    let ready = client.ready(Interest::WRITABLE).await.unwrap();
    assert!(ready.is_writable());
    assert!(!ready.is_readable(), "reading was not asked about");
    assert_eq!(client.try_write(b"x").unwrap(), 1);
}

#[clockwork::test]
async fn peek_leaves_the_bytes_for_read() {
    let (mut client, mut server) = pair().await;
    server.write_all(b"peek").await.unwrap();
    let mut buf = [0; 8];
    let peeked = client.peek(&mut buf).await.unwrap();
    assert_eq!(&buf[..peeked], &b"peek"[..peeked]);
    let mut all = [0; 4];
    client.read_exact(&mut all).await.unwrap();
    assert_eq!(&all, b"peek", "read still sees the peeked bytes");
}

#[clockwork::test]
async fn owned_halves_reunite_only_with_their_own_pair() {
    let (one, _peer_one) = pair().await;
    let (two, _peer_two) = pair().await;
    let (read_one, write_one) = one.into_split();
    let (_read_two, write_two) = two.into_split();
    let error = read_one.reunite(write_two).unwrap_err();
    let read_one = error.0;
    let stream = read_one.reunite(write_one).expect("the halves of one stream");
    assert!(stream.peer_addr().is_ok());
}

#[clockwork::test]
async fn dropping_the_owned_write_half_sends_eof_but_forget_does_not() {
    let (client, mut server) = pair().await;
    let (_read, write) = client.into_split();
    drop(write);
    let mut rest = Vec::new();
    server.read_to_end(&mut rest).await.unwrap();
    assert!(rest.is_empty(), "EOF after the write half went");

    let (client, mut server) = pair().await;
    let (_read, write) = client.into_split();
    write.forget();
    let mut buf = [0; 1];
    let read = clockwork::time::timeout(Duration::from_millis(50), server.read(&mut buf)).await;
    assert!(read.is_err(), "no EOF: the stream is still open for writing");
}

#[clockwork::test]
async fn into_std_keeps_the_connection() {
    let (client, mut server) = pair().await;
    let mut std_client = client.into_std().unwrap();
    std_client.set_nonblocking(false).unwrap();
    std::io::Write::write_all(&mut std_client, b"std").unwrap();
    let mut buf = [0; 3];
    server.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"std");
}

#[clockwork::test]
async fn linger_and_nodelay_are_set_and_read_back() {
    let (client, _server) = pair().await;
    client.set_linger(Some(Duration::from_secs(3))).unwrap();
    assert_eq!(client.linger().unwrap(), Some(Duration::from_secs(3)));
    client.set_zero_linger().unwrap();
    assert_eq!(client.linger().unwrap(), Some(Duration::ZERO));
    client.set_nodelay(true).unwrap();
    assert!(client.nodelay().unwrap());
}

#[clockwork::test]
async fn a_tcp_socket_binds_listens_and_connects() {
    let server_socket = TcpSocket::new_v4().unwrap();
    server_socket.set_reuseaddr(true).unwrap();
    assert!(server_socket.reuseaddr().unwrap());
    server_socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = server_socket.listen(16).unwrap();
    let address = listener.local_addr().unwrap();

    let client_socket = TcpSocket::new_v4().unwrap();
    let mut client = client_socket.connect(address).await.unwrap();
    let (mut server, _) = listener.accept().await.unwrap();
    client.write_all(b"hi").await.unwrap();
    let mut buf = [0; 2];
    server.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"hi");
}

#[clockwork::test]
async fn a_tcp_socket_connecting_to_nobody_is_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = TcpSocket::new_v4().unwrap().connect(address).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
}

#[clockwork::test]
async fn two_tasks_waiting_for_readable_are_both_woken() {
    let (client, mut server) = pair().await;
    let client = std::sync::Arc::new(client);
    let mut buf = [0; 1];
    assert_eq!(client.try_read(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    let waiters: Vec<_> = (0..2)
        .map(|_| {
            let client = client.clone();
            clockwork::spawn(async move { client.readable().await.unwrap() })
        })
        .collect();
    clockwork::task::yield_now().await;
    server.write_all(b"!").await.unwrap();
    for waiter in waiters {
        waiter.await.unwrap();
    }
}
