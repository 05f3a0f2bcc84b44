//! Spurious readiness: a read that returns `WouldBlock` after a wake-up parks again correctly.

mod util;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use clockwork_reactor::{Direction, Reactor, Registration};
use util::flag_waker;

#[test]
fn wake_without_data_parks_again() {
    let reactor = Reactor::new().expect("reactor");
    let (ours, mut theirs) = UnixStream::pair().expect("pair");
    ours.set_nonblocking(true).expect("nonblocking");
    let registration = Registration::new(&reactor.handle(), ours).expect("register");
    let (woken, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    let mut buf = [0_u8; 8];

    // 1. Nothing to read: the optimistic attempt says WouldBlock and the reader parks.
    let first = registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buf));
    assert!(first.is_pending());
    assert!(!registration.readiness().readable);

    // 2. Data arrives; the reactor marks the slot readable and wakes the reader.
    theirs.write_all(b"a").expect("write");
    let dispatched = reactor.turn(Some(Duration::from_secs(10))).expect("turn");
    assert_eq!(dispatched, 1);
    assert!(woken.0.swap(false, Ordering::SeqCst), "the reader was woken");
    assert!(registration.readiness().readable);

    // 3. Someone else takes the data before the reader runs: the wake-up is now spurious.
    let mut source: &UnixStream = registration.source();
    let stolen = source.read(&mut buf).expect("steal");
    assert_eq!(stolen, 1);

    // 4. The reader runs, gets WouldBlock, clears readiness and parks again.
    let second = registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buf));
    assert!(second.is_pending(), "a spurious wake-up leads back to Pending");
    assert!(!registration.readiness().readable, "readiness was cleared by WouldBlock");
    assert!(!woken.0.load(Ordering::SeqCst));

    // 5. Real data wakes it once more, and this time the read succeeds.
    theirs.write_all(b"b").expect("write");
    reactor.turn(Some(Duration::from_secs(10))).expect("turn");
    assert!(woken.0.load(Ordering::SeqCst), "the parked waker was stored again and woken");
    let third = registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buf));
    assert!(matches!(third, Poll::Ready(Ok(1))), "{third:?}");
    assert_eq!(buf[0], b'b');
}
