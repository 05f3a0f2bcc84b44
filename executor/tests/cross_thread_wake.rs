//! A waker cloned to a std thread and woken there makes `block_on` finish: no wakeup is lost
//! while the runtime is parked, whichever side wins the race.

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;

use clockwork::runtime::Handle;
use util::{gate, rt};

#[test]
fn a_task_woken_from_a_std_thread_completes() {
    let runtime = rt();
    // Repeat so both orders happen: the wake landing before the runtime parks, and after.
    for round in 0..500 {
        let (gate, key) = gate();
        let opener = thread::spawn(move || {
            // Wait until the task has stored its waker, then wake it from this thread.
            key.release_once_waited();
        });
        let answer = runtime.block_on(async move {
            let task = clockwork::spawn(async move {
                gate.await;
                round
            });
            task.await.unwrap()
        });
        assert_eq!(answer, round);
        opener.join().unwrap();
    }
}

#[test]
fn the_block_on_future_woken_from_a_std_thread_completes() {
    let runtime = rt();
    for _ in 0..500 {
        let (gate, key) = gate();
        let opener = thread::spawn(move || {
            key.release_once_waited();
        });
        // No task at all: the block_on future itself waits for the other thread.
        runtime.block_on(gate);
        opener.join().unwrap();
    }
}

#[test]
fn handle_spawn_from_another_thread_runs_on_the_runtime() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    let (sender, receiver) = mpsc::channel();
    let runtime_thread = thread::current().id();
    let (done_gate, done_key) = gate();
    let spawner = thread::spawn(move || {
        let task = handle.spawn(async move {
            sender.send(thread::current().id()).unwrap();
            done_key.release();
            5
        });
        futures::executor::block_on(task).unwrap()
    });
    runtime.block_on(done_gate);
    assert_eq!(spawner.join().unwrap(), 5);
    assert_eq!(receiver.recv().unwrap(), runtime_thread, "the task ran on the runtime's thread");
}

#[test]
fn handle_spawn_after_the_runtime_is_gone_is_cancelled() {
    let runtime = rt();
    let handle: Handle = runtime.handle().clone();
    drop(runtime);
    let task = handle.spawn(async { 1 });
    let error = futures::executor::block_on(task).unwrap_err();
    assert!(error.is_cancelled(), "got {error}");
}

#[test]
fn handle_spawn_racing_the_runtime_drop_never_hangs() {
    // Every spawned task either runs or is cancelled; none is lost between the threads.
    for _ in 0..200 {
        let runtime = rt();
        let handle = runtime.handle().clone();
        let spawner = thread::spawn(move || {
            let tasks: Vec<_> = (0..20).map(|i| handle.spawn(async move { i })).collect();
            tasks
                .into_iter()
                .map(|task| match futures::executor::block_on(task) {
                    Ok(_) => 0,
                    Err(error) => {
                        assert!(error.is_cancelled(), "{error}");
                        1
                    }
                })
                .sum::<usize>()
        });
        runtime.block_on(clockwork::task::yield_now());
        drop(runtime);
        let cancelled = spawner.join().unwrap();
        assert!(cancelled <= 20);
    }
}

#[test]
fn a_task_woken_while_the_runtime_was_idle_runs_before_block_on_returns() {
    // The task counts its polls; it receives from a channel whose sender is used from outside
    // any runtime, while the runtime is not running.
    let runtime = clockwork::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let polls = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = clockwork::sync::mpsc::unbounded_channel::<()>();
    let counted = polls.clone();
    runtime.spawn(std::future::poll_fn(move |cx| {
        counted.fetch_add(1, Ordering::SeqCst);
        while let std::task::Poll::Ready(message) = rx.poll_recv(cx) {
            if message.is_none() {
                return std::task::Poll::Ready(());
            }
        }
        std::task::Poll::Pending
    }));
    runtime.block_on(clockwork::task::yield_now());
    assert_eq!(polls.load(Ordering::SeqCst), 1, "polled once, then waiting");

    tx.send(()).unwrap();
    runtime.block_on(clockwork::task::yield_now());
    assert_eq!(polls.load(Ordering::SeqCst), 2, "the wake from outside was served in block_on");

    drop(tx);
    runtime.block_on(clockwork::task::yield_now());
    assert_eq!(polls.load(Ordering::SeqCst), 3);
}
