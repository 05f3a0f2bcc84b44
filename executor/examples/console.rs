//! A Clockwork program to watch in tokio-console, with a task for each of the console's warnings.
//!
//! ```text
//! cargo run -p clockwork --example console --features tracing -- 60   # runs for 60 s
//! tokio-console                                                       # in another terminal
//! ```
//!
//! The book's "Observing the runtime" chapter shows what the console shows for it.

use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::task;
use clockwork::time::sleep;

// ANCHOR: main
fn main() {
    // The console's layer first, so that it sees the runtime from its first span on.
    console_subscriber::init();
    let seconds = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        spawn("ticker", ticker());
        spawn("spinner", spinner());
        spawn("forgotten", forgotten());
        for id in 0..3 {
            spawn("worker", worker(id));
        }
        // After two seconds, a task whose first poll holds the thread for three.
        sleep(Duration::from_secs(2)).await;
        spawn("hog", hog());
        sleep(Duration::from_secs(seconds)).await;
    });
}
// ANCHOR_END: main

/// Spawns a named task; the console shows where this was called from.
#[track_caller]
fn spawn(name: &str, future: impl Future<Output = ()> + Send + 'static) {
    task::Builder::new().name(name).spawn(future).unwrap();
}

/// A healthy task: it sleeps, and the timer wakes it.
async fn ticker() {
    loop {
        sleep(Duration::from_millis(100)).await;
    }
}

/// Yields over and over: every wake is its own, which the console flags as self-wakes.
async fn spinner() {
    loop {
        for _ in 0..1000 {
            task::yield_now().await;
        }
        sleep(Duration::from_millis(10)).await;
    }
}

/// Returns `Pending` without keeping its waker: nothing can ever wake it, and the console
/// says it has lost its waker.
async fn forgotten() {
    poll_fn(|_| Poll::<()>::Pending).await;
}

/// Does a little work and ends: it shows as completed.
async fn worker(id: u64) {
    sleep(Duration::from_millis(300 * (id + 1))).await;
}

/// Blocks the thread in its first poll: while it does, the console says it has never yielded.
async fn hog() {
    std::thread::sleep(Duration::from_secs(3));
    sleep(Duration::from_millis(1)).await;
}
