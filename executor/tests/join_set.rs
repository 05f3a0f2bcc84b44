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
