//! Variation 4, stream processing: a channel's receiver as a stream, 10 items at once.

use super::rt;
use super::stream::wrappers::ReceiverStream;
use crate::say;
use futures::stream::StreamExt;
use rt::sync::mpsc;
use rt::time::{Duration, Instant, sleep};

pub async fn run() {
    let start = Instant::now();
    let mut results = stream_processing().await;
    results.sort();
    say!("results: {results:?}");
    // Twenty items of 100 ms each, ten at a time: about 200 ms, not 2000.
    let elapsed_ms = start.elapsed().as_millis();
    say!(
        "took about {} ms: ran in parallel = {}",
        (elapsed_ms + 50) / 100 * 100,
        elapsed_ms < 1000
    );
}

// ANCHOR: stream_processing
async fn stream_processing() -> Vec<u64> {
    let (tx, rx) = mpsc::channel(100);
    rt::spawn(async move {
        for item in 0..20 {
            tx.send(item).await.unwrap();
        }
    });
    let stream = ReceiverStream::new(rx);

    // Parallel processing with buffered
    stream
        .map(|item| async move {
            sleep(Duration::from_millis(100)).await;
            item * 2
        })
        .buffer_unordered(10) // Process up to 10 items concurrently
        .collect()
        .await
}
// ANCHOR_END: stream_processing
