//! Why `timers_in_one_task` grows as the square of the count on tokio: counts the polls.
//!
//! ```text
//! cargo run --release -p clockwork-bench --example unordered_sleeps
//! ```
//!
//! One task polls N sleeps, scattered over 100 ms, through one `FuturesUnordered`, as the
//! scaling mode's `timers_in_one_task` does. Each sleep is wrapped in a future that counts its
//! polls, and the task's own future counts the task's polls. On both runtimes a sleep that
//! finds the task's budget spent answers `Pending`; what differs is how it asks to be polled
//! again, and the Benchmarks chapter ("How cost grows") explains what these counts show.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

thread_local! {
    static SLEEP_POLLS: Cell<u64> = const { Cell::new(0) };
    static TASK_POLLS: Cell<u64> = const { Cell::new(0) };
}

/// Adds one to `counter` at every poll of the future inside.
struct Counted<F> {
    future: Pin<Box<F>>,
    counter: &'static std::thread::LocalKey<Cell<u64>>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.counter.with(|count| count.set(count.get() + 1));
        self.future.as_mut().poll(cx)
    }
}

fn counted<F: Future>(future: F, counter: &'static std::thread::LocalKey<Cell<u64>>) -> Counted<F> {
    Counted { future: Box::pin(future), counter }
}

/// The work: `count` sleeps, deadlines scattered over 100 ms, awaited through one
/// `FuturesUnordered`. `sleep` is the runtime's.
async fn unordered<S: Future>(count: u64, sleep: fn(Duration) -> S) -> Duration {
    let start = Instant::now();
    let mut sleeps: FuturesUnordered<_> = (0..count)
        .map(|i| counted(sleep(Duration::from_micros(i * 7_919 % 100_000)), &SLEEP_POLLS))
        .collect();
    while sleeps.next().await.is_some() {}
    start.elapsed()
}

fn report(runtime: &str, count: u64, elapsed: Duration) {
    let sleep_polls = SLEEP_POLLS.with(|polls| polls.replace(0));
    let task_polls = TASK_POLLS.with(|polls| polls.replace(0));
    println!(
        "| {runtime} | {count} | {:.0} | {:.1} | {task_polls} |",
        elapsed.as_secs_f64() * 1e3,
        sleep_polls as f64 / count as f64,
    );
}

fn main() {
    println!("| runtime | sleeps | ms | polls per sleep | task polls |");
    println!("|---|---:|---:|---:|---:|");
    for count in [10_000, 30_000, 100_000] {
        let runtime = clockwork::runtime::Builder::new_current_thread().enable_all().build();
        let work = counted(unordered(count, clockwork::time::sleep), &TASK_POLLS);
        report("clockwork", count, runtime.unwrap().block_on(work));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        let work = counted(unordered(count, tokio::time::sleep), &TASK_POLLS);
        report("tokio", count, runtime.unwrap().block_on(work));
    }
}
