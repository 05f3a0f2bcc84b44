//! Spawning from inside a task, from a future's `Drop` during shutdown, and the clear panics
//! for spawning outside a runtime and for nesting `block_on`; `task::id` in a blocking job and in
//! the `Drop` of an output its handle throws away.

mod util;

use std::future::pending;

use clockwork::task::{self, yield_now};
use util::{DropCounter, DropToken, rt};

#[test]
fn tasks_spawn_tasks() {
    let runtime = rt();
    let total = runtime.block_on(async {
        let outer = clockwork::spawn(async {
            let middle = clockwork::spawn(async {
                let inner = clockwork::spawn(async { 1 });
                inner.await.unwrap() + 10
            });
            middle.await.unwrap() + 100
        });
        outer.await.unwrap()
    });
    assert_eq!(total, 111);
    assert_eq!(runtime.metrics().tasks_spawned, 3);
}

#[test]
fn a_drop_that_spawns_during_shutdown_is_handled() {
    /// Spawns a task when dropped; the new task's future holds a token.
    struct SpawnOnDrop(DropCounter);
    impl Drop for SpawnOnDrop {
        fn drop(&mut self) {
            let token: DropToken = self.0.token();
            drop(clockwork::spawn(async move {
                let _token = token;
                pending::<()>().await;
            }));
        }
    }
    let drops = DropCounter::new();
    let runtime = rt();
    runtime.block_on(async {
        let guard = SpawnOnDrop(drops.clone());
        clockwork::spawn(async move {
            let _guard = guard;
            pending::<()>().await;
        });
        yield_now().await;
    });
    drop(runtime);
    assert_eq!(drops.count(), 1, "the task spawned during shutdown was dropped too");
}

#[test]
fn names_ids_and_locations_are_kept() {
    let runtime = rt();
    runtime.block_on(async {
        let named = task::Builder::new()
            .name("worker")
            .spawn(async {
                yield_now().await;
                task::id()
            })
            .unwrap();
        let id = named.id();
        assert!(task::try_id().is_none(), "the block_on future is not a task");
        let dump = runtime.dump();
        assert!(dump.contains("worker"), "{dump}");
        assert!(dump.contains("executor/tests/spawning.rs"), "the spawn location: {dump}");
        assert_eq!(named.await.unwrap(), id, "task::id() inside the task is its own id");
    });
}

#[test]
#[should_panic(expected = "spawn called outside a Clockwork runtime")]
fn spawn_outside_a_runtime_panics_clearly() {
    drop(clockwork::spawn(async {}));
}

#[test]
#[should_panic(expected = "Cannot start a runtime from within a runtime")]
fn block_on_inside_a_runtime_panics_clearly() {
    let outer = rt();
    outer.block_on(async {
        let inner = rt();
        inner.block_on(async {});
    });
}

#[test]
fn is_finished_follows_the_task() {
    let runtime = rt();
    runtime.block_on(async {
        let task = clockwork::spawn(async { yield_now().await });
        assert!(!task.is_finished());
        while !task.is_finished() {
            yield_now().await;
        }
        task.await.unwrap();
    });
}

#[test]
fn task_id_inside_a_blocking_job_is_its_handles_id() {
    rt().block_on(async {
        let job = clockwork::task::spawn_blocking(clockwork::task::id);
        let expected = job.id();
        assert_eq!(job.await.unwrap(), expected);
    });
}

#[test]
fn an_output_dropped_with_its_handle_still_sees_its_task_id() {
    struct ReportId(Option<clockwork::sync::oneshot::Sender<Option<clockwork::task::Id>>>);
    impl Drop for ReportId {
        fn drop(&mut self) {
            let _ = self.0.take().unwrap().send(clockwork::task::try_id());
        }
    }
    rt().block_on(async {
        let (tx, rx) = clockwork::sync::oneshot::channel();
        let task = clockwork::spawn(async move { ReportId(Some(tx)) });
        let id = task.id();
        clockwork::task::yield_now().await;
        assert!(task.is_finished());
        // The output is dropped here, in the block_on future, which is no task.
        drop(task);
        assert_eq!(rx.await.unwrap(), Some(id));
    });
}
