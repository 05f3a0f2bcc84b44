//! Variation 6, async iteration: `while let Some(x) = stream.next().await`, on stable Rust.

use super::rt;
use crate::say;
use futures::stream::{self, StreamExt};
use rt::time::{Duration, sleep};

pub async fn run() {
    async_iteration().await;
    // A stream whose items take time to arrive reads the same way.
    let slow = stream::iter(0..3).then(|item| async move {
        sleep(Duration::from_millis(5)).await;
        item * 10
    });
    // `next()` needs a stream it may move; an `async` block may not move once polled, so pin it.
    let mut slow = std::pin::pin!(slow);
    while let Some(item) = slow.next().await {
        say!("Slow item: {}", item);
    }
}

// ANCHOR: async_iteration
// No `#![feature(async_iterator)]` needed: `StreamExt::next` is a future of the next item.
async fn async_iteration() {
    let mut stream = stream::iter(0..5);

    while let Some(item) = stream.next().await {
        say!("Item: {}", item);
    }
}
// ANCHOR_END: async_iteration
