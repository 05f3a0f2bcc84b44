//! Basic async with `sleep`, then `join!` of three `fetch_user` calls: about 100 ms, not 300.

use super::rt;
use crate::say;
use rt::time::{Duration, Instant, sleep};

pub async fn run() {
    say!("Starting");
    async_operation().await;
    say!("Done");
    fetch_data().await;
}

async fn async_operation() {
    say!("Operation started");
    // The document sleeps a whole second; 50 ms shows the same thing faster.
    sleep(Duration::from_millis(50)).await;
    say!("Operation completed");
}

// ANCHOR: fetch_data
// Concurrent execution: the three sleeps overlap.
async fn fetch_data() {
    let start = Instant::now();
    let (result1, result2, result3) = rt::join!(fetch_user(1), fetch_user(2), fetch_user(3));
    say!("Results: {:?}, {:?}, {:?}", result1, result2, result3);
    let elapsed_ms = start.elapsed().as_millis();
    // Rounded to tens of ms so both runtimes print the same line.
    say!("took about {} ms, not 300", (elapsed_ms + 5) / 10 * 10);
}

async fn fetch_user(id: u64) -> String {
    sleep(Duration::from_millis(100)).await;
    format!("User {}", id)
}
// ANCHOR_END: fetch_data
