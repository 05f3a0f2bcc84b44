//! `oneshot`: the value, the dropped sender, the refused send, `closed`, a receiver moved
//! between tasks, a run under tokio, termination (`is_terminated`, `is_empty`) and `blocking_recv`.
#![allow(clippy::async_yields_async)] // A test moves a receiver out of a task on purpose.

mod util;

use clockwork::sync::oneshot::{self, error::TryRecvError};
use util::{gate, rt};

#[test]
fn the_value_arrives_and_a_dropped_sender_is_an_error() {
    rt().block_on(async {
        let (tx, rx) = oneshot::channel();
        tx.send(5).unwrap();
        assert_eq!(rx.await, Ok(5));
        let (tx, rx) = oneshot::channel::<i32>();
        drop(tx);
        assert!(rx.await.is_err());
    });
}

#[test]
fn send_returns_the_value_when_the_receiver_is_gone() {
    let (tx, rx) = oneshot::channel();
    drop(rx);
    assert_eq!(tx.send("back"), Err("back"));
    let (tx, mut rx) = oneshot::channel();
    rx.close();
    assert!(tx.is_closed());
    assert_eq!(tx.send(1), Err(1));
}

#[test]
fn try_recv_reports_empty_then_the_value_then_closed() {
    let (tx, mut rx) = oneshot::channel();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.send(3).unwrap();
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn sender_closed_resolves_when_the_receiver_drops() {
    rt().block_on(async {
        let (mut tx, rx) = oneshot::channel::<()>();
        let watcher = clockwork::spawn(async move {
            tx.closed().await;
            tx.is_closed()
        });
        clockwork::task::yield_now().await;
        drop(rx);
        assert!(watcher.await.unwrap());
    });
}

#[test]
fn a_receiver_moved_to_another_task_is_woken_there() {
    rt().block_on(async {
        let (tx, mut rx) = oneshot::channel::<u8>();
        let (first_gate, first_key) = gate();
        // Task A polls the receiver once (registering its waker), then hands it on.
        let first = clockwork::spawn(async move {
            let polled = futures::poll!(&mut rx);
            assert!(polled.is_pending());
            first_gate.await;
            rx
        });
        clockwork::task::yield_now().await;
        first_key.release();
        let rx = first.await.unwrap();
        // Task B awaits it; the send must wake B, not A (which is gone).
        let second = clockwork::spawn(rx);
        clockwork::task::yield_now().await;
        tx.send(9).unwrap();
        assert_eq!(second.await.unwrap(), Ok(9));
    });
}

#[test]
fn oneshot_runs_under_tokio() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (tx, rx) = oneshot::channel();
        tokio::spawn(async move { tx.send("tokio").unwrap() });
        assert_eq!(rx.await, Ok("tokio"));
    });
}

#[test]
fn a_receiver_terminates_once_it_yields_and_is_empty_until_a_value_arrives() {
    let (tx, mut rx) = oneshot::channel();
    assert!(rx.is_empty() && !rx.is_terminated());
    tx.send(3).unwrap();
    assert!(!rx.is_empty(), "the value waits");
    assert_eq!(futures::executor::block_on(&mut rx), Ok(3));
    assert!(rx.is_terminated() && rx.is_empty());
    let (tx, mut rx) = oneshot::channel::<u8>();
    drop(tx);
    assert!(!rx.is_terminated(), "the error has not been yielded yet");
    assert!(rx.try_recv().is_err());
    assert!(rx.is_terminated());
}

#[test]
#[should_panic(expected = "called after complete")]
fn polling_a_terminated_receiver_panics_as_tokio_does() {
    let (_tx, mut rx) = oneshot::channel::<u8>();
    rx.close();
    assert!(rx.try_recv().is_err());
    let _ = futures::executor::block_on(&mut rx);
}

#[test]
fn blocking_recv_waits_on_a_plain_thread() {
    let (tx, rx) = oneshot::channel();
    let receiver = std::thread::spawn(move || rx.blocking_recv());
    tx.send("sent").unwrap();
    assert_eq!(receiver.join().unwrap(), Ok("sent"));
}
