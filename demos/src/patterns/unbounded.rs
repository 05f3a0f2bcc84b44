//! Pitfall 6: an unbounded channel lets a fast producer pile up messages; a bounded one does not.

use super::rt;
use crate::say;
use rt::sync::mpsc;

const MESSAGES: usize = 1000;
const MESSAGE_BYTES: usize = 1024;

pub async fn run() {
    let peak = unbounded().await;
    say!("unbounded: peak queue {peak} messages, about {} KiB", peak * MESSAGE_BYTES / 1024);
    let peak = bounded().await;
    say!("bounded(100): peak queue {peak} messages, about {} KiB", peak * MESSAGE_BYTES / 1024);
}

// ANCHOR: unbounded
async fn unbounded() -> usize {
    // Bad: `send` never waits, so nothing slows the producer down.
    let (tx, mut rx) = mpsc::unbounded_channel();
    rt::spawn(async move {
        for _ in 0..MESSAGES {
            tx.send(vec![0u8; MESSAGE_BYTES]).unwrap();
        }
    });
    let mut peak = 0;
    while let Some(_message) = rx.recv().await {
        peak = peak.max(rx.len() + 1); // The queue, counting the message just taken.
        rt::task::yield_now().await; // A slower consumer: it lets the producer run.
    }
    peak
}
// ANCHOR_END: unbounded

// ANCHOR: bounded
async fn bounded() -> usize {
    // Good: `send().await` waits while 100 messages are pending.
    let (tx, mut rx) = mpsc::channel(100);
    rt::spawn(async move {
        for _ in 0..MESSAGES {
            tx.send(vec![0u8; MESSAGE_BYTES]).await.unwrap();
        }
    });
    let mut peak = 0;
    while let Some(_message) = rx.recv().await {
        peak = peak.max(rx.len() + 1);
        rt::task::yield_now().await;
    }
    peak
}
// ANCHOR_END: bounded
