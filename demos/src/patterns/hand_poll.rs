//! How it works: polling futures by hand with a waker that counts its wakes.

use super::rt;
use crate::say;
use rt::time::{Duration, sleep};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: counting_waker
/// A waker that only counts: calling `wake` is how a future says "poll me again".
#[derive(Debug, Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: counting_waker

pub async fn run() {
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);

    // ANCHOR: by_hand
    // A sleep, polled by hand: it files our waker with the timer and says Pending.
    let mut nap = pin!(sleep(Duration::from_millis(20)));
    for poll in 1.. {
        let seen = counter.wakes.load(Ordering::SeqCst);
        match nap.as_mut().poll(&mut cx) {
            Poll::Pending => say!("poll {poll}: Pending (wakes so far: {seen})"),
            Poll::Ready(()) => {
                say!("poll {poll}: Ready (wakes so far: {seen})");
                break;
            }
        }
        // Let the runtime run its timer; when the sleep is due, the timer calls our waker.
        // Polling again before that would only be a wasted poll.
        while counter.wakes.load(Ordering::SeqCst) == seen {
            sleep(Duration::from_millis(5)).await;
        }
        say!("woken: wakes = {}", counter.wakes.load(Ordering::SeqCst));
    }
    // ANCHOR_END: by_hand
    say!("a future that is never polled again after Ready: done");
}
