//! I/O workload: an in-process TCP echo, both ends on the same runtime.

use std::time::{Duration, Instant};

use super::rt;
use rt::io::{AsyncReadExt, AsyncWriteExt};

const CONNECTIONS: usize = 50;
const ROUND_TRIPS: usize = 200;

/// 50 connections, each making 200 round trips of 64 bytes through an echo server.
pub async fn tcp_echo() -> Duration {
    let start = Instant::now();
    let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = rt::spawn(async move {
        let mut connections = Vec::with_capacity(CONNECTIONS);
        for _ in 0..CONNECTIONS {
            let (mut stream, _) = listener.accept().await.unwrap();
            connections.push(rt::spawn(async move {
                let mut buffer = [0_u8; 64];
                while stream.read_exact(&mut buffer).await.is_ok() {
                    stream.write_all(&buffer).await.unwrap();
                }
            }));
        }
        // Each connection ends when its client hangs up.
        for connection in connections {
            connection.await.unwrap();
        }
    });
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|client| {
            rt::spawn(async move {
                let mut stream = rt::net::TcpStream::connect(address).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let message = [client as u8; 64];
                let mut echoed = [0_u8; 64];
                for _ in 0..ROUND_TRIPS {
                    stream.write_all(&message).await.unwrap();
                    stream.read_exact(&mut echoed).await.unwrap();
                    assert_eq!(echoed, message);
                }
            })
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    let elapsed = start.elapsed();
    server.await.unwrap();
    elapsed
}
