//! Loom models of the channel state a sender can touch from another thread.
//!
//! Run with:
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test -p clockwork --release --lib loom`
//!
//! Under `--cfg loom`, `crate::loom` hands `sync` loom's `Arc`, `Mutex`, atomics and `UnsafeCell`, so loom explores
//! every interleaving of the threads below (up to two preemptions each run).

use std::future::Future;

use loom::future::block_on;
use loom::thread;

use crate::sync::{mpsc, oneshot};

#[test]
fn loom_oneshot_send_races_receive() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u32>();
        let sender = thread::spawn(move || tx.send(7).is_ok());
        // Whichever order, the receiver gets the value: the waker is never lost.
        let received = block_on(rx);
        assert!(sender.join().unwrap(), "the receiver was alive, so the send succeeded");
        assert_eq!(received, Ok(7));
    });
}

#[test]
fn loom_oneshot_send_races_receiver_drop() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<loom::sync::Arc<()>>();
        let value = loom::sync::Arc::new(());
        let observer = value.clone();
        let sender = thread::spawn(move || tx.send(value).err());
        drop(rx);
        let returned = sender.join().unwrap();
        // The value either came back or was dropped with the channel: never leaked.
        drop(returned);
        assert_eq!(loom::sync::Arc::strong_count(&observer), 1);
    });
}

#[test]
fn loom_oneshot_sender_drop_wakes_receiver() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u32>();
        let dropper = thread::spawn(move || drop(tx));
        assert!(block_on(rx).is_err(), "a dropped sender resolves the receiver to RecvError");
        dropper.join().unwrap();
    });
}

#[test]
fn loom_oneshot_receiver_swaps_waker_while_sent() {
    loom::model(|| {
        let (tx, mut rx) = oneshot::channel::<u32>();
        // A first poll leaves a waker that wakes nobody...
        let mut first = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(std::pin::Pin::new(&mut rx).poll(&mut first).is_pending());
        let sender = thread::spawn(move || tx.send(7).is_ok());
        // ...so `block_on` returns only if swapping in its own waker, racing the send, is
        // never lost: the sender wakes the new waker, or the swap sees the value.
        assert_eq!(block_on(rx), Ok(7));
        assert!(sender.join().unwrap());
    });
}

#[test]
fn loom_oneshot_receiver_drop_wakes_closed() {
    loom::model(|| {
        let (mut tx, rx) = oneshot::channel::<u32>();
        let waiter = thread::spawn(move || {
            block_on(tx.closed());
            tx.is_closed()
        });
        drop(rx);
        assert!(waiter.join().unwrap(), "closed() returns only once the receiver is gone");
    });
}

#[test]
fn loom_oneshot_close_races_send() {
    loom::model(|| {
        let (tx, mut rx) = oneshot::channel::<u32>();
        let sender = thread::spawn(move || tx.send(7));
        rx.close();
        let received = rx.try_recv();
        let sent = sender.join().unwrap();
        // Sent before the close: received. After: refused and given back. Never both, never
        // neither; and after the close, `try_recv` never answers `Empty`.
        match (sent, received) {
            (Ok(()), Ok(7)) | (Err(7), Err(oneshot::error::TryRecvError::Closed)) => {}
            (Ok(()), Err(oneshot::error::TryRecvError::Empty)) => {
                panic!("a send that landed before the close must be seen after it")
            }
            other => panic!("value lost or duplicated: {other:?}"),
        }
    });
}

#[test]
fn loom_oneshot_sender_drop_races_a_waker_swap() {
    loom::model(|| {
        let (tx, mut rx) = oneshot::channel::<u32>();
        let mut first = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(std::pin::Pin::new(&mut rx).poll(&mut first).is_pending());
        let dropper = thread::spawn(move || drop(tx));
        // The swap to `block_on`'s waker races the drop: either the drop wakes the new waker,
        // or the swap sees the sender gone.
        assert!(block_on(rx).is_err());
        dropper.join().unwrap();
    });
}

#[test]
fn loom_oneshot_closed_swaps_waker_while_the_receiver_drops() {
    loom::model(|| {
        let (mut tx, rx) = oneshot::channel::<u32>();
        let mut first = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(tx.poll_closed(&mut first).is_pending());
        let dropper = thread::spawn(move || drop(rx));
        block_on(tx.closed());
        assert!(tx.is_closed());
        dropper.join().unwrap();
    });
}

#[test]
fn loom_mpsc_send_races_close() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::unbounded_channel::<u32>();
        let sender = thread::spawn(move || tx.send(1).map_err(|error| error.0));
        rx.close();
        let drained = rx.try_recv().ok();
        let sent = sender.join().unwrap();
        // Either the receiver got 1, or the sender got it back, never both, never neither.
        match (sent, drained) {
            (Ok(()), Some(1)) | (Err(1), None) => {}
            (Ok(()), None) => {
                // Sent before the close but after our try_recv: it is still queued.
                assert_eq!(rx.try_recv().ok(), Some(1), "a delivered value stays receivable");
            }
            other => panic!("value lost or duplicated: {other:?}"),
        }
    });
}

#[test]
fn loom_mpsc_last_sender_drop_ends_recv() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let second = tx.clone();
        let first_thread = thread::spawn(move || {
            block_on(tx.send(1)).unwrap();
        });
        let second_thread = thread::spawn(move || drop(second));
        let mut got = Vec::new();
        while let Some(value) = block_on(rx.recv()) {
            got.push(value);
        }
        assert_eq!(got, [1], "every message arrives before the end of the stream");
        first_thread.join().unwrap();
        second_thread.join().unwrap();
    });
}

#[test]
fn loom_mpsc_permit_dropped_after_close_ends_recv() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        // A sender stays alive throughout, so only the slot coming back can end the channel.
        let alive = tx.clone();
        let sender = thread::spawn(move || {
            // Reserve before or after the close; if it got a slot, give it back unused.
            drop(tx.try_reserve());
        });
        rx.close();
        // Whichever order, the receiver sees the end once the slot is back: the waker that
        // the permit's drop must wake is never lost.
        assert_eq!(block_on(rx.recv()), None);
        sender.join().unwrap();
        drop(alive);
    });
}
