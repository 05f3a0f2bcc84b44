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
