//! `broadcast`: every receiver gets every value, lag and wrap-around, closing, and a run under
//! the futures executor.

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
    let (tx, mut rx) = broadcast::channel(3);
    for n in 0..5 {
        tx.send(n).unwrap();
    }
    // The ring keeps 2, 3, 4; values 0 and 1 were overwritten before `rx` read them.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(2)));
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(rx.try_recv(), Ok(4));
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
        assert_eq!(rx.len(), 4);
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
