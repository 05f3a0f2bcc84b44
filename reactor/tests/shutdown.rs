//! Shutdown: pending I/O is woken with an error naming the runtime, instead of hanging.

mod util;

use std::io::ErrorKind;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use clockwork_reactor::enter;
use clockwork_reactor::net::{TcpListener, TcpStream};
use futures::io::AsyncReadExt;
use util::{Runtime, flag_waker};

#[test]
fn shutdown_wakes_a_pending_read_with_an_error() {
    let rt = Runtime::new();
    let (mut client, _server) = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let client = TcpStream::connect(addr).await.expect("connect");
        let (server, _peer) = listener.accept().await.expect("accept");
        (client, server)
    });

    let (woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    let mut buf = [0_u8; 8];
    let mut read = pin!(client.read(&mut buf));
    assert!(read.as_mut().poll(&mut cx).is_pending(), "no data: the read parks");

    rt.reactor.shutdown();
    assert!(woken.0.load(Ordering::SeqCst), "shutdown woke the parked reader");
    let Poll::Ready(Err(error)) = read.as_mut().poll(&mut cx) else {
        panic!("the read must fail after shutdown");
    };
    assert_eq!(error.kind(), ErrorKind::Other);
    assert!(error.to_string().contains("runtime is gone"), "{error}");
}

#[test]
fn registering_after_the_reactor_is_dropped_fails_cleanly() {
    let rt = Runtime::new();
    let handle = rt.reactor.handle();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    drop(rt);
    assert!(handle.is_shut_down());
    // A registration that outlives its reactor is still dropped without trouble.
    drop(listener);
    let _entered = enter(&handle);
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("std bind");
    let error = TcpListener::from_std(std_listener).expect_err("the reactor is gone");
    assert_eq!(error.kind(), ErrorKind::Other);
}
