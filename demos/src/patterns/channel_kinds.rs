//! How it works, channels: oneshot (one value), broadcast (a lagging receiver), watch (the latest).

use super::rt;
use crate::say;
use rt::sync::broadcast::error::RecvError;
use rt::sync::{broadcast, oneshot, watch};

pub async fn run() {
    oneshot_reply().await;
    broadcast_lag().await;
    watch_latest().await;
}

// ANCHOR: oneshot
async fn oneshot_reply() {
    // One value, once: the request-response half of the actor pattern.
    let (tx, rx) = oneshot::channel();
    rt::spawn(async move { tx.send("pong").unwrap() });
    say!("oneshot: {}", rx.await.unwrap());
}
// ANCHOR_END: oneshot

// ANCHOR: broadcast
async fn broadcast_lag() {
    // Every receiver gets every value, but the channel keeps only the last 2.
    let (tx, mut fast) = broadcast::channel(2);
    let mut slow = tx.subscribe();
    for value in 1..=5 {
        tx.send(value).unwrap();
        say!("broadcast: fast receiver got {}", fast.recv().await.unwrap());
    }
    // The slow receiver looks only now: 3 values were overwritten before it read them.
    loop {
        match slow.try_recv() {
            Ok(value) => say!("broadcast: slow receiver got {value}"),
            Err(broadcast::error::TryRecvError::Lagged(missed)) => {
                say!("broadcast: slow receiver lagged, missed {missed}")
            }
            Err(_) => break,
        }
    }
    // `recv().await` reports the same thing as `RecvError::Lagged`.
    drop(tx);
    assert!(matches!(slow.recv().await, Err(RecvError::Closed)));
}
// ANCHOR_END: broadcast

// ANCHOR: watch
async fn watch_latest() {
    // One value, replaced in place: a receiver that looks late sees only the latest.
    let (tx, mut rx) = watch::channel("starting");
    for state in ["loading", "ready", "serving"] {
        tx.send(state).unwrap();
    }
    rx.changed().await.unwrap();
    say!("watch: after three sends the receiver sees {:?}", *rx.borrow_and_update());
    say!("watch: changed since? {}", rx.has_changed().unwrap());
}
// ANCHOR_END: watch
