//! `LocalSet`: its tasks run only while it is driven, nested `spawn_local`s join it, awaiting it
//! waits for all of them, dropping it drops them, and `task::id` names them. Also `spawn_local`
//! outside any set or runtime, and `block_in_place` inside one.

mod util;

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clockwork::runtime::Builder;
use clockwork::task::{self, LocalSet};
use util::{DropCounter, rt};

#[test]
fn tasks_of_a_set_run_only_while_the_set_is_driven() {
    let runtime = rt();
    let local = LocalSet::new();
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    let task = local.spawn_local(async move { flag.set(true) });
    // The runtime turns, but nobody drives the set.
    runtime.block_on(async { task::yield_now().await });
    assert!(!ran.get(), "not driven, not run");
    local.block_on(&runtime, task).unwrap();
    assert!(ran.get());
}

#[test]
fn spawn_local_inside_a_set_joins_the_set() {
    let runtime = rt();
    let local = LocalSet::new();
    let drops = DropCounter::new();
    let token = drops.token();
    local.block_on(&runtime, async move {
        // Spawned from inside `run_until`: it belongs to the set, not to the runtime.
        task::spawn_local(async move {
            let _token = token;
            std::future::pending::<()>().await;
        });
        task::yield_now().await;
    });
    assert_eq!(drops.count(), 0, "still waiting in the set");
    drop(local);
    assert_eq!(drops.count(), 1, "dropped with the set, not with the runtime");
}

#[test]
fn awaiting_the_set_runs_every_task_to_the_end() {
    let runtime = rt();
    let local = LocalSet::new();
    let finished = Rc::new(Cell::new(0));
    for _ in 0..3 {
        let finished = finished.clone();
        local.spawn_local(async move {
            let inner = finished.clone();
            task::spawn_local(async move { inner.set(inner.get() + 1) });
            task::yield_now().await;
            finished.set(finished.get() + 1);
        });
    }
    runtime.block_on(local);
    assert_eq!(finished.get(), 6, "three tasks and the three they spawned");
}

#[test]
fn dropping_the_set_cancels_its_tasks() {
    let runtime = rt();
    let local = LocalSet::new();
    let waiting = local.spawn_local(std::future::pending::<()>());
    let never_polled = local.spawn_local(async {});
    local.block_on(&runtime, async {});
    drop(local);
    let (waiting, never_polled) = runtime.block_on(async { (waiting.await, never_polled.await) });
    assert!(waiting.unwrap_err().is_cancelled());
    // `run_until` returned before the set's first batch: the second task never ran.
    assert!(never_polled.unwrap_err().is_cancelled());
}

#[test]
fn an_entered_set_takes_spawns_before_any_runtime_exists() {
    let local = LocalSet::new();
    let task = {
        let _guard = local.enter();
        task::spawn_local(async { "from before the runtime" })
    };
    let runtime = rt();
    assert_eq!(local.block_on(&runtime, task).unwrap(), "from before the runtime");
}

#[test]
fn task_id_names_the_set_task_being_polled() {
    let runtime = rt();
    let local = LocalSet::new();
    local.block_on(&runtime, async {
        assert_eq!(task::try_id(), None, "run_until runs in the block_on future");
        let (tx, rx) = clockwork::sync::oneshot::channel();
        let handle = task::spawn_local(async move { tx.send(task::id()).unwrap() });
        let expected = handle.id();
        handle.await.unwrap();
        assert_eq!(rx.await.unwrap(), expected);
        assert_eq!(task::try_id(), None, "and the id is given back after the poll");
    });
}

#[test]
fn a_wake_from_another_thread_reaches_a_set_task() {
    let runtime = rt();
    let local = LocalSet::new();
    let answer = local.block_on(&runtime, async {
        let (tx, rx) = clockwork::sync::oneshot::channel();
        let receiver = task::spawn_local(async move { rx.await.unwrap() * 2 });
        std::thread::spawn(move || tx.send(21).unwrap());
        receiver.await.unwrap()
    });
    assert_eq!(answer, 42);
}

#[test]
fn a_busy_set_yields_to_the_runtime_between_batches() {
    let runtime = rt();
    let local = LocalSet::new();
    let finished = Arc::new(AtomicUsize::new(0));
    let seen_by_outside = runtime.block_on(async {
        // A runtime task, queued before the set gets busy: how many set tasks had finished
        // when it got its turn?
        let counter = finished.clone();
        let outside = clockwork::spawn(async move { counter.load(Ordering::SeqCst) });
        local
            .run_until(async {
                let tasks: Vec<_> = (0..200)
                    .map(|_| {
                        let finished = finished.clone();
                        task::spawn_local(async move { finished.fetch_add(1, Ordering::SeqCst) })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
            .await;
        outside.await.unwrap()
    });
    assert!(seen_by_outside < 200, "the runtime ran between two batches ({seen_by_outside})");
}

#[test]
fn spawn_local_outside_any_set_or_runtime_panics_with_tokios_message() {
    let outcome = panic::catch_unwind(|| drop(task::spawn_local(async {})));
    let message = *outcome.unwrap_err().downcast::<&str>().unwrap();
    assert_eq!(
        message,
        "`spawn_local` called from outside of a `task::LocalSet` or `runtime::LocalRuntime`"
    );
}

#[test]
fn spawn_local_inside_a_runtime_works_without_a_set() {
    // A documented difference: tokio needs a LocalSet or a LocalRuntime here.
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let shared = Rc::new(7);
    let answer = runtime.block_on(async move { task::spawn_local(async move { *shared }).await });
    assert_eq!(answer.unwrap(), 7);
}

#[test]
fn block_in_place_inside_a_set_panics_as_in_tokio() {
    let runtime = rt();
    let local = LocalSet::new();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        local.block_on(&runtime, async { task::block_in_place(|| ()) })
    }));
    let message = *outcome.unwrap_err().downcast::<&str>().unwrap();
    assert_eq!(message, "can call blocking only when running on the multi-threaded runtime");
}

#[test]
fn a_local_runtime_spawns_futures_that_are_not_send() {
    let runtime = clockwork::runtime::LocalRuntime::new().unwrap();
    let shared = Rc::new(Cell::new(0));
    let counter = shared.clone();
    let task = runtime.spawn_local(async move { counter.set(counter.get() + 1) });
    runtime.block_on(task).unwrap();
    assert_eq!(shared.get(), 1);
}
