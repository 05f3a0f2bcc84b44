//! Timer workloads: filing and cancelling, firing, and `timeout` around a ready future.

use std::pin::pin;
use std::time::{Duration, Instant};

use super::rt;

/// 100,000 sleeps, each polled once (which files its timer) and dropped (which cancels it),
/// with `others` long sleeps already filed in the wheel.
pub async fn register_cancel(others: u64) -> Duration {
    let mut parked: Vec<_> = (0..others)
        .map(|i| Box::pin(rt::time::sleep(Duration::from_secs(3_600 + i % 7_200))))
        .collect();
    for sleep in &mut parked {
        let _ = futures::poll!(sleep.as_mut());
    }
    let start = Instant::now();
    for i in 0..100_000_u64 {
        let mut sleep = pin!(rt::time::sleep(Duration::from_millis(1 + i % 10_000)));
        let _ = futures::poll!(sleep.as_mut());
    }
    let elapsed = start.elapsed();
    drop(parked);
    elapsed
}

/// 100,000 tasks sleeping 0 to 19 ms. Returns the time beyond the 19 ms that the longest sleep
/// must wait: the cost of filing, firing and waking them all.
pub async fn fire_many() -> Duration {
    let start = Instant::now();
    let sleepers: Vec<_> = (0..100_000_u64)
        .map(|i| rt::spawn(rt::time::sleep(Duration::from_millis(i % 20))))
        .collect();
    for sleeper in sleepers {
        sleeper.await.unwrap();
    }
    start.elapsed().saturating_sub(Duration::from_millis(19))
}

/// 100,000 `timeout`s around a future that is ready at once.
pub async fn timeout_ready() -> Duration {
    let start = Instant::now();
    let mut sum = 0_u64;
    for i in 0..100_000_u64 {
        sum += rt::time::timeout(Duration::from_secs(1), async { i }).await.unwrap();
    }
    assert_eq!(sum, 100_000 * 99_999 / 2);
    start.elapsed()
}

/// A task that feeds its own channel and receives from it in a loop, which is always ready,
/// until a 1 ms sleep in another task stops it. Returns how long the stop took. Without a
/// cooperative budget the loop never yields, the sleeping task never runs, and this never
/// ends: the figure shows how soon the budget lets the timer through.
pub async fn starved_timer() -> Duration {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let start = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let stopper = {
        let stop = stop.clone();
        rt::spawn(async move {
            rt::time::sleep(Duration::from_millis(1)).await;
            stop.store(true, Ordering::Relaxed);
        })
    };
    let (tx, mut rx) = rt::sync::mpsc::unbounded_channel();
    while !stop.load(Ordering::Relaxed) {
        tx.send(()).unwrap();
        rx.recv().await.unwrap();
    }
    stopper.await.unwrap();
    start.elapsed()
}
