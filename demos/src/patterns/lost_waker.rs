//! Pitfall 7, a lost waker: a hand-written future returns `Pending` without keeping the waker.

use super::rt;
use crate::say;
use rt::time::{Duration, timeout};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

pub async fn run() {
    let finished = finishes(ForgetfulWait).await;
    say!("a future that drops its waker: finished after the flag went up = {finished}");
    let finished = finishes(Wait).await;
    say!("a future that keeps its waker: finished after the flag went up = {finished}");
}

/// A flag that one task raises and another waits for.
#[derive(Debug, Default)]
pub struct Flag {
    raised: AtomicBool,
    /// The waiter's waker, when the waiting future keeps it; `raise` calls it.
    waker: Mutex<Option<Waker>>,
}

impl Flag {
    fn raise(&self) {
        self.raised.store(true, Ordering::SeqCst);
        let waker = self.waker.lock().unwrap().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

// ANCHOR: bad
/// Bad: says `Pending` while the flag is down, but keeps no waker, so nobody will poll it again.
#[derive(Debug)]
pub struct ForgetfulWait(pub Arc<Flag>);

impl Future for ForgetfulWait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.0.raised.load(Ordering::SeqCst) { Poll::Ready(()) } else { Poll::Pending }
    }
}
// ANCHOR_END: bad

// ANCHOR: good
/// Good: files the waker where `Flag::raise` will find it, then says `Pending`.
#[derive(Debug)]
pub struct Wait(pub Arc<Flag>);

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The waker goes in before the check: a raise between the two still finds it.
        *self.0.waker.lock().unwrap() = Some(cx.waker().clone());
        if self.0.raised.load(Ordering::SeqCst) { Poll::Ready(()) } else { Poll::Pending }
    }
}
// ANCHOR_END: good

/// Spawns a task that waits on a fresh flag, raises the flag, and gives the task 50 ms to end.
pub async fn finishes<F>(wait: impl FnOnce(Arc<Flag>) -> F) -> bool
where
    F: Future<Output = ()> + Send + 'static,
{
    let flag = Arc::new(Flag::default());
    let mut waiter = rt::spawn(wait(flag.clone()));
    // Let the waiter poll once, with the flag still down.
    rt::task::yield_now().await;
    flag.raise();
    let finished = timeout(Duration::from_millis(50), &mut waiter).await.is_ok();
    if !finished {
        // It would wait forever: cancel it, and wait until it is gone.
        waiter.abort();
        let gone = waiter.await;
        debug_assert!(gone.is_err(), "an aborted task ends with a JoinError");
    }
    finished
}
