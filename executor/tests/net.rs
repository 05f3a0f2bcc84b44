//! The reactor, driven by the runtime: sockets and signals inside tasks.

use std::time::Duration;

use clockwork::io::{AsyncReadExt, AsyncWriteExt};
use clockwork::net::{TcpListener, TcpStream, UdpSocket};

#[clockwork::test]
async fn a_tcp_echo_through_spawned_tasks() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = clockwork::spawn(async move {
        for _ in 0..10 {
            let (mut stream, _) = listener.accept().await.unwrap();
            clockwork::spawn(async move {
                let mut buffer = vec![0_u8; 1024];
                loop {
                    let n = stream.read(&mut buffer).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    stream.write_all(&buffer[..n]).await.unwrap();
                }
            });
        }
    });
    let mut clients = Vec::new();
    for client in 0..10_u8 {
        clients.push(clockwork::spawn(async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            for round in 0..20_u8 {
                let message = [client, round, 0xAB, 0xCD];
                stream.write_all(&message).await.unwrap();
                let mut echoed = [0_u8; 4];
                stream.read_exact(&mut echoed).await.unwrap();
                assert_eq!(echoed, message);
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    server.await.unwrap();
}

/// tokio's spelling of a half-close, `stream.shutdown().await`, compiles unchanged: `TcpStream`
/// has no inherent `shutdown` to hide `clockwork::io::AsyncWriteExt::shutdown` from method lookup.
#[clockwork::test]
async fn async_write_ext_shutdown_gives_the_peer_eof_and_keeps_the_other_direction() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = clockwork::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        // `read_to_end` returns only because the client's FIN arrives as EOF.
        stream.read_to_end(&mut request).await.unwrap();
        // The server's own direction is still open after it has read EOF.
        stream.write_all(b"world").await.unwrap();
        request
    });
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(b"hello").await.unwrap();
    stream.shutdown().await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    assert_eq!(server.await.unwrap(), b"hello");
    assert_eq!(reply, b"world");
}

#[clockwork::test]
async fn udp_round_trip() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    a.send_to(b"ping", b.local_addr().unwrap()).await.unwrap();
    let mut buffer = [0_u8; 16];
    let (n, from) = b.recv_from(&mut buffer).await.unwrap();
    assert_eq!(&buffer[..n], b"ping");
    assert_eq!(from, a.local_addr().unwrap());
}

#[clockwork::test]
async fn ctrl_c_arrives_through_the_reactor() {
    // `ctrl_c()` installs its handler when called, so the signal raised next cannot reach the
    // default action (which would end the test process).
    let ctrl_c = clockwork::signal::ctrl_c();
    std::thread::spawn(|| signal_hook::low_level::raise(signal_hook::consts::SIGINT).unwrap());
    let result = clockwork::time::timeout(Duration::from_secs(10), ctrl_c).await;
    result.expect("SIGINT arrived within 10 s").expect("no I/O error");
}

#[test]
fn io_pending_when_the_runtime_drops_fails_instead_of_hanging() {
    let runtime = clockwork::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    drop(runtime);
    // The listener outlived its reactor: using it is an error, not a hang.
    let error = futures::executor::block_on(listener.accept()).unwrap_err();
    assert!(error.to_string().contains("runtime is gone"), "{error}");
}
