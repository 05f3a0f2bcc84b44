//! `timeout` around the exact deadline, on a paused clock.

use std::time::Duration;

use clockwork::time::{self, Instant, sleep, timeout};

#[clockwork::test(start_paused = true)]
async fn a_ready_future_wins_even_with_a_zero_timeout() {
    assert_eq!(timeout(Duration::ZERO, async { 7 }).await, Ok(7));
}

#[clockwork::test(start_paused = true)]
async fn the_future_polled_first_wins_a_tie_at_the_deadline() {
    let start = Instant::now();
    let result = timeout(Duration::from_millis(10), sleep(Duration::from_millis(10))).await;
    assert!(result.is_ok(), "both are due at 10 ms; the inner future is polled first");
    assert_eq!(start.elapsed(), Duration::from_millis(10));
}

#[clockwork::test(start_paused = true)]
async fn one_millisecond_too_slow_is_elapsed_at_the_deadline() {
    let start = Instant::now();
    let result = timeout(Duration::from_millis(10), sleep(Duration::from_millis(11))).await;
    let error = result.unwrap_err();
    assert_eq!(error.to_string(), "deadline has elapsed");
    assert_eq!(start.elapsed(), Duration::from_millis(10), "gave up exactly at the deadline");
}

#[clockwork::test(start_paused = true)]
async fn the_documents_slow_operation_times_out_after_five_seconds() {
    async fn slow_operation() -> String {
        sleep(Duration::from_secs(10)).await;
        "Done".to_string()
    }
    let start = Instant::now();
    let result = timeout(Duration::from_secs(5), slow_operation()).await;
    assert!(result.is_err());
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[clockwork::test(start_paused = true)]
async fn timeout_at_uses_an_absolute_deadline() {
    let deadline = Instant::now() + Duration::from_secs(3);
    time::advance(Duration::from_secs(1)).await;
    let result = time::timeout_at(deadline, std::future::pending::<()>()).await;
    assert!(result.is_err());
    assert_eq!(Instant::now(), deadline);
}

#[test]
fn timers_fire_while_other_tasks_keep_the_queue_busy() {
    // Real time: a task that never stops yielding must not keep a short sleep from firing
    // (tokio#7883). This checks liveness, not timing.
    let runtime = clockwork::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let spin_stop = stop.clone();
        let spinner = clockwork::spawn(async move {
            while !spin_stop.load(std::sync::atomic::Ordering::Relaxed) {
                clockwork::task::yield_now().await;
            }
        });
        let slept = clockwork::spawn(sleep(Duration::from_millis(5)));
        slept.await.unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        spinner.await.unwrap();
    });
}
