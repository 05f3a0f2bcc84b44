//! How it works: the life of one task, narrated from spawn to `Ready`.

use super::rt;
use crate::say;
use rt::time::{Duration, sleep};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

pub async fn run() {
    let task = rt::spawn(Narrated { polls: 0, inner: Box::pin(work()) });
    say!("1. spawn: the task is queued; it runs once this task lets the runtime go");
    let answer = task.await.expect("the task does not panic");
    say!("8. the JoinHandle yields {answer}");
}

async fn work() -> u32 {
    // The sleep files the waker it is given with the timer, then returns Pending.
    sleep(Duration::from_millis(20)).await;
    42
}

// ANCHOR: narrated
/// Wraps a future, saying what happens at each poll, and wraps its waker to say when it fires.
struct Narrated<F> {
    polls: u32,
    inner: Pin<Box<F>>,
}

impl<F: Future<Output = u32>> Future for Narrated<F> {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1;
        let step = if self.polls == 1 { 2 } else { 6 };
        say!("{step}. poll #{}: the runtime took the task from the run queue", self.polls);
        let waker = Waker::from(Arc::new(SayOnWake { inner: cx.waker().clone() }));
        let result = self.inner.as_mut().poll(&mut Context::from_waker(&waker));
        match result {
            Poll::Pending => {
                say!("3. Pending: the waker is registered with the timer; the task waits");
                say!("4. nothing else to run: the runtime parks until the next deadline");
            }
            Poll::Ready(value) => say!("7. Ready({value}): the task is complete"),
        }
        result
    }
}

/// The waker handed to the inner future: narrates, then wakes the task for real.
struct SayOnWake {
    inner: Waker,
}

impl Wake for SayOnWake {
    fn wake(self: Arc<Self>) {
        say!("5. the timer fired: wake puts the task back in the run queue");
        self.inner.wake_by_ref();
    }
}
// ANCHOR_END: narrated
