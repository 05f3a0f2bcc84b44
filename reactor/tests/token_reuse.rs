//! Token reuse: an event for a freed slot never wakes the source that reuses the slot.

mod util;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::atomic::Ordering;
use std::task::{Poll, Waker};
use std::time::Duration;

use clockwork_reactor::Waiter;
use clockwork_reactor::slots::Slots;
use clockwork_reactor::{Direction, Reactor, Ready, Registration};
use util::flag_waker;

#[test]
fn stale_event_for_a_reused_slot_is_ignored() {
    let mut slots = Slots::new();
    let (old_woken, old_waker) = flag_waker();
    let (new_woken, new_waker) = flag_waker();

    // The old source parks a reader, and the OS queues an event for it.
    let old_token = slots.insert();
    assert!(
        slots
            .poll_ready(
                old_token,
                Direction::Read,
                &mut Some(Waiter::Poller),
                &old_waker,
                &mut None
            )
            .is_pending()
    );
    let queued_event =
        (old_token.to_usize(), Ready { readable: true, writable: true, read_closed: false });

    // Before that event is dispatched, the old source is dropped and a new one takes the slot.
    assert!(slots.remove(old_token).is_some());
    let new_token = slots.insert();
    assert_eq!(new_token.index, old_token.index, "the slot is reused");
    assert_ne!(new_token.generation, old_token.generation, "under a new generation");
    assert!(
        slots
            .poll_ready(
                new_token,
                Direction::Read,
                &mut Some(Waiter::Poller),
                &new_waker,
                &mut None
            )
            .is_pending()
    );

    // Now the stale event arrives.
    let mut wakers: Vec<Waker> = Vec::new();
    let stale = clockwork_reactor::Token::from_usize(queued_event.0);
    let matched = slots.dispatch(stale, queued_event.1, &mut wakers);
    wakers.into_iter().for_each(Waker::wake);

    assert!(!matched, "the stale token matches no slot");
    assert!(!new_woken.0.load(Ordering::SeqCst), "the new source is not woken");
    assert!(!old_woken.0.load(Ordering::SeqCst), "the old waker was dropped, not woken");
    let readiness = slots.readiness(new_token).expect("the new token is live");
    assert_eq!(readiness, Ready::default(), "no readiness leaked into the new source");
}

#[test]
fn reregistered_fd_is_not_woken_by_the_old_sources_readiness() {
    let reactor = Reactor::new().expect("reactor");
    let handle = reactor.handle();

    // The old source becomes readable, but nobody turns the reactor yet.
    let (old_ours, mut old_theirs) = UnixStream::pair().expect("pair");
    old_ours.set_nonblocking(true).expect("nonblocking");
    let old = Registration::new(&handle, old_ours).expect("register old");
    let old_token = old.token();
    old_theirs.write_all(b"x").expect("make old readable");
    drop(old);

    // A new, idle source takes the same slot.
    let (new_ours, _new_theirs) = UnixStream::pair().expect("pair");
    new_ours.set_nonblocking(true).expect("nonblocking");
    let new = Registration::new(&handle, new_ours).expect("register new");
    assert_eq!(new.token().index, old_token.index, "the slot is reused");
    assert_ne!(new.token().generation, old_token.generation);

    // Park a reader on the new source, after consuming its optimistic initial readiness.
    let (woken, waker) = flag_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    let Poll::Ready(Ok(seen)) = new.poll_ready(&mut cx, Direction::Read) else {
        panic!("a new registration starts out ready");
    };
    assert!(new.clear_readiness(Direction::Read, seen), "no event came in between");
    assert!(new.poll_ready(&mut cx, Direction::Read).is_pending());

    // The only event the new source may get is its own "writable" edge (an idle socket has
    // buffer space); the old source's "readable" must not reach it.
    reactor.turn(Some(Duration::ZERO)).expect("turn");
    assert!(!woken.0.load(Ordering::SeqCst), "the new source's reader is not woken");
    assert!(!new.readiness().readable, "no readable readiness leaked into the new source");
}
