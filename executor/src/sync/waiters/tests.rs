//! The waiter list on its own: FIFO order, leaving from the middle, and stale ids.

use std::task::Waker;

use super::*;

fn noop() -> Waker {
    Waker::noop().clone()
}

#[test]
fn grants_in_arrival_order() {
    let mut list = WaitList::new();
    let ids: Vec<_> = (0..4).map(|n| list.push(&noop(), n)).collect();
    let mut wakes = WakeList::new();
    assert!(list.grant_front(&mut wakes));
    assert!(list.grant_front(&mut wakes));
    wakes.wake_all();
    assert_eq!(list.poll_status(ids[0], &noop()), Status::Granted(0));
    assert_eq!(list.poll_status(ids[1], &noop()), Status::Granted(1));
    assert_eq!(list.poll_status(ids[2], &noop()), Status::Waiting);
    assert_eq!(list.iter_data().copied().collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn a_waiter_leaves_from_the_middle() {
    let mut list = WaitList::new();
    let ids: Vec<_> = (0..3).map(|n| list.push(&noop(), n)).collect();
    assert_eq!(list.cancel(ids[1]), Cancelled::WasWaiting(1));
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter_data().copied().collect::<Vec<_>>(), [0, 2]);
    // The tail can still grow, and the head still comes first.
    list.push(&noop(), 3);
    assert_eq!(list.front_mut().copied(), Some(0));
    assert_eq!(list.iter_data().copied().collect::<Vec<_>>(), [0, 2, 3]);
}

#[test]
fn a_granted_waiter_dropped_before_its_poll_gives_the_grant_back() {
    let mut list = WaitList::new();
    let id = list.push(&noop(), "permit");
    let mut wakes = WakeList::new();
    list.grant_front(&mut wakes);
    wakes.wake_all();
    assert_eq!(list.cancel(id), Cancelled::WasGranted("permit"));
    assert_eq!(list.cancel(id), Cancelled::Gone, "an id is answered for once");
}

#[test]
fn a_stale_id_never_names_the_entrys_next_occupant() {
    let mut list = WaitList::new();
    let old = list.push(&noop(), 1);
    assert_eq!(list.cancel(old), Cancelled::WasWaiting(1));
    let new = list.push(&noop(), 2); // reuses the freed entry
    assert_eq!(list.poll_status(old, &noop()), Status::Gone);
    assert_eq!(list.cancel(old), Cancelled::Gone);
    assert_eq!(list.poll_status(new, &noop()), Status::Waiting);
}

#[test]
fn wake_all_empties_the_queue_without_granting() {
    let mut list = WaitList::new();
    let ids: Vec<_> = (0..3).map(|n| list.push(&noop(), n)).collect();
    let mut wakes = WakeList::new();
    list.wake_all(&mut wakes);
    wakes.wake_all();
    assert!(list.is_empty());
    for id in ids {
        assert_eq!(list.poll_status(id, &noop()), Status::Gone);
    }
}
