//! A panic in a task goes to its `JoinHandle`; the runtime and the other tasks go on. A panic in
//! the `block_on` future reaches the caller.

mod util;

use std::panic::{self, AssertUnwindSafe};

use clockwork::task::yield_now;
use util::{INTENTIONAL, quiet_intentional_panics, rt};

#[test]
fn a_panicking_task_reports_is_panic_and_the_others_finish() {
    quiet_intentional_panics();
    let runtime = rt();
    runtime.block_on(async {
        let before = clockwork::spawn(async { "before" });
        let bad = clockwork::spawn(async {
            yield_now().await;
            panic!("{INTENTIONAL} boom");
        });
        let after = clockwork::spawn(async {
            yield_now().await;
            yield_now().await;
            "after"
        });
        let error = bad.await.unwrap_err();
        assert!(error.is_panic());
        assert!(!error.is_cancelled());
        assert!(error.to_string().contains("panicked with message"), "{error}");
        assert!(error.to_string().contains("boom"), "{error}");
        let payload = error.into_panic();
        assert_eq!(payload.downcast_ref::<String>().unwrap(), &format!("{INTENTIONAL} boom"));
        assert_eq!(before.await.unwrap(), "before");
        assert_eq!(after.await.unwrap(), "after");
    });
    // The runtime is still usable after a task panicked.
    assert_eq!(runtime.block_on(async { clockwork::spawn(async { 3 }).await.unwrap() }), 3);
}

#[test]
fn a_panic_in_block_on_reaches_the_caller_and_the_runtime_survives() {
    quiet_intentional_panics();
    let runtime = rt();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async {
            yield_now().await;
            panic!("{INTENTIONAL} in block_on");
        })
    }));
    let payload = caught.unwrap_err();
    assert!(payload.downcast_ref::<String>().unwrap().contains("in block_on"));
    // The thread-local context was restored on the way out, so block_on works again.
    assert_eq!(runtime.block_on(async { 5 }), 5);
}

#[test]
fn a_panicking_detached_task_is_contained() {
    quiet_intentional_panics();
    let runtime = rt();
    runtime.block_on(async {
        drop(clockwork::spawn(async { panic!("{INTENTIONAL} nobody is listening") }));
        for _ in 0..5 {
            yield_now().await;
        }
    });
    assert_eq!(runtime.metrics().tasks_alive, 0);
}

#[test]
fn join_error_debug_names_the_task() {
    quiet_intentional_panics();
    let runtime = rt();
    runtime.block_on(async {
        let task = clockwork::spawn(async { panic!("{INTENTIONAL} debug") });
        let id = task.id();
        let error = task.await.unwrap_err();
        assert_eq!(error.id(), id);
        // Tokio's form: the id as `Id(n)`, the message, then `...`.
        let debug = format!("{error:?}");
        assert!(debug.starts_with(&format!("JoinError::Panic(Id({id}), ")), "{debug}");
        assert!(debug.ends_with(" debug\", ...)"), "{debug}");
    });
}
