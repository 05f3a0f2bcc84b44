//! Several tasks waiting on one socket are all woken when it becomes ready.
//!
//! A socket is `Sync`, so two tasks may await `recv_from` on one `Arc<UdpSocket>`. The reactor
//! used to keep one waker per direction, and the second task's poll replaced the first task's
//! waker: the first task then slept through the datagram meant for it, forever.

use std::sync::Arc;
use std::time::Duration;

use clockwork::net::UdpSocket;
use clockwork::time::timeout;

#[clockwork::test]
async fn two_tasks_receiving_on_one_udp_socket_both_get_a_datagram() {
    let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
    let address = socket.local_addr().unwrap();
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let socket = socket.clone();
            clockwork::spawn(async move {
                let mut buffer = [0; 16];
                let (length, _) = socket.recv_from(&mut buffer).await.unwrap();
                buffer[..length].to_vec()
            })
        })
        .collect();
    // Both tasks run until they wait on the socket.
    clockwork::task::yield_now().await;
    clockwork::task::yield_now().await;

    let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    sender.send_to(b"one", address).await.unwrap();
    sender.send_to(b"two", address).await.unwrap();

    let mut received = Vec::new();
    for receiver in receivers {
        let datagram = timeout(Duration::from_secs(5), receiver).await;
        received.push(datagram.expect("every waiting task was woken").unwrap());
    }
    received.sort();
    assert_eq!(received, [b"one".to_vec(), b"two".to_vec()]);
}

#[clockwork::test]
async fn many_tasks_accepting_on_one_listener_each_get_a_connection() {
    let listener = Arc::new(clockwork::net::TcpListener::bind("127.0.0.1:0").await.unwrap());
    let address = listener.local_addr().unwrap();
    let acceptors: Vec<_> = (0..20)
        .map(|_| {
            let listener = listener.clone();
            clockwork::spawn(async move { listener.accept().await.unwrap().1 })
        })
        .collect();
    // Every acceptor runs until it waits on the listener, before any client connects.
    clockwork::task::yield_now().await;
    let clients: Vec<_> =
        (0..20).map(|_| clockwork::spawn(clockwork::net::TcpStream::connect(address))).collect();
    let mut peers = Vec::new();
    for acceptor in acceptors {
        let peer = timeout(Duration::from_secs(5), acceptor).await;
        peers.push(peer.expect("every waiting accept is woken").unwrap());
    }
    for client in clients {
        client.await.unwrap().unwrap();
    }
    peers.sort();
    peers.dedup();
    assert_eq!(peers.len(), 20, "twenty different connections");
}

#[clockwork::test]
async fn two_tasks_receiving_into_bufs_on_one_udp_socket_both_get_a_datagram() {
    let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
    let address = socket.local_addr().unwrap();
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let socket = socket.clone();
            clockwork::spawn(async move {
                let mut buffer = Vec::with_capacity(16);
                socket.recv_buf_from(&mut buffer).await.unwrap();
                buffer
            })
        })
        .collect();
    clockwork::task::yield_now().await;
    let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    sender.send_to(b"one", address).await.unwrap();
    sender.send_to(b"two", address).await.unwrap();
    let mut got = Vec::new();
    for receiver in receivers {
        got.push(timeout(Duration::from_secs(5), receiver).await.expect("both woken").unwrap());
    }
    got.sort();
    assert_eq!(got, [b"one".to_vec(), b"two".to_vec()]);
}
