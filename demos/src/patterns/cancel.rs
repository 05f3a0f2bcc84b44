//! Timeouts and cancellation: `timeout`, then a race between a task and Ctrl-C, then `abort`.

use super::rt;
use crate::say;
use rt::time::{Duration, sleep, timeout};

pub async fn run() {
    match with_timeout().await {
        Ok(result) => say!("finished: {result}"),
        Err(error) => say!("with_timeout: {error}"),
    }
    cancellable_operation().await;
}

// ANCHOR: with_timeout
async fn with_timeout() -> Result<String, Box<dyn std::error::Error>> {
    // The document waits 5 s for a 10 s operation; 50 ms for 10 s shows the same.
    match timeout(Duration::from_millis(50), slow_operation()).await {
        Ok(result) => Ok(result),
        Err(_) => Err("Operation timed out".into()),
    }
}

async fn slow_operation() -> String {
    sleep(Duration::from_secs(10)).await;
    "Done".to_string()
}
// ANCHOR_END: with_timeout

// ANCHOR: cancellable_operation
async fn cancellable_operation() {
    let mut operation = rt::spawn(long_running_task());
    // Both runtimes install the SIGINT handler by the time this future is first polled, which
    // happens below, before the task that raises the signal gets its first turn.
    let mut cancel_signal = std::pin::pin!(rt::signal::ctrl_c());
    rt::spawn(press_ctrl_c_after(Duration::from_millis(30)));

    // Whichever branch finishes first runs its block; the other future is dropped unfinished.
    rt::select! {
        result = &mut operation => {
            say!("Operation completed: {:?}", result);
        }
        _ = &mut cancel_signal => {
            say!("Cancelled");
            operation.abort();
        }
    }
    // Awaiting an aborted task tells how it ended.
    let ended = operation.await;
    say!("after abort: cancelled = {}", ended.is_err_and(|e| e.is_cancelled()));
}
// ANCHOR_END: cancellable_operation

async fn long_running_task() -> &'static str {
    sleep(Duration::from_secs(10)).await;
    "finished"
}

/// Stands in for a person at the keyboard, so the demo runs unattended.
async fn press_ctrl_c_after(delay: Duration) {
    sleep(delay).await;
    signal_hook::low_level::raise(signal_hook::consts::SIGINT).expect("raise(SIGINT)");
}
