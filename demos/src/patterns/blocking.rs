//! Pitfall 1, blocking the runtime: `std::thread::sleep` in async code delays every other task.

use super::rt;
use crate::{aside, say};
use rt::time::{Duration, Instant, sleep};
use std::future::Future;

const TICK: Duration = Duration::from_millis(10);
const BLOCKING_WORK: Duration = Duration::from_millis(80);
/// Lateness above this counts as "the ticker was held up"; a healthy tick is about 1 ms late.
const LATE: Duration = Duration::from_millis(40);

pub async fn run() {
    let worst = worst_lateness(async {
        // Bad: the thread sleeps, and the runtime with it.
        std::thread::sleep(BLOCKING_WORK);
    })
    .await;
    say!("std::thread::sleep in async code: ticker held up = {}", worst > LATE);
    aside!("worst tick lateness with std::thread::sleep: {} ms", worst.as_millis());

    let worst = worst_lateness(async {
        // Good: the blocking work moves to another thread; this task awaits it.
        rt::task::spawn_blocking(|| std::thread::sleep(BLOCKING_WORK)).await.unwrap();
    })
    .await;
    say!("spawn_blocking: ticker held up = {}", worst > LATE);
    aside!("worst tick lateness with spawn_blocking: {} ms", worst.as_millis());
}

// ANCHOR: ticker
/// Runs `work` next to a task that sleeps `TICK` ten times; returns its worst lateness.
async fn worst_lateness(work: impl Future<Output = ()>) -> Duration {
    let ticker = rt::spawn(async {
        let mut worst = Duration::ZERO;
        for _ in 0..10 {
            let before = Instant::now();
            sleep(TICK).await;
            let late = before.elapsed().saturating_sub(TICK);
            worst = worst.max(late);
        }
        worst
    });
    // Let the ticker start its first sleep before the work begins.
    rt::task::yield_now().await;
    work.await;
    ticker.await.expect("the ticker does not panic")
}
// ANCHOR_END: ticker
