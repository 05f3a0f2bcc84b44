//! `JoinSet`: results in completion order, `try_join_next`, aborting, `shutdown`,
//! `detach_all`, and dropping the set aborting its tasks.

mod util;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clockwork::task::JoinSet;
use util::{DropCounter, gate, rt};

#[test]
fn results_come_back_in_the_order_tasks_finish() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        let (slow_gate, slow_key) = gate();
        set.spawn(async move {
            slow_gate.await;
            "slow"
        });
        set.spawn(async { "fast" });
        assert_eq!(set.len(), 2);
        assert_eq!(set.join_next().await.unwrap().unwrap(), "fast");
        slow_key.release();
        assert_eq!(set.join_next().await.unwrap().unwrap(), "slow");
        assert!(set.join_next().await.is_none());
        assert!(set.is_empty());
    });
}

#[test]
fn try_join_next_returns_only_finished_tasks() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        let (gate, key) = gate();
        set.spawn(gate);
        assert!(set.try_join_next().is_none(), "nothing has finished yet");
        key.release();
        clockwork::task::yield_now().await;
        assert!(set.try_join_next().unwrap().is_ok());
        assert!(set.is_empty());
    });
}

#[test]
fn abort_all_and_shutdown_cancel_the_tasks() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        for _ in 0..3 {
            set.spawn(std::future::pending::<()>());
        }
        set.abort_all();
        let mut cancelled = 0;
        while let Some(result) = set.join_next().await {
            assert!(result.unwrap_err().is_cancelled());
            cancelled += 1;
        }
        assert_eq!(cancelled, 3);

        let drops = DropCounter::new();
        for _ in 0..2 {
            let token = drops.token();
            set.spawn(async move {
                let _token = token;
                std::future::pending::<()>().await
            });
        }
        clockwork::task::yield_now().await;
        set.shutdown().await;
        assert!(set.is_empty());
        assert_eq!(drops.count(), 2, "shutdown waits until the futures are dropped");
    });
}

#[test]
fn dropping_the_set_aborts_and_detach_all_does_not() {
    rt().block_on(async {
        let drops = DropCounter::new();
        let mut set = JoinSet::new();
        let token = drops.token();
        let aborted = set.spawn(async move {
            let _token = token;
            std::future::pending::<()>().await
        });
        clockwork::task::yield_now().await;
        drop(set);
        clockwork::task::yield_now().await;
        assert!(aborted.is_finished());
        assert_eq!(drops.count(), 1, "dropping the set aborted its task");

        let ran = Arc::new(AtomicBool::new(false));
        let mut set = JoinSet::new();
        let (gate, key) = gate();
        set.spawn({
            let ran = ran.clone();
            async move {
                gate.await;
                ran.store(true, Ordering::SeqCst);
            }
        });
        set.detach_all();
        assert!(set.is_empty());
        drop(set);
        clockwork::task::yield_now().await;
        key.release();
        clockwork::task::yield_now().await;
        clockwork::task::yield_now().await;
        assert!(ran.load(Ordering::SeqCst), "a detached task runs to the end");
    });
}

#[test]
fn spawn_local_accepts_futures_that_are_not_send() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        let shared = std::rc::Rc::new(4);
        set.spawn_local({
            let shared = shared.clone();
            async move { *shared + 1 }
        });
        assert_eq!(set.join_next().await.unwrap().unwrap(), 5);
    });
}

#[test]
fn many_tasks_are_all_joined() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        for n in 0..500u64 {
            set.spawn(async move {
                clockwork::task::yield_now().await;
                n
            });
        }
        let mut total = 0;
        while let Some(result) = set.join_next().await {
            total += result.unwrap();
        }
        assert_eq!(total, (0..500).sum::<u64>());
    });
}

