//! The short-read refinement: a TCP read that fills only part of its buffer forgets readiness
//! at once, without the read that would say `WouldBlock`, except where that would lose an event.
//!
//! The tests drive a `Registration` of a real TCP socket by hand, counting the reads (each one a
//! `recvfrom` system call) that `poll_stream_read` makes.
//! With the polling backend every readable event may be a FIN (see `Ready::read_closed`), so there
//! the refinement is off and the socket is read until `WouldBlock`, as the assertions spell out.

mod util;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::task::{Context, Poll};
use std::time::Duration;

use clockwork_reactor::{Reactor, Registration};
use util::flag_waker;

/// Whether this build's backend reports the peer's FIN apart from data (mio does).
const SEES_FIN: bool = !cfg!(feature = "polling");

/// A connected pair on loopback: ours nonblocking and registered with `reactor`, theirs blocking.
fn registered_pair(reactor: &Reactor) -> (Registration<TcpStream>, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let theirs = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
    let (ours, _peer) = listener.accept().expect("accept");
    ours.set_nonblocking(true).expect("nonblocking");
    let registration = Registration::new(&reactor.handle(), ours).expect("register");
    (registration, theirs)
}

/// Consumes the optimistic readiness of a fresh registration, so that the reader waits.
fn park_reader(registration: &Registration<TcpStream>, cx: &mut Context<'_>) {
    let mut buf = [0_u8; 8];
    let first = registration.poll_stream_read(cx, buf.len(), |mut s| s.read(&mut buf));
    assert!(first.is_pending(), "nothing sent yet: {first:?}");
}

/// Turns the reactor until the slot is readable (and, if `closed`, marked closed).
fn turn_until_readable(reactor: &Reactor, registration: &Registration<TcpStream>, closed: bool) {
    for _ in 0..100 {
        let readiness = registration.readiness();
        if readiness.readable && (readiness.read_closed || !closed) {
            return;
        }
        reactor.turn(Some(Duration::from_secs(10))).expect("turn");
    }
    panic!("no event arrived: {:?}", registration.readiness());
}

#[test]
fn a_short_read_skips_the_read_that_would_block() {
    let reactor = Reactor::new().expect("reactor");
    let (registration, mut theirs) = registered_pair(&reactor);
    let (_woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    park_reader(&registration, &mut cx);

    theirs.write_all(b"hi").expect("send");
    turn_until_readable(&reactor, &registration, false);

    // 1. Two bytes into an eight-byte buffer: a short read, so the receive queue is empty.
    let mut buf = [0_u8; 8];
    let mut reads = 0;
    let first = registration.poll_stream_read(&mut cx, buf.len(), |mut s| {
        reads += 1;
        s.read(&mut buf)
    });
    assert!(matches!(first, Poll::Ready(Ok(2))), "{first:?}");
    assert_eq!(registration.readiness().readable, !SEES_FIN, "cleared without a WouldBlock");

    // 2. The next read parks at once (mio), or after the one read that says WouldBlock (polling).
    let second = registration.poll_stream_read(&mut cx, buf.len(), |mut s| {
        reads += 1;
        s.read(&mut buf)
    });
    assert!(second.is_pending(), "{second:?}");
    let expected_reads = if SEES_FIN { 1 } else { 2 };
    assert_eq!(reads, expected_reads, "reads, each one recvfrom");
}

#[test]
fn a_full_read_keeps_readiness() {
    let reactor = Reactor::new().expect("reactor");
    let (registration, mut theirs) = registered_pair(&reactor);
    let (_woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    park_reader(&registration, &mut cx);

    theirs.write_all(b"12345678").expect("send");
    turn_until_readable(&reactor, &registration, false);

    // Eight bytes into an eight-byte buffer: more may be queued, and nothing tells us.
    let mut buf = [0_u8; 8];
    let full = registration.poll_stream_read(&mut cx, buf.len(), |mut s| s.read(&mut buf));
    assert!(matches!(full, Poll::Ready(Ok(8))), "{full:?}");
    assert!(registration.readiness().readable, "a full read proves nothing");
}

#[test]
fn data_and_fin_in_one_event_still_reach_eof() {
    let reactor = Reactor::new().expect("reactor");
    let (registration, mut theirs) = registered_pair(&reactor);
    let (_woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    park_reader(&registration, &mut cx);

    // The data and the FIN are both recorded before the reader runs.
    theirs.write_all(b"hi").expect("send");
    theirs.shutdown(Shutdown::Write).expect("FIN");
    turn_until_readable(&reactor, &registration, true);

    // 1. The short read stops at the FIN. Clearing readiness here would strand the EOF:
    //    the FIN's event has already been recorded, and no other will come.
    let mut buf = [0_u8; 8];
    let data = registration.poll_stream_read(&mut cx, buf.len(), |mut s| s.read(&mut buf));
    assert!(matches!(data, Poll::Ready(Ok(2))), "{data:?}");
    assert!(registration.readiness().readable, "the peer closed, so readiness stays");

    // 2. So the EOF is read at once, and again on every later read (EOF never clears).
    for _ in 0..2 {
        let eof = registration.poll_stream_read(&mut cx, buf.len(), |mut s| s.read(&mut buf));
        assert!(matches!(eof, Poll::Ready(Ok(0))), "{eof:?}");
    }
}

#[test]
fn an_event_recorded_during_a_short_read_is_kept() {
    let reactor = Reactor::new().expect("reactor");
    let (registration, mut theirs) = registered_pair(&reactor);
    let (_woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    park_reader(&registration, &mut cx);

    theirs.write_all(b"hi").expect("send");
    turn_until_readable(&reactor, &registration, false);

    // 1. The read is short, but before it returns more data arrives and the reactor (on
    //    another thread, in real life) records its event.
    let mut buf = [0_u8; 8];
    let short = registration.poll_stream_read(&mut cx, buf.len(), |mut s| {
        let read = s.read(&mut buf);
        theirs.write_all(b"more").expect("send more");
        reactor.turn(Some(Duration::from_secs(10))).expect("turn");
        read
    });
    assert!(matches!(short, Poll::Ready(Ok(2))), "{short:?}");

    // 2. The clear named the tick from before the read, so it was skipped: the new data is read.
    assert!(registration.readiness().readable, "the newer event was not erased");
    let more = registration.poll_stream_read(&mut cx, buf.len(), |mut s| s.read(&mut buf));
    assert!(matches!(more, Poll::Ready(Ok(4))), "{more:?}");
    assert_eq!(&buf[..4], b"more");
}
