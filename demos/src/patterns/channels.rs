//! Channels and streams: a bounded mpsc channel makes a fast producer wait; a stream pipeline.

use super::rt;
use crate::say;
use futures::StreamExt;
use rt::sync::mpsc;
use rt::time::{Duration, sleep};

pub async fn run() {
    producer_consumer().await;
    process_stream().await;
}

// ANCHOR: producer_consumer
async fn producer_consumer() {
    // Capacity 2 and a slow consumer: the producer's `send().await` waits for room.
    let (tx, mut rx) = mpsc::channel(2);

    // Producer task
    rt::spawn(async move {
        for i in 0..6 {
            let had_room = tx.capacity() > 0;
            tx.send(i).await.unwrap();
            if !had_room {
                say!("producer: channel was full, send({i}) waited");
            }
        }
    });

    // Consumer task
    while let Some(value) = rx.recv().await {
        say!("Received: {}", value);
        sleep(Duration::from_millis(5)).await;
    }
}
// ANCHOR_END: producer_consumer

// ANCHOR: process_stream
async fn process_stream() {
    let stream = futures::stream::iter(0..10);

    stream
        .map(|x| x * 2)
        .filter(|x| futures::future::ready(*x > 5))
        .for_each(|x| {
            say!("Value: {}", x);
            futures::future::ready(())
        })
        .await;
}
// ANCHOR_END: process_stream
