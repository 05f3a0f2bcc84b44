//! Errors: each failure is a clear `io::Error`, with no panic and no hang.

mod util;

use std::io::ErrorKind;

use clockwork_reactor::net::{TcpListener, TcpStream};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use util::Runtime;

#[test]
fn connect_to_a_closed_port_is_refused() {
    let rt = Runtime::new();
    // Bind and close a listener, so the port is known to have nobody behind it.
    let closed_addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind probe");
        probe.local_addr().expect("local_addr")
    };
    let result = rt.block_on(TcpStream::connect(closed_addr));
    let error = result.expect_err("nobody listens there");
    assert_eq!(error.kind(), ErrorKind::ConnectionRefused, "{error}");
    assert_eq!(rt.reactor.registrations(), 0, "the failed socket freed its slot");
}

#[test]
fn bind_to_an_address_in_use_fails() {
    let rt = Runtime::new();
    let (first, second) = rt.block_on(async {
        let first = TcpListener::bind("127.0.0.1:0").await.expect("first bind");
        let addr = first.local_addr().expect("local_addr");
        let second = TcpListener::bind(addr).await;
        (first, second)
    });
    let error = second.expect_err("the address is taken");
    assert_eq!(error.kind(), ErrorKind::AddrInUse, "{error}");
    drop(first);
}

#[test]
fn use_after_peer_reset_is_an_error() {
    let rt = Runtime::new();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    rt.block_on(async {
        let mut client = TcpStream::connect(addr).await.expect("connect");
        client.write_all(b"never read").await.expect("write");
        // Closing a socket with unread data makes the kernel answer with RST, not FIN.
        let (server_side, _peer) = listener.accept().await.expect("accept");
        drop(server_side);
        let mut buf = [0_u8; 16];
        let read = client.read(&mut buf).await;
        let error = read.expect_err("the peer reset the connection");
        assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
        let write = client.write_all(b"after reset").await;
        assert!(write.is_err(), "writing to a reset connection fails: {write:?}");
    });
}
