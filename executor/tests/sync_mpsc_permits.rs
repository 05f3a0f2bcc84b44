//! `mpsc` beyond send and receive: `reserve_many`, owned permits, weak senders, `recv_many`,
//! `send_timeout`, the blocking methods, and when the receiver sees the channel as closed.

mod util;

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use clockwork::sync::mpsc::{self, error::SendTimeoutError, error::TrySendError};
use util::rt;

/// A waker that counts its wakes, to assert who was woken and who was not.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting_waker() -> (Arc<CountingWaker>, Waker) {
    let counter = Arc::new(CountingWaker::default());
    (counter.clone(), Waker::from(counter))
}

fn wakes(counter: &CountingWaker) -> usize {
    counter.0.load(Ordering::SeqCst)
}

#[test]
fn reserve_many_waits_for_every_slot_and_its_permits_send_in_order() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel(3);
        let held = tx.try_reserve().unwrap();
        let (counter, waker) = counting_waker();
        let mut reserve = pin!(tx.reserve_many(3));
        assert!(reserve.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
        assert_eq!(tx.capacity(), 0, "the waiting reservation collects the two free slots");
        drop(held);
        assert_eq!(wakes(&counter), 1, "the third slot completes the reservation");
        let Poll::Ready(Ok(permits)) = reserve.poll(&mut Context::from_waker(&waker)) else {
            panic!("the reservation holds three slots");
        };
        assert_eq!(permits.len(), 3);
        for (n, permit) in permits.enumerate() {
            permit.send(n);
        }
        let mut got = Vec::new();
        assert_eq!(rx.recv_many(&mut got, 10).await, 3);
        assert_eq!(got, [0, 1, 2]);
    });
}

#[test]
fn reserve_many_refuses_what_the_channel_can_never_hold_and_grants_zero_even_when_full() {
    rt().block_on(async {
        let (tx, rx) = mpsc::channel::<u8>(2);
        assert!(tx.reserve_many(3).await.is_err());
        assert!(matches!(tx.try_reserve_many(3), Err(TrySendError::Full(()))));
        tx.try_send(1).unwrap();
        tx.try_send(2).unwrap();
        assert_eq!(tx.reserve_many(0).await.unwrap().count(), 0);
        drop(rx);
        assert!(matches!(tx.try_reserve_many(0), Err(TrySendError::Closed(()))));
    });
}

#[test]
fn a_dropped_permit_iterator_returns_the_permits_it_did_not_hand_out() {
    let (tx, _rx) = mpsc::channel::<u8>(4);
    let mut permits = tx.try_reserve_many(3).unwrap();
    let first = permits.next().unwrap();
    assert_eq!(tx.capacity(), 1);
    drop(permits);
    assert_eq!(tx.capacity(), 3, "two unused slots came back; one is still held");
    drop(first);
    assert_eq!(tx.capacity(), 4);
}

#[test]
fn an_owned_permit_keeps_the_channel_open_and_gives_its_sender_back() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel(1);
        let permit = tx.reserve_owned().await.unwrap();
        assert!(!rx.is_closed(), "the permit carries a sender");
        assert_eq!(rx.sender_strong_count(), 1);
        let tx = permit.send("first");
        assert_eq!(rx.recv().await, Some("first"));
        let permit = tx.clone().try_reserve_owned().unwrap();
        let Err(TrySendError::Full(tx)) = tx.try_reserve_owned() else {
            panic!("the only slot is held by the permit");
        };
        let released = permit.release();
        assert_eq!(tx.capacity(), 1, "release gives the slot back");
        drop((tx, released));
        assert_eq!(rx.recv().await, None);
    });
}

#[test]
fn the_receiver_is_closed_once_every_sender_is_gone_even_with_messages_queued() {
    let (tx, mut rx) = mpsc::channel(4);
    tx.try_send(1).unwrap();
    assert!(!rx.is_closed());
    drop(tx);
    assert!(rx.is_closed());
    assert_eq!(rx.try_recv(), Ok(1), "the queued message is still received");
    let (utx, urx) = mpsc::unbounded_channel::<u8>();
    drop(utx);
    assert!(urx.is_closed());
}

#[test]
fn a_reservation_that_fails_on_a_closed_channel_wakes_the_waiting_receiver() {
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    let held = tx.try_reserve().unwrap();
    let (_sender_counter, sender_waker) = counting_waker();
    let mut reserve = pin!(tx.reserve());
    assert!(reserve.as_mut().poll(&mut Context::from_waker(&sender_waker)).is_pending());
    drop(held); // granted to the waiting reservation, which has not collected it yet
    rx.close();
    let (receiver_counter, receiver_waker) = counting_waker();
    let mut cx = Context::from_waker(&receiver_waker);
    assert!(rx.poll_recv(&mut cx).is_pending(), "the granted slot could still send");
    assert!(matches!(reserve.poll(&mut Context::from_waker(&sender_waker)), Poll::Ready(Err(_))));
    assert_eq!(wakes(&receiver_counter), 1, "the slot came back: nothing more can arrive");
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(None));
}

