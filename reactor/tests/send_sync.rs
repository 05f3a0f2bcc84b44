//! `Send + Sync`: the I/O types cross threads as tokio's do, and still deregister cleanly.

mod util;

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use clockwork_reactor::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use clockwork_reactor::net::{TcpListener, TcpStream, UdpSocket};
use clockwork_reactor::signal::unix::Signal;
use clockwork_reactor::{Handle, Registration};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use util::Runtime;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn io_types_are_send_and_sync_like_tokios() {
    assert_send_sync::<TcpStream>();
    assert_send_sync::<TcpListener>();
    assert_send_sync::<UdpSocket>();
    assert_send_sync::<OwnedReadHalf>();
    assert_send_sync::<OwnedWriteHalf>();
    assert_send_sync::<Signal>();
    assert_send_sync::<Handle>();
    assert_send_sync::<Registration<mio::net::TcpStream>>();
}

/// A connected pair: `(client, server)`.
fn connected_pair(rt: &Runtime) -> (TcpStream, TcpStream) {
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let client = TcpStream::connect(addr).await.expect("connect");
        let (server, _peer) = listener.accept().await.expect("accept");
        (client, server)
    })
}

#[test]
fn a_stream_moves_to_another_thread_writes_there_and_comes_back() {
    let rt = Runtime::new();
    let (client, mut server) = connected_pair(&rt);

    let travelled = thread::spawn(move || {
        // The current reactor is per thread; the stream carries its own handle.
        assert!(Handle::try_current().is_none(), "nothing was entered on this thread");
        let mut client = client;
        // A fresh socket has buffer space, so this write needs no turn of the reactor.
        futures::executor::block_on(client.write_all(b"ping")).expect("write on another thread");
        client
    });
    let mut client = travelled.join().expect("the thread returns the stream");

    rt.block_on(async {
        let mut ping = [0_u8; 4];
        server.read_exact(&mut ping).await.expect("server reads");
        assert_eq!(&ping, b"ping", "the bytes written on the other thread arrived");
        server.write_all(b"pong").await.expect("server writes");
        let mut pong = [0_u8; 4];
        client.read_exact(&mut pong).await.expect("the stream still works back home");
        assert_eq!(&pong, b"pong");
    });
}

#[test]
fn a_read_parked_on_another_thread_is_woken_by_this_threads_turn() {
    let rt = Runtime::new();
    let (mut client, mut server) = connected_pair(&rt);
    let (done_tx, done_rx) = mpsc::channel();

    // The reader parks its waker in the slot from its own thread...
    let reader = thread::spawn(move || {
        let mut buf = [0_u8; 5];
        let read = futures::executor::block_on(client.read_exact(&mut buf));
        done_tx.send(read.map(|()| buf)).expect("report");
    });
    // ...while this thread writes and turns the reactor, which records readiness and wakes it.
    rt.block_on(server.write_all(b"hello")).expect("server writes");
    let started = Instant::now();
    let received = loop {
        if let Ok(received) = done_rx.try_recv() {
            break received;
        }
        assert!(started.elapsed() < util::IDLE_LIMIT, "the reader on the other thread was lost");
        rt.reactor.turn(Some(Duration::from_millis(10))).expect("turn");
    };
    assert_eq!(received.expect("read_exact"), *b"hello");
    reader.join().expect("reader thread");
}

#[test]
fn dropping_on_another_thread_frees_the_slot() {
    let rt = Runtime::new();
    let (client, server) = connected_pair(&rt);
    assert_eq!(rt.reactor.registrations(), 2, "the client and the server");

    thread::spawn(move || drop(client)).join().expect("drop on another thread");
    assert_eq!(rt.reactor.registrations(), 1, "the client's slot is free again");

    let (read_half, write_half) = server.into_split();
    thread::spawn(move || drop(read_half)).join().expect("drop a half");
    assert_eq!(rt.reactor.registrations(), 1, "the write half still holds the stream");
    thread::spawn(move || drop(write_half)).join().expect("drop the other half");
    assert_eq!(rt.reactor.registrations(), 0, "the last half deregistered the stream");
}

#[test]
fn dropping_on_another_thread_after_the_reactor_is_gone_is_clean() {
    let rt = Runtime::new();
    let (client, server) = connected_pair(&rt);
    drop(rt);
    let dropper = thread::spawn(move || {
        drop(client);
        drop(server);
    });
    dropper.join().expect("no panic when the reactor is already gone");
}
