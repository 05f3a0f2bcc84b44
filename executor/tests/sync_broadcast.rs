//! `broadcast`: every receiver gets every value, lag and wrap-around, closing, and a run under
//! the futures executor, `Sender::new`, `closed`, weak senders and `blocking_recv`.

mod util;

use clockwork::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use util::rt;

#[test]
fn every_receiver_gets_every_value() {
    rt().block_on(async {
        let (tx, mut first) = broadcast::channel(4);
        let mut second = tx.subscribe();
        assert_eq!(tx.send(1).unwrap(), 2, "send reports how many receivers it reached");
        tx.send(2).unwrap();
        for receiver in [&mut first, &mut second] {
            assert_eq!(receiver.recv().await, Ok(1));
            assert_eq!(receiver.recv().await, Ok(2));
        }
        assert_eq!(tx.len(), 0, "values every receiver has read are dropped");
    });
}

#[test]
fn a_slow_receiver_lags_then_continues_from_the_oldest_kept_value() {
    // A capacity of 3 is rounded up to 4, as tokio does.
    let (tx, mut rx) = broadcast::channel(3);
    for n in 0..6 {
        tx.send(n).unwrap();
    }
    // The ring keeps 2, 3, 4, 5; values 0 and 1 were overwritten before `rx` read them, but
    // `len` counts them until the lag is reported.
    assert_eq!(rx.len(), 6);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(2)));
    assert_eq!(rx.len(), 4);
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(rx.try_recv(), Ok(4));
    assert_eq!(rx.try_recv(), Ok(5));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn the_ring_wraps_around_many_times_without_losing_count() {
    rt().block_on(async {
        let (tx, mut rx) = broadcast::channel(4);
        let mut fast = tx.subscribe();
        for n in 0..1000u64 {
            tx.send(n).unwrap();
            assert_eq!(fast.recv().await, Ok(n), "a receiver that keeps up never lags");
        }
        assert_eq!(rx.len(), 1000, "len counts from the receiver's position, as tokio's");
        assert_eq!(rx.recv().await, Err(RecvError::Lagged(996)));
        assert_eq!(rx.recv().await, Ok(996));
    });
}

#[test]
fn closed_after_every_sender_drops_and_every_value_is_read() {
    rt().block_on(async {
        let (tx, mut rx) = broadcast::channel(2);
        let waiting = clockwork::spawn(async move {
            let first = rx.recv().await;
            let second = rx.recv().await;
            (first, second)
        });
        clockwork::task::yield_now().await;
        tx.send("last").unwrap();
        drop(tx);
        assert_eq!(waiting.await.unwrap(), (Ok("last"), Err(RecvError::Closed)));
    });
}

#[test]
fn send_without_receivers_fails_and_resubscribe_starts_at_the_tail() {
    let (tx, rx) = broadcast::channel(2);
    tx.send(1).unwrap();
    let mut late = rx.resubscribe();
    assert_eq!(tx.receiver_count(), 2);
    assert_eq!(
        late.try_recv(),
        Err(TryRecvError::Empty),
        "a resubscribed receiver sees only new values"
    );
    drop((rx, late));
    assert_eq!(tx.send(2).unwrap_err().0, 2);
}

#[test]
fn broadcast_runs_under_the_futures_executor() {
    let (tx, mut rx) = broadcast::channel(2);
    let thread = std::thread::spawn(move || {
        for n in 0..3 {
            tx.send(n).unwrap();
        }
    });
    thread.join().unwrap();
    let got = futures::executor::block_on(async move {
        let mut got = Vec::new();
        loop {
            match rx.recv().await {
                Ok(n) => got.push(Ok(n)),
                Err(RecvError::Lagged(missed)) => got.push(Err(missed)),
                Err(RecvError::Closed) => break got,
            }
        }
    });
    assert_eq!(got, [Err(1), Ok(1), Ok(2)]);
}

#[test]
fn a_sender_made_alone_waits_for_no_receiver_and_its_weak_twin_upgrades_while_it_lives() {
    rt().block_on(async {
        let tx = broadcast::Sender::<u8>::new(2);
        tx.closed().await; // no receiver yet: closed at once
        assert!(tx.send(1).is_err());
        let mut rx = tx.subscribe();
        let weak = tx.downgrade();
        assert_eq!((rx.sender_strong_count(), rx.sender_weak_count()), (1, 1));
        let upgraded = weak.upgrade().expect("a sender is alive");
        assert!(upgraded.same_channel(&tx));
        drop((tx, upgraded));
        assert!(weak.upgrade().is_none());
        assert!(rx.is_closed());
        assert_eq!(rx.recv().await, Err(RecvError::Closed));
    });
}

#[test]
fn closed_wakes_when_the_last_receiver_goes_and_blocking_recv_works_on_a_thread() {
    rt().block_on(async {
        let (tx, rx) = broadcast::channel::<u8>(1);
        let mut other = rx.resubscribe();
        assert!(rx.same_channel(&other));
        let closed = clockwork::spawn({
            let tx = tx.clone();
            async move { tx.closed().await }
        });
        clockwork::task::yield_now().await;
        drop(rx);
        clockwork::task::yield_now().await;
        assert!(!closed.is_finished(), "one receiver is left");
        tx.send(7).unwrap();
        let receiver = std::thread::spawn(move || other.blocking_recv());
        assert_eq!(receiver.join().unwrap(), Ok(7));
        closed.await.unwrap();
    });
}