#[test]
fn dropping_the_receiver_releases_the_waker_it_stored() {
    let (counter, waker) = counting_waker();
    let (_tx, mut rx) = mpsc::channel::<u8>(1);
    assert!(rx.poll_recv(&mut Context::from_waker(&waker)).is_pending());
    assert_eq!(Arc::strong_count(&counter), 3, "ours, the waker, and the receiver's clone");
    drop(rx);
    assert_eq!(Arc::strong_count(&counter), 2);
}

#[test]
fn weak_senders_upgrade_only_while_a_sender_lives_and_do_not_keep_the_channel_open() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel::<u8>(1);
        let weak = tx.downgrade();
        assert_eq!((tx.strong_count(), tx.weak_count()), (1, 1));
        assert_eq!((rx.sender_strong_count(), rx.sender_weak_count()), (1, 1));
        let upgraded = weak.upgrade().expect("a sender is alive");
        assert!(upgraded.same_channel(&tx));
        drop((tx, upgraded));
        assert!(weak.upgrade().is_none());
        assert_eq!(rx.recv().await, None, "a weak sender does not keep the channel open");
        let (utx, _urx) = mpsc::unbounded_channel::<u8>();
        let uweak = utx.downgrade().clone();
        assert_eq!(uweak.weak_count(), 1, "the clone's original was dropped");
        assert!(uweak.upgrade().is_some());
    });
}

#[test]
fn recv_many_takes_at_most_limit_and_returns_zero_only_at_the_end() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for n in 0..5 {
            tx.send(n).unwrap();
        }
        let mut buffer = vec![-1];
        assert_eq!(rx.recv_many(&mut buffer, 0).await, 0);
        assert_eq!(rx.recv_many(&mut buffer, 3).await, 3);
        assert_eq!(buffer, [-1, 0, 1, 2], "appended after what was there");
        drop(tx);
        assert_eq!(rx.recv_many(&mut buffer, 3).await, 2);
        assert_eq!(rx.recv_many(&mut buffer, 3).await, 0);
    });
}

#[test]
fn send_timeout_gives_the_value_back_when_no_slot_frees_in_time() {
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let (tx, rx) = mpsc::channel(1);
        assert!(tx.send_timeout(1, Duration::from_secs(1)).await.is_ok());
        let error = tx.send_timeout(2, Duration::from_secs(1)).await.unwrap_err();
        assert!(matches!(error, SendTimeoutError::Timeout(2)));
        drop(rx);
        let error = tx.send_timeout(3, Duration::from_secs(1)).await.unwrap_err();
        assert_eq!(error.into_inner(), 3);
    });
}

#[test]
fn blocking_send_and_recv_work_from_plain_threads() {
    let (tx, mut rx) = mpsc::channel(1);
    let producer = thread::spawn(move || {
        for n in 0..3 {
            tx.blocking_send(n).unwrap();
        }
    });
    let mut got = Vec::new();
    while let Some(n) = rx.blocking_recv() {
        got.push(n);
    }
    producer.join().unwrap();
    assert_eq!(got, [0, 1, 2]);
}

#[test]
#[should_panic(expected = "Cannot block the current thread from within a runtime")]
fn blocking_recv_inside_a_runtime_panics() {
    rt().block_on(async {
        let (_tx, mut rx) = mpsc::channel::<u8>(1);
        rx.blocking_recv();
    });
}

/// tokio's rt_spawn_blocking `issue_8056_regression_test` found this: a blocking-pool thread
/// has its runtime current (so it may spawn), but it runs no tasks, so it may block.
#[test]
fn blocking_recv_inside_spawn_blocking_waits_for_the_sender() {
    let got = rt().block_on(async {
        let (tx, mut rx) = mpsc::channel::<u8>(1);
        let receiver = clockwork::task::spawn_blocking(move || {
            assert!(clockwork::runtime::Handle::try_current().is_ok(), "the runtime is current");
            let mut got = Vec::new();
            while let Some(n) = rx.blocking_recv() {
                got.push(n);
            }
            got
        });
        for n in 0..3 {
            tx.send(n).await.unwrap();
        }
        drop(tx);
        receiver.await.unwrap()
    });
    assert_eq!(got, [0, 1, 2]);
}

#[test]
fn blocking_recv_under_an_enter_guard_is_allowed() {
    let runtime = rt();
    let _guard = runtime.enter();
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    tx.try_send(7).unwrap();
    assert_eq!(rx.blocking_recv(), Some(7));
}
