//! Unit tests for the slab: free-list reuse, generations, and readiness bookkeeping.

use super::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Wake;

/// A waker that counts how often it was woken.
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting_waker() -> (Arc<CountingWaker>, Waker) {
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    let waker = Waker::from(counter.clone());
    (counter, waker)
}

#[test]
fn token_round_trips_through_usize() {
    let token = Token { index: 7, generation: 3 };
    let packed = token.to_usize();
    assert_eq!(Token::from_usize(packed), token);
}

#[test]
fn freed_slot_is_reused_with_a_new_generation() {
    let mut slots = Slots::new();
    let first = slots.insert();
    assert!(slots.remove(first).is_some());
    let second = slots.insert();
    assert_eq!(second.index, first.index, "the free list hands the slot out again");
    assert_eq!(second.generation, first.generation + 1, "removal bumps the generation");
    assert!(slots.remove(first).is_none(), "the old token no longer names the slot");
    assert_eq!(slots.len(), 1);
}

#[test]
fn ready_direction_does_not_store_a_waker() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (counter, waker) = counting_waker();
    let event = Ready { readable: true, writable: false, read_closed: false };
    let mut wakers = Vec::new();
    slots.dispatch(token, event, &mut wakers);
    assert!(wakers.is_empty(), "nobody was waiting, so nobody is woken");
    let Poll::Ready(seen) =
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
    else {
        panic!("the event made the slot readable");
    };
    assert_eq!(
        slots.poll_ready(token, Direction::Write, &mut Some(Waiter::Poller), &waker, &mut None),
        Poll::Pending
    );
    assert!(slots.clear(token, Direction::Read, seen));
    assert_eq!(
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None),
        Poll::Pending
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[test]
fn each_direction_wakes_only_its_own_waiter() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (reader, reader_waker) = counting_waker();
    let (writer, writer_waker) = counting_waker();
    assert!(
        slots
            .poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &reader_waker, &mut None)
            .is_pending()
    );
    assert!(
        slots
            .poll_ready(
                token,
                Direction::Write,
                &mut Some(Waiter::Poller),
                &writer_waker,
                &mut None
            )
            .is_pending()
    );
    let mut wakers = Vec::new();
    let event = Ready { readable: false, writable: true, read_closed: false };
    assert!(slots.dispatch(token, event, &mut wakers));
    wakers.into_iter().for_each(Waker::wake);
    assert_eq!(reader.0.load(Ordering::SeqCst), 0);
    assert_eq!(writer.0.load(Ordering::SeqCst), 1);
}

#[test]
fn an_event_between_the_operation_and_the_clear_is_kept() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (counter, waker) = counting_waker();
    let readable = Ready { readable: true, writable: false, read_closed: false };
    slots.dispatch(token, readable, &mut Vec::new());

    // A task sees the slot readable and starts a read...
    let Poll::Ready(seen) =
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
    else {
        panic!("the event made the slot readable");
    };
    // ...the reactor, on another thread, records new data before the read returns...
    slots.dispatch(token, readable, &mut Vec::new());
    // ...and the read, which started before that data, says `WouldBlock`.
    assert!(!slots.clear(token, Direction::Read, seen), "the newer event is not erased");
    let retry =
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None);
    assert!(retry.is_ready(), "so the task tries again instead of sleeping on lost data");
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[test]
fn a_short_read_clears_readability_with_an_unchanged_tick() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (counter, waker) = counting_waker();
    let data = Ready { readable: true, writable: false, read_closed: false };
    slots.dispatch(token, data, &mut Vec::new());
    let Poll::Ready(seen) =
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
    else {
        panic!("the event made the slot readable");
    };
    // The read came back short: the receive queue was empty, so readiness goes at once.
    assert!(slots.clear_drained(token, seen));
    assert_eq!(
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None),
        Poll::Pending
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[test]
fn an_event_during_a_short_read_is_kept() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (_counter, waker) = counting_waker();
    let data = Ready { readable: true, writable: false, read_closed: false };
    slots.dispatch(token, data, &mut Vec::new());
    let Poll::Ready(seen) =
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
    else {
        panic!("the event made the slot readable");
    };
    // More data arrives, and the reactor records it, while the short read is returning.
    slots.dispatch(token, data, &mut Vec::new());
    assert!(!slots.clear_drained(token, seen), "the newer event is not erased");
    assert!(
        slots
            .poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
            .is_ready()
    );
}

#[test]
fn a_short_read_keeps_readiness_once_the_peer_may_have_closed() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (_counter, waker) = counting_waker();
    // Data and the peer's FIN, reported together in one event.
    let data_and_fin = Ready { readable: true, writable: false, read_closed: true };
    slots.dispatch(token, data_and_fin, &mut Vec::new());
    let Poll::Ready(seen) =
        slots.poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
    else {
        panic!("the event made the slot readable");
    };
    // The short read stopped at the FIN; the EOF behind it will raise no event of its own.
    assert!(!slots.clear_drained(token, seen), "readiness stays for the EOF");
    assert!(
        slots
            .poll_ready(token, Direction::Read, &mut Some(Waiter::Poller), &waker, &mut None)
            .is_ready()
    );
    // A `WouldBlock` still clears readability, but the closed side is remembered for good.
    assert!(slots.clear(token, Direction::Read, seen));
    let readiness = slots.readiness(token).expect("live token");
    assert!(!readiness.readable && readiness.read_closed, "{readiness:?}");
}

#[test]
fn every_future_waiting_on_a_direction_is_woken_and_a_cancelled_one_leaves() {
    let mut slots = Slots::new();
    let token = slots.insert();
    let (first_count, first) = counting_waker();
    let (second_count, second) = counting_waker();
    let (gone_count, gone) = counting_waker();
    // A slot starts out not ready (`Registration::new` marks it ready, optimistically).
    let (mut a, mut b, mut c) = (None, None, None);
    assert!(slots.poll_ready(token, Direction::Read, &mut a, &first, &mut None).is_pending());
    assert!(slots.poll_ready(token, Direction::Read, &mut b, &second, &mut None).is_pending());
    assert!(slots.poll_ready(token, Direction::Read, &mut c, &gone, &mut None).is_pending());
    assert_ne!(a, b, "each future has a place of its own");
    assert!(slots.cancel(token, c.unwrap()).is_some(), "a dropped future leaves the list");

    let mut wakers = Vec::new();
    let readable = Ready { readable: true, ..Ready::default() };
    assert!(slots.dispatch(token, readable, &mut wakers));
    wakers.into_iter().for_each(Waker::wake);
    assert_eq!(first_count.0.load(Ordering::SeqCst), 1);
    assert_eq!(second_count.0.load(Ordering::SeqCst), 1);
    assert_eq!(gone_count.0.load(Ordering::SeqCst), 0);
}
