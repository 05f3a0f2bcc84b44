//! Echo: 1,000 concurrent connections x 100 messages each, every byte checked.

mod util;

use std::cell::Cell;
use std::rc::Rc;

use clockwork_reactor::net::{TcpListener, TcpStream};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures::task::LocalSpawnExt;
use util::Runtime;

const CONNECTIONS: usize = 1_000;
const MESSAGES: usize = 100;
const MESSAGE_LEN: usize = 64;

/// Each connection needs two fds (client and server side) plus a few for the test itself.
const FDS_NEEDED: u64 = 2 * CONNECTIONS as u64 + 64;

/// The bytes of message `message` on connection `connection`: different on every connection.
fn message_bytes(connection: usize, message: usize) -> Vec<u8> {
    let seed = connection * 131 + message * 31;
    (0..MESSAGE_LEN).map(|i| (seed + i) as u8).collect()
}

/// Raises the soft `RLIMIT_NOFILE` to at least `needed` (the hard limit permitting).
fn raise_fd_limit(needed: u64) {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid, writable `rlimit` for the duration of the call.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(got, 0, "getrlimit failed");
    if limit.rlim_cur >= needed {
        return;
    }
    assert!(limit.rlim_max >= needed, "the hard fd limit {} is below {needed}", limit.rlim_max);
    limit.rlim_cur = needed;
    // SAFETY: `limit` is a valid `rlimit`; raising the soft limit up to the hard limit is allowed.
    let set = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(set, 0, "setrlimit failed");
}

async fn echo_connection(mut stream: TcpStream) {
    let mut buf = [0_u8; 4096];
    loop {
        let read = stream.read(&mut buf).await.expect("server read");
        if read == 0 {
            return;
        }
        stream.write_all(&buf[..read]).await.expect("server write");
    }
}

async fn client(addr: std::net::SocketAddr, connection: usize, finished: Rc<Cell<usize>>) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut reply = [0_u8; MESSAGE_LEN];
    for message in 0..MESSAGES {
        let sent = message_bytes(connection, message);
        stream.write_all(&sent).await.expect("client write");
        stream.read_exact(&mut reply).await.expect("client read");
        assert_eq!(&reply[..], &sent[..], "connection {connection}, message {message}");
    }
    finished.set(finished.get() + 1);
}

#[test]
fn thousand_connections_hundred_messages_each() {
    raise_fd_limit(FDS_NEEDED);
    let rt = Runtime::new();
    let finished = Rc::new(Cell::new(0));
    let spawner = rt.spawner();
    let finished_in_test = finished.clone();
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let server_spawner = spawner.clone();
        let server = async move {
            let mut handlers = Vec::new();
            for _ in 0..CONNECTIONS {
                let (stream, _peer) = listener.accept().await.expect("accept");
                let handler = server_spawner.spawn_local_with_handle(echo_connection(stream));
                handlers.push(handler.expect("spawn"));
            }
            // Every handler ends at its client's EOF.
            futures::future::join_all(handlers).await;
        };
        let server = spawner.spawn_local_with_handle(server).expect("spawn server");
        let clients: Vec<_> = (0..CONNECTIONS)
            .map(|connection| {
                let client = client(addr, connection, finished_in_test.clone());
                spawner.spawn_local_with_handle(client).expect("spawn client")
            })
            .collect();
        futures::future::join_all(clients).await;
        server.await;
    });
    assert_eq!(finished.get(), CONNECTIONS, "every client checked every reply");
    assert_eq!(rt.reactor.registrations(), 0, "closed connections freed their slots");
}