#[test]
fn join_next_with_id_names_the_task_that_finished() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        let first = set.spawn(async { 'a' }).id();
        let (id, output) = set.join_next_with_id().await.unwrap().unwrap();
        assert_eq!((id, output), (first, 'a'));
        let second = set.spawn(async { 'b' }).id();
        clockwork::task::yield_now().await;
        assert_eq!(set.try_join_next_with_id().unwrap().unwrap(), (second, 'b'));
        assert!(set.try_join_next_with_id().is_none());
    });
}

#[test]
fn join_all_returns_every_output_and_resumes_a_panic() {
    rt().block_on(async {
        let set: JoinSet<u32> = (1..=3).map(|n| async move { n * 10 }).collect();
        let mut outputs = set.join_all().await;
        outputs.sort();
        assert_eq!(outputs, [10, 20, 30]);
    });
    util::quiet_intentional_panics();
    let resumed = std::panic::catch_unwind(|| {
        rt().block_on(async {
            let mut set = JoinSet::new();
            set.spawn(async { panic!("{} in join_all", util::INTENTIONAL) });
            set.join_all().await
        })
    });
    let message = *resumed.unwrap_err().downcast::<String>().unwrap();
    assert!(message.ends_with("in join_all"), "the task's own panic resumed: {message}");
}

#[test]
fn extend_spawns_each_future_into_the_set() {
    rt().block_on(async {
        let mut set = JoinSet::new();
        set.extend((0..4).map(|n| async move { n }));
        assert_eq!(set.len(), 4);
        let mut total = 0;
        while let Some(result) = set.join_next().await {
            total += result.unwrap();
        }
        assert_eq!(total, 6);
    });
}

#[test]
fn spawn_on_reaches_a_runtime_through_its_handle() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    // Spawned from another thread, where no runtime runs.
    let mut set = std::thread::spawn(move || {
        let mut set = JoinSet::new();
        set.spawn_on(async { std::thread::current().id() }, &handle);
        set.spawn_blocking_on(|| std::thread::current().id(), &handle);
        set
    })
    .join()
    .unwrap();
    let runtime_thread = std::thread::current().id();
    let (first, second) = runtime.block_on(async {
        let first = set.join_next().await.unwrap().unwrap();
        let second = set.join_next().await.unwrap().unwrap();
        (first, second)
    });
    let on_runtime = [first, second].iter().filter(|&&id| id == runtime_thread).count();
    assert_eq!(on_runtime, 1, "the task ran on the runtime, the blocking job on the pool");
}

#[test]
fn spawn_local_on_puts_the_task_in_the_local_set() {
    let runtime = rt();
    let local = clockwork::task::LocalSet::new();
    let mut set = JoinSet::new();
    set.spawn_local_on(async { std::rc::Rc::new(5) }, &local);
    // Not driven yet: the task has not run.
    runtime.block_on(clockwork::task::yield_now());
    assert!(set.try_join_next().is_none());
    let five = local.block_on(&runtime, async { set.join_next().await.unwrap() });
    assert_eq!(*five.unwrap(), 5);
}

#[test]
fn joining_more_finished_tasks_than_one_budget_does_not_spin() {
    // Review finding: a JoinHandle turned away for lack of budget re-queued its entry, and
    // `poll_join_next` polled it again at once, for ever.
    rt().block_on(async {
        let mut set = JoinSet::new();
        for n in 0..300u32 {
            set.spawn(async move { n });
        }
        // The run loop polls 61 tasks between two polls of this future: ten yields finish all.
        for _ in 0..10 {
            clockwork::task::yield_now().await;
        }
        // Every task has finished: more than one budget's worth of joins, without an await.
        let mut joined = 0;
        while set.try_join_next().is_some() {
            joined += 1;
        }
        assert_eq!(joined, 300);
        for n in 0..300u32 {
            set.spawn(async move { n });
        }
        for _ in 0..10 {
            clockwork::task::yield_now().await;
        }
        let mut total = 0;
        while let Some(result) = set.join_next().await {
            total += result.unwrap();
        }
        assert_eq!(total, (0..300).sum::<u32>());
    });
}
