//! Waking a task that completed, or whose `JoinHandle` was dropped, never polls it again and
//! never panics.

mod util;

use std::future::poll_fn;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use clockwork::task::yield_now;
use util::{WakerSlot, rt};

/// A task that keeps its waker in `slot` and finishes on its second poll.
fn finishing_task(polls: Arc<AtomicUsize>, slot: WakerSlot) -> impl Future<Output = u32> + Send {
    poll_fn(move |cx| {
        slot.store(cx.waker());
        if polls.fetch_add(1, Ordering::SeqCst) == 0 {
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            Poll::Ready(7)
        }
    })
}

#[test]
fn waking_a_completed_task_does_nothing() {
    let runtime = rt();
    let polls = Arc::new(AtomicUsize::new(0));
    let slot = WakerSlot::new();
    runtime.block_on(async {
        let task = clockwork::spawn(finishing_task(polls.clone(), slot.clone()));
        assert_eq!(task.await.unwrap(), 7);
        let stale = slot.take().expect("the task kept its waker");
        for _ in 0..3 {
            stale.wake_by_ref();
        }
        stale.wake();
        for _ in 0..10 {
            yield_now().await;
        }
    });
    assert_eq!(polls.load(Ordering::SeqCst), 2, "no poll after completion");
    assert_eq!(runtime.metrics().tasks_alive, 0);
}

#[test]
fn waking_a_detached_task_after_it_finished_does_nothing() {
    let runtime = rt();
    let polls = Arc::new(AtomicUsize::new(0));
    let slot = WakerSlot::new();
    runtime.block_on(async {
        drop(clockwork::spawn(finishing_task(polls.clone(), slot.clone())));
        for _ in 0..10 {
            yield_now().await;
        }
        assert_eq!(polls.load(Ordering::SeqCst), 2, "a detached task still runs to the end");
        let stale = slot.take().expect("the task kept its waker");
        stale.wake();
        for _ in 0..10 {
            yield_now().await;
        }
    });
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

#[test]
fn waking_from_another_thread_after_completion_does_nothing() {
    let runtime = rt();
    let polls = Arc::new(AtomicUsize::new(0));
    let slot = WakerSlot::new();
    runtime.block_on(async {
        let task = clockwork::spawn(finishing_task(polls.clone(), slot.clone()));
        task.await.unwrap();
        let stale = slot.take().unwrap();
        std::thread::spawn(move || stale.wake()).join().unwrap();
        for _ in 0..10 {
            yield_now().await;
        }
    });
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

/// Counts live clones of itself through the `Arc`.
struct Noop;

impl std::task::Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

#[test]
fn a_dropped_join_handle_lets_go_of_the_waker_it_stored() {
    // Review finding: the waker a JoinHandle stored stayed in the task until the task was freed.
    let runtime = rt();
    runtime.block_on(async {
        let (gate, key) = util::gate();
        let task = clockwork::spawn(gate);
        let joiner = Arc::new(Noop);
        let waker = std::task::Waker::from(joiner.clone());
        let mut task = Box::pin(task);
        let polled = task.as_mut().poll(&mut std::task::Context::from_waker(&waker));
        assert!(polled.is_pending());
        drop(waker);
        assert_eq!(Arc::strong_count(&joiner), 2, "the task keeps the joiner's waker");
        drop(task);
        assert_eq!(Arc::strong_count(&joiner), 1, "dropping the handle dropped it");
        key.release();
        yield_now().await;
    });
}
