//! Variation 2, structured concurrency: a `JoinSet` processes a batch and collects the results.

use super::rt;
use crate::say;
use rt::task::JoinSet;
use rt::time::{Duration, Instant, sleep};

pub async fn run() {
    let start = Instant::now();
    let mut results = process_batch(vec!["alpha".into(), "beta".into(), "gamma".into()]).await;
    // Tasks finish in no promised order; sort before printing.
    results.sort();
    say!("results: {results:?}");
    let elapsed_ms = start.elapsed().as_millis();
    say!("took about {} ms for three 100 ms items", (elapsed_ms + 50) / 100 * 100);
}

// ANCHOR: process_batch
async fn process_batch(items: Vec<String>) -> Vec<String> {
    let mut set = JoinSet::new();

    for item in items {
        set.spawn(async move {
            // Process item
            sleep(Duration::from_millis(100)).await;
            item.to_uppercase()
        });
    }

    let mut results = Vec::new();
    while let Some(res) = set.join_next().await {
        if let Ok(value) = res {
            results.push(value);
        }
    }

    results
}
// ANCHOR_END: process_batch
