//! `watch`: latest value only, versions (including after `send_replace`), closing, and std
//! threads sending while the runtime is parked.

mod util;

use std::thread;

use clockwork::sync::watch;
use util::rt;

#[test]
fn changed_waits_for_a_new_version_and_keeps_only_the_latest() {
    rt().block_on(async {
        let (tx, mut rx) = watch::channel(0);
        assert!(!rx.has_changed().unwrap(), "the initial value counts as seen");
        tx.send(1).unwrap();
        tx.send(2).unwrap();
        rx.changed().await.unwrap();
        assert_eq!(*rx.borrow_and_update(), 2, "only the latest value is kept");
        assert!(!rx.has_changed().unwrap(), "two sends, one change seen");
    });
}

#[test]
fn send_replace_counts_as_a_change_and_returns_the_old_value() {
    let (tx, mut rx) = watch::channel("a");
    let old = tx.send_replace("b");
    assert_eq!(old, "a");
    assert!(rx.has_changed().unwrap(), "send_replace bumps the version");
    assert!(rx.borrow_and_update().has_changed());
    assert!(!rx.has_changed().unwrap());
    drop(rx);
    // With no receiver left, send fails but send_replace still stores the value.
    assert!(tx.send("c").is_err());
    assert_eq!(tx.send_replace("d"), "b");
    assert_eq!(*tx.borrow(), "d");
}

#[test]
fn send_if_modified_only_notifies_when_told_to() {
    let (tx, rx) = watch::channel(5);
    assert!(!tx.send_if_modified(|_| false));
    assert!(!rx.has_changed().unwrap());
    tx.send_modify(|value| *value += 1);
    assert!(rx.has_changed().unwrap());
    assert_eq!(*rx.borrow(), 6);
}

#[test]
fn a_change_before_the_sender_drops_is_reported_before_the_error() {
    rt().block_on(async {
        let (tx, mut rx) = watch::channel(0);
        tx.send(1).unwrap();
        drop(tx);
        assert!(rx.changed().await.is_ok(), "the last change is still seen");
        assert!(rx.changed().await.is_err(), "then the channel is closed");
    });
}

#[test]
fn subscribe_starts_seen_and_sender_closed_waits_for_every_receiver() {
    rt().block_on(async {
        let (tx, rx) = watch::channel(1);
        let subscribed = tx.subscribe();
        assert!(!subscribed.has_changed().unwrap());
        assert_eq!(tx.receiver_count(), 2);
        drop((rx, subscribed));
        tx.closed().await;
        assert!(tx.is_closed());
    });
}

#[test]
fn a_std_thread_sends_while_the_runtime_is_parked() {
    let runtime = rt();
    for round in 0..200 {
        let (tx, mut rx) = watch::channel(0);
        let sender = thread::spawn(move || {
            tx.send(round).unwrap();
            tx
        });
        let seen = runtime.block_on(async move {
            rx.changed().await.unwrap();
            *rx.borrow_and_update()
        });
        assert_eq!(seen, round);
        drop(sender.join().unwrap());
    }
}

#[test]
fn watch_runs_under_tokio() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (tx, mut rx) = watch::channel(0);
        let waiter = tokio::spawn(async move {
            rx.changed().await.unwrap();
            *rx.borrow()
        });
        tokio::task::yield_now().await;
        tx.send(3).unwrap();
        assert_eq!(waiter.await.unwrap(), 3);
    });
}

#[test]
fn a_receiver_is_closed_once_every_sender_is_gone_and_sender_new_starts_without_receivers() {
    let tx = clockwork::sync::watch::Sender::new(1);
    assert!(tx.is_closed(), "no receiver yet");
    let rx = tx.subscribe();
    let second_tx = tx.clone();
    assert!(second_tx.same_channel(&tx));
    assert_eq!(tx.sender_count(), 2);
    drop(tx);
    assert!(!rx.is_closed(), "one sender is left");
    drop(second_tx);
    assert!(rx.is_closed());
}
