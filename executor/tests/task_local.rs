//! `task_local!`: a value visible only while its future is polled (or dropped), kept apart
//! from other tasks on the same thread, and `sync_scope`, `take_value`, and the panics.

mod util;

use std::panic;

use clockwork::sync::oneshot;
use clockwork::task::{self, LocalKey};
use util::rt;

clockwork::task_local! {
    static REQUEST: u32;
    /// A key with a doc comment and `pub`, as the macro allows.
    pub static NAME: String;
}

#[test]
fn the_value_is_visible_inside_the_scope_only() {
    rt().block_on(async {
        assert!(REQUEST.try_get().is_err(), "nothing before the scope");
        REQUEST
            .scope(7, async {
                assert_eq!(REQUEST.get(), 7);
                task::yield_now().await;
                assert_eq!(REQUEST.get(), 7, "and again after an await");
                NAME.scope("inner".to_string(), async {
                    assert_eq!(NAME.with(|name| name.len()), 5);
                    assert_eq!(REQUEST.get(), 7, "an outer key stays visible");
                })
                .await;
            })
            .await;
        assert!(REQUEST.try_with(|_| ()).is_err(), "nothing after it");
    });
}

#[test]
fn two_tasks_on_one_thread_see_their_own_values() {
    rt().block_on(async {
        let (tx, rx) = oneshot::channel::<()>();
        // The first task waits in the middle of its scope while the second one runs.
        let first = clockwork::spawn(REQUEST.scope(1, async move {
            rx.await.unwrap();
            REQUEST.get()
        }));
        let second = clockwork::spawn(REQUEST.scope(2, async move {
            let seen = REQUEST.get();
            tx.send(()).unwrap();
            seen
        }));
        assert_eq!(second.await.unwrap(), 2);
        assert_eq!(first.await.unwrap(), 1, "the second task's value did not leak");
    });
}

#[test]
fn nested_scopes_of_one_key_restore_the_outer_value() {
    rt().block_on(async {
        REQUEST
            .scope(1, async {
                REQUEST.scope(2, async { assert_eq!(REQUEST.get(), 2) }).await;
                assert_eq!(REQUEST.get(), 1);
            })
            .await;
    });
}

#[test]
fn a_future_dropped_by_abort_still_sees_its_value() {
    struct ReportOnDrop(Option<oneshot::Sender<Option<u32>>>);
    impl Drop for ReportOnDrop {
        fn drop(&mut self) {
            let seen = REQUEST.try_get().ok();
            let _ = self.0.take().unwrap().send(seen);
        }
    }
    rt().block_on(async {
        let (tx, rx) = oneshot::channel();
        let report = ReportOnDrop(Some(tx));
        let task = clockwork::spawn(REQUEST.scope(42, async move {
            let _report = report;
            std::future::pending::<()>().await;
        }));
        task::yield_now().await;
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(rx.await.unwrap(), Some(42));
    });
}

#[test]
fn take_value_removes_it_for_later_polls() {
    rt().block_on(async {
        let mut scoped = Box::pin(REQUEST.scope(3, async { REQUEST.try_get().is_err() }));
        assert_eq!(scoped.as_mut().take_value(), Some(3));
        assert_eq!(scoped.as_mut().take_value(), None);
        assert!(scoped.await, "polled without its value");
    });
}

#[test]
fn sync_scope_sets_the_value_for_a_closure() {
    let doubled = REQUEST.sync_scope(21, || REQUEST.get() * 2);
    assert_eq!(doubled, 42);
    assert!(REQUEST.try_get().is_err());
}

#[test]
fn sync_scope_inside_with_panics_instead_of_invalidating_the_borrow() {
    let outcome = panic::catch_unwind(|| {
        REQUEST.sync_scope(1, || REQUEST.with(|_| REQUEST.sync_scope(2, || ())));
    });
    let message = *outcome.unwrap_err().downcast::<&str>().unwrap();
    assert!(message.contains("while the task-local storage is borrowed"), "{message}");
    assert!(REQUEST.try_get().is_err(), "the outer scope was left cleanly");
}

#[test]
fn with_outside_a_scope_panics() {
    let outcome = panic::catch_unwind(|| REQUEST.with(|_| ()));
    let message = *outcome.unwrap_err().downcast::<&str>().unwrap();
    assert_eq!(message, "cannot access a task-local storage value without setting it first");
    let key: &LocalKey<u32> = &REQUEST;
    assert_eq!(format!("{key:?}"), "LocalKey { .. }");
}
