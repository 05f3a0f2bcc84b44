//! Memory workloads: heap bytes per idle task, and per sleeping timer.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::rt;
use crate::alloc::live_bytes;

const TASKS: usize = 100_000;

/// 100,000 tasks parked on a oneshot each. Returns the heap bytes each one holds while idle:
/// the task itself, its `JoinHandle` and its oneshot channel (the two vectors that keep the
/// handles and senders are not counted).
pub async fn idle_task_bytes() -> f64 {
    let polled = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::with_capacity(TASKS);
    let mut handles = Vec::with_capacity(TASKS);
    let before = live_bytes();
    for _ in 0..TASKS {
        let (sender, receiver) = rt::sync::oneshot::channel::<()>();
        let polled = polled.clone();
        senders.push(sender);
        handles.push(rt::spawn(async move {
            polled.fetch_add(1, Ordering::Relaxed);
            let _ = receiver.await;
        }));
    }
    // Let every task run to its `.await`, so each is parked with its waker filed.
    while polled.load(Ordering::Relaxed) < TASKS {
        rt::task::yield_now().await;
    }
    let during = live_bytes();
    let per_task = during.saturating_sub(before) as f64 / TASKS as f64;
    drop(senders);
    for handle in handles {
        handle.await.unwrap();
    }
    per_task
}

const SLEEPS: usize = 100_000;

/// 100,000 sleeps of an hour or more, each boxed and polled once (which files its timer).
/// Returns the heap bytes each one holds: the box with the `Sleep` in it, and what the runtime
/// keeps for its timer (Clockwork: a wheel entry; tokio: nothing outside the `Sleep`, whose
/// timer entry lives inside it).
pub async fn sleeping_timer_bytes() -> f64 {
    let mut sleeps = Vec::with_capacity(SLEEPS);
    let before = live_bytes();
    for i in 0..SLEEPS {
        let mut sleep = Box::pin(rt::time::sleep(std::time::Duration::from_secs(3_600 + i as u64)));
        assert!(futures::poll!(sleep.as_mut()).is_pending());
        sleeps.push(sleep);
    }
    // The vector of boxes was allocated before `before`: only the boxes and the timers count.
    let during = live_bytes();
    let per_sleep = during.saturating_sub(before) as f64 / SLEEPS as f64;
    drop(sleeps);
    per_sleep
}
