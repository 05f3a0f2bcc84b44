//! Dropping a waker runs foreign code, which may drop another registration: the reactor must
//! not be holding its slab's lock then (a std `Mutex` is not reentrant, so that would hang).

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Wake, Waker};
use std::time::Duration;

use clockwork_reactor::{Direction, Reactor, Registration};

/// A waker whose data owns a registration: dropping the last copy drops the registration.
/// The field is never read; owning it is the point.
struct OwnsRegistration(#[allow(dead_code)] Mutex<Option<Registration<UnixStream>>>);

impl Wake for OwnsRegistration {
    fn wake(self: Arc<Self>) {}
}

/// A nonblocking socket, and its peer kept alive so that reads would block.
fn socket() -> (UnixStream, UnixStream) {
    let (ours, theirs) = UnixStream::pair().unwrap();
    ours.set_nonblocking(true).unwrap();
    (ours, theirs)
}

/// Runs `scenario` on its own thread; fails if it has not returned within 10 s.
fn without_deadlock(scenario: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        scenario();
        done.send(()).unwrap();
    });
    finished.recv_timeout(Duration::from_secs(10)).expect("the reactor deadlocked on its own lock");
}

/// Registers two sockets and parks, in the first one's read slot, a waker that is the only
/// owner of the second registration. Returns the first registration, and the peers to keep.
fn first_parked_on_owner_of_second(
    reactor: &Reactor,
) -> (Registration<UnixStream>, [UnixStream; 2]) {
    let handle = reactor.handle();
    let (a, peer_a) = socket();
    let (b, peer_b) = socket();
    let first = Registration::new(&handle, a).unwrap();
    let second = Registration::new(&handle, b).unwrap();
    let owner = Waker::from(Arc::new(OwnsRegistration(Mutex::new(Some(second)))));
    assert!(read_would_block(&first, &owner));
    (first, [peer_a, peer_b])
}

/// Polls a read on `registration` with `waker`; true if it is pending (the waker was parked).
fn read_would_block(registration: &Registration<UnixStream>, waker: &Waker) -> bool {
    let mut buffer = [0_u8; 8];
    let mut cx = Context::from_waker(waker);
    registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buffer)).is_pending()
}

#[test]
fn a_waker_left_in_a_freed_slot_is_dropped_after_the_lock() {
    without_deadlock(|| {
        let reactor = Reactor::new().unwrap();
        let (first, _peers) = first_parked_on_owner_of_second(&reactor);
        drop(first); // frees the slot, then drops the waker, which drops the second registration
        assert_eq!(reactor.registrations(), 0);
    });
}

#[test]
fn a_replaced_waker_is_dropped_after_the_lock() {
    without_deadlock(|| {
        let reactor = Reactor::new().unwrap();
        let (first, _peers) = first_parked_on_owner_of_second(&reactor);
        // Polled again by another task: the stored waker is replaced, and dropping it drops the
        // second registration.
        assert!(read_would_block(&first, Waker::noop()));
        assert_eq!(reactor.registrations(), 1);
    });
}
