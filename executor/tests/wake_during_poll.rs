//! A wake that arrives while the task is being polled causes exactly one more poll.
//! (async-task's `wake_during_run`: the task must be requeued once, after the poll returns.)

mod util;

use std::future::poll_fn;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use clockwork::task::yield_now;
use util::{WakerSlot, rt};

#[test]
fn many_wakes_during_one_poll_give_one_more_poll() {
    let polls = Arc::new(AtomicUsize::new(0));
    let slot = WakerSlot::new();
    let (task_polls, task_slot) = (polls.clone(), slot.clone());
    let runtime = rt();
    runtime.block_on(async move {
        let task = clockwork::spawn(poll_fn(move |cx| {
            let poll_number = task_polls.fetch_add(1, Ordering::SeqCst) + 1;
            if poll_number == 1 {
                // Three wakes by three paths, all during the first poll.
                cx.waker().wake_by_ref();
                // A clone woken by value: the path a waker stored elsewhere would take.
                #[allow(clippy::waker_clone_wake)]
                cx.waker().clone().wake();
                cx.waker().wake_by_ref();
            }
            // Keep the waker so the test can wake the task later.
            task_slot.store(cx.waker());
            Poll::<()>::Pending
        }));
        // Give the task plenty of turns: it must be polled exactly twice, not four times.
        for _ in 0..10 {
            yield_now().await;
        }
        assert_eq!(polls.load(Ordering::SeqCst), 2, "three wakes during a poll requeue once");
        assert!(!task.is_finished());

        // A wake from outside now gives exactly one more poll.
        assert!(slot.wake());
        for _ in 0..10 {
            yield_now().await;
        }
        assert_eq!(polls.load(Ordering::SeqCst), 3);
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn a_task_woken_while_queued_is_queued_once() {
    let runtime = rt();
    let polls = Arc::new(AtomicUsize::new(0));
    let slot = WakerSlot::new();
    let (task_polls, task_slot) = (polls.clone(), slot.clone());
    runtime.block_on(async {
        let _task = clockwork::spawn(poll_fn(move |cx| {
            task_polls.fetch_add(1, Ordering::SeqCst);
            task_slot.store(cx.waker());
            Poll::<()>::Pending
        }));
        yield_now().await; // the first poll runs, the waker is stored
        let waker = slot.take().expect("the task stored its waker");
        // Five wakes while the task sits idle: the first queues it, the other four find it queued.
        for _ in 0..5 {
            waker.wake_by_ref();
        }
        assert_eq!(runtime.metrics().run_queue_len, 1);
        for _ in 0..10 {
            yield_now().await;
        }
        assert_eq!(polls.load(Ordering::SeqCst), 2);
    });
}
