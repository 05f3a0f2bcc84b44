//! `block_in_place`: it runs its closure on a runtime built as tokio's multi-threaded one
//! (pausing it), panics on a current-thread one as tokio's does, and just runs outside any.

use std::panic::{self, AssertUnwindSafe};

use clockwork::runtime::{Builder, Handle};
use clockwork::task;

#[test]
fn block_in_place_runs_on_a_multi_thread_runtime_and_may_start_another() {
    let outer = Builder::new_multi_thread().enable_all().build().unwrap();
    let answer = outer.block_on(async {
        task::block_in_place(|| {
            // The outer runtime is hidden meanwhile, so a new one may run here.
            let inner = Builder::new_current_thread().enable_all().build().unwrap();
            inner.block_on(async { 40 + 2 })
        })
    });
    assert_eq!(answer, 42);
}

#[test]
fn block_in_place_panics_on_a_current_thread_runtime() {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async { task::block_in_place(|| ()) })
    }));
    assert!(outcome.is_err());
    assert_eq!(task::block_in_place(|| 5), 5, "outside any runtime it just runs");
}

#[test]
fn the_paused_runtime_is_reached_through_its_handle() {
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let id = runtime.handle().id();
    let (same, spawned) = runtime.block_on(async {
        let (same, spawned) = task::block_in_place(|| {
            let handle = Handle::current();
            // Polled right here: the runtime's loop is in the middle of this task's poll.
            handle.block_on(task::yield_now());
            (handle.id() == Handle::current().id(), clockwork::spawn(async { 9 }))
        });
        (same, spawned.await.unwrap())
    });
    assert!(same);
    assert_eq!(spawned, 9, "a task spawned from inside ran once the runtime resumed");
    assert_eq!(runtime.handle().id(), id);
}

#[test]
fn the_paused_runtime_cannot_be_started_again_from_inside() {
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async { task::block_in_place(|| runtime.block_on(async {})) })
    }));
    let message = *outcome.unwrap_err().downcast::<&str>().unwrap();
    assert!(message.starts_with("Cannot start a runtime from within a runtime"), "{message}");
}
