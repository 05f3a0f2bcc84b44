//! `oneshot`: the value, the dropped sender, the refused send, `closed`, a receiver moved
//! between tasks, a run under tokio, termination (`is_terminated`, `is_empty`), `blocking_recv`,
//! sends from another thread, and what `Debug` shows.
#![allow(clippy::async_yields_async)] // A test moves a receiver out of a task on purpose.

mod util;

use std::future::Future;

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

#[test]
fn sends_from_another_thread_each_arrive_once() {
    // The lock-free channel's races, with real threads: each value is sent from a plain thread
    // while its receiver's task may be polling, registering or swapping its waker.
    const CHANNELS: usize = 1_000;
    rt().block_on(async {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..CHANNELS).map(|_| oneshot::channel::<usize>()).unzip();
        let tasks: Vec<_> = receivers
            .into_iter()
            .enumerate()
            .map(|(i, mut rx)| {
                clockwork::spawn(async move {
                    // Half the receivers poll once with this task's waker, yield, and then
                    // wait inside a new future (a `select!`-style re-poll).
                    if i % 2 == 0 {
                        if let std::task::Poll::Ready(early) = futures::poll!(&mut rx) {
                            return early;
                        }
                        clockwork::task::yield_now().await;
                    }
                    rx.await
                })
            })
            .collect();
        let sender = std::thread::spawn(move || {
            for (i, tx) in senders.into_iter().enumerate() {
                tx.send(i).unwrap();
            }
        });
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.unwrap(), Ok(i));
        }
        sender.join().unwrap();
    });
}

#[test]
fn debug_says_waiting_only_until_the_other_side_is_done() {
    let (tx, mut rx) = oneshot::channel::<u8>();
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(std::pin::Pin::new(&mut rx).poll(&mut context).is_pending());
    let waiting = format!("{rx:?}");
    assert!(waiting.contains("rx_waiting: true"), "{waiting}");
    tx.send(3).unwrap();
    // The receiver's waker is still in its cell, but nobody waits any more.
    let sent = format!("{rx:?}");
    assert!(sent.contains("rx_waiting: false") && sent.contains("has_value: true"), "{sent}");
}
