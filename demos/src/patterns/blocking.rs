//! Pitfall 1, blocking the runtime: `std::thread::sleep` in async code delays every other task.

use super::rt;
use crate::{aside, say};
use rt::time::{Duration, Instant, sleep};
use std::future::Future;

const TICK: Duration = Duration::from_millis(10);
/// Longer than the 100 ms for which Clockwork warns that a poll blocked the runtime.
const BLOCKING_WORK: Duration = Duration::from_millis(120);
/// Lateness above this counts as "the ticker was held up"; a healthy tick is about 1 ms late.
const LATE: Duration = Duration::from_millis(40);

pub async fn run() {
    let worst = bad().await;
    say!("std::thread::sleep in async code: ticker held up = {}", worst > LATE);
    aside!("worst tick lateness with std::thread::sleep: {} ms", worst.as_millis());

    let worst = good().await;
    say!("spawn_blocking: ticker held up = {}", worst > LATE);
    aside!("worst tick lateness with spawn_blocking: {} ms", worst.as_millis());
}

// ANCHOR: bad
/// The mistake, measured: the ticker's worst lateness.
pub async fn bad() -> Duration {
    worst_lateness(async {
        // Bad: the thread sleeps, and the runtime with it.
        std::thread::sleep(BLOCKING_WORK);
    })
    .await
}
// ANCHOR_END: bad

// ANCHOR: good
/// The fix, measured the same way.
pub async fn good() -> Duration {
    worst_lateness(async {
        // Good: the blocking work moves to another thread; this task awaits it.
        rt::task::spawn_blocking(|| std::thread::sleep(BLOCKING_WORK)).await.unwrap();
    })
    .await
}
// ANCHOR_END: good

// ANCHOR: ticker
/// Runs `work` as a task next to a task that sleeps `TICK` ten times; returns its worst lateness.
async fn worst_lateness(work: impl Future<Output = ()> + Send + 'static) -> Duration {
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
    rt::spawn(work).await.expect("the work does not panic");
    ticker.await.expect("the ticker does not panic")
}
// ANCHOR_END: ticker
