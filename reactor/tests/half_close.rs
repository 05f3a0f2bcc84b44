//! Half-close: shutting down the write side gives the peer EOF while the other direction still
//! works.
//!
//! `TcpStream` has no inherent `shutdown`, as in tokio: the write side is closed through
//! `AsyncWrite::poll_close` (futures' `close`, tokio's and `clockwork::io`'s `shutdown`), which
//! is `shutdown(2)` with `SHUT_WR`.

mod util;

use clockwork_reactor::net::{TcpListener, TcpStream};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use util::Runtime;

#[test]
fn close_sends_eof_and_keeps_reading() {
    let rt = Runtime::new();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("local_addr");

    let server = rt.spawn(async move {
        let (mut stream, _peer) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        // `read_to_end` finishes only because the client's FIN arrives as EOF.
        stream.read_to_end(&mut request).await.expect("read_to_end");
        // The server can still write after it has seen EOF.
        stream.write_all(b"world").await.expect("write after EOF");
        request
    });

    let reply = rt.block_on(async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(b"hello").await.expect("write");
        stream.close().await.expect("close = shutdown(Write)");
        let write_after_close = stream.write_all(b"more").await;
        assert!(write_after_close.is_err(), "writing after close fails");
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await.expect("read the reply");
        reply
    });
    let request = rt.block_on(server);
    assert_eq!(request, b"hello");
    assert_eq!(reply, b"world");
}

#[test]
fn poll_close_is_shutdown_write_on_owned_halves() {
    let rt = Runtime::new();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let server = rt.spawn(async move {
        let (mut stream, _peer) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        stream.read_to_end(&mut request).await.expect("read_to_end");
        stream.write_all(&request).await.expect("echo");
    });
    let reply = rt.block_on(async {
        let stream = TcpStream::connect(addr).await.expect("connect");
        let (mut reader, mut writer) = stream.into_split();
        writer.write_all(b"ping").await.expect("write");
        writer.close().await.expect("close = shutdown(Write)");
        let mut reply = Vec::new();
        reader.read_to_end(&mut reply).await.expect("read");
        reply
    });
    rt.block_on(server);
    assert_eq!(reply, b"ping");
}
