//! The echo server and client on 127.0.0.1, every byte checked; the strace workload.

use super::rt;
use crate::say;
use rt::io::{AsyncReadExt, AsyncWriteExt};
use rt::net::{TcpListener, TcpStream};

/// Round trips per run; `ECHO_ROUND_TRIPS` overrides it (for measuring syscalls per trip).
fn round_trips() -> usize {
    std::env::var("ECHO_ROUND_TRIPS").ok().and_then(|n| n.parse().ok()).unwrap_or(100)
}

pub async fn run() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("a bound listener has an address");
    let server = rt::spawn(async move {
        let (stream, _peer) = listener.accept().await.expect("one client connects");
        echo(stream).await
    });

    let trips = round_trips();
    let mut client = TcpStream::connect(addr).await.expect("connect to the echo server");
    client.set_nodelay(true).expect("TCP_NODELAY");
    let mut reply = [0; 64];
    for trip in 0..trips {
        let message = format!("message {trip:<56}"); // 64 bytes
        client.write_all(message.as_bytes()).await.expect("send");
        client.read_exact(&mut reply).await.expect("receive the echo");
        assert_eq!(&reply[..], message.as_bytes(), "the echo differs");
    }
    drop(client); // EOF for the server.
    let echoed = server.await.expect("the server does not panic").expect("the server echoes");
    say!("{trips} round trips of 64 bytes: {echoed} bytes echoed, every byte checked");
}

// ANCHOR: echo
/// Writes back everything it reads, until the client closes its side.
async fn echo(mut stream: TcpStream) -> std::io::Result<usize> {
    let mut buf = vec![0; 4096];
    let mut total = 0;
    loop {
        let read = stream.read(&mut buf).await?;
        if read == 0 {
            return Ok(total);
        }
        stream.write_all(&buf[..read]).await?;
        total += read;
    }
}
// ANCHOR_END: echo
