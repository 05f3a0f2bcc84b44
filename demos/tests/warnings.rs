//! Each pitfall demo makes Clockwork give its warning, and the fix of the same pitfall does not.
//!
//! The warnings are read through the harness's event hook (`harness::clockwork_warnings`): the
//! same sentences Clockwork prints on stderr.

use std::sync::Arc;

use clockwork_demos::harness::{self, Runtime};
use clockwork_demos::on_clockwork::{blocking, busy_wait, leak, lost_waker, rt};
use clockwork_demos::patterns;

/// The warnings given while running `future` on clockwork, shutdown included.
fn warnings_of(future: impl Future<Output = ()> + 'static) -> Vec<String> {
    harness::clockwork_warnings(Box::pin(future))
}

/// Asserts that `warnings` is one warning, about a task spawned in `file`, saying `what`.
fn assert_one_warning(warnings: &[String], file: &str, what: &str) {
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = &warnings[0];
    assert!(warning.starts_with("task#"), "names the task: {warning}");
    assert!(warning.contains(&format!("(demos/src/patterns/{file}:")), "where: {warning}");
    assert!(warning.contains(what), "says {what:?}: {warning}");
}

#[test]
fn blocking_poll_is_reported() {
    let warnings = warnings_of(async {
        blocking::bad().await;
    });
    assert_one_warning(&warnings, "blocking.rs", "blocked the runtime for");
    assert!(warnings[0].contains("ms in one poll; use spawn_blocking"), "{warnings:?}");
}

#[test]
fn spawn_blocking_is_quiet() {
    let warnings = warnings_of(async {
        blocking::good().await;
    });
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn lost_waker_is_reported() {
    let warnings = warnings_of(async {
        lost_waker::finishes(lost_waker::ForgetfulWait).await;
    });
    let what = "returned Pending but nothing holds its waker: it can never be woken";
    assert_one_warning(&warnings, "lost_waker.rs", what);
}

#[test]
fn kept_waker_is_quiet() {
    let warnings = warnings_of(async {
        lost_waker::finishes(lost_waker::Wait).await;
    });
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn busy_wait_is_reported() {
    let warnings = warnings_of(async {
        busy_wait::busy_wait().await;
    });
    // The rule looks after 10 polls (`self_wake_min_polls`), and every one of them ended in a
    // `yield_now`, a self-wake.
    let what = "woke itself on 10 of its 10 polls; it is busy-looping";
    assert_one_warning(&warnings, "busy_wait.rs", what);
}

#[test]
fn notified_wait_is_quiet() {
    let warnings = warnings_of(async {
        busy_wait::notified_wait().await;
    });
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn forgotten_task_is_reported_at_shutdown() {
    let warnings = warnings_of(async {
        drop(leak::save_in_background(&Arc::new(())));
    });
    let what = "was never polled when the runtime shut down; it was cancelled";
    assert_one_warning(&warnings, "leak.rs", what);
}

#[test]
fn awaited_task_is_quiet() {
    let warnings = warnings_of(async {
        leak::save_in_background(&Arc::new(())).await.unwrap();
    });
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn leaked_tasks_waiting_on_a_timer_are_reported() {
    // Rule 4 of `trace/warnings.rs`: a task still alive when the runtime shuts down is
    // cancelled, and reported with where it was spawned. The event hook sees all ten; stderr
    // prints the first and counts the rest.
    let warnings = warnings_of(async {
        leak::bad_spawn(&Arc::new(()));
        rt::time::sleep(rt::time::Duration::from_millis(30)).await;
    });
    assert_eq!(warnings.len(), 10, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.contains("was still waiting")), "{warnings:?}");
    assert!(warnings.iter().all(|w| w.contains("leak.rs:")), "{warnings:?}");
}

#[test]
fn aborted_task_is_not_reported_at_shutdown() {
    let warnings = warnings_of(async {
        let task = rt::spawn(rt::time::sleep(rt::time::Duration::from_secs(60)));
        rt::task::yield_now().await;
        task.abort();
    });
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn each_pitfall_demo_shows_its_warning() {
    // (pattern, what its warnings say, how many there are). The leak leaves ten looping tasks
    // still waiting and one save that never ran.
    let shown = [
        ("blocking", "blocked the runtime", 1),
        ("lost_waker", "nothing holds its waker", 1),
        ("busy_wait", "busy-looping", 1),
        // The unconstrained loop holds the thread for its whole 100 ms in one poll.
        ("starvation", "blocked the runtime for", 1),
        ("leak", "was still waiting", 10),
        ("leak", "was never polled when the runtime shut down", 1),
    ];
    for (name, what, count) in shown {
        let pattern = patterns().into_iter().find(|p| p.name == name).expect("the pattern exists");
        let report = harness::run(&pattern, Runtime::Clockwork);
        let matching = report.warnings.iter().filter(|w| w.contains(what)).count();
        assert_eq!(matching, count, "{name}: {:?}", report.warnings);
        let expected_total = if name == "leak" { 11 } else { 1 };
        assert_eq!(report.warnings.len(), expected_total, "{name}: {:?}", report.warnings);
        // Warnings are Clockwork's alone, and never part of the compared lines.
        let on_tokio = harness::run(&pattern, Runtime::Tokio);
        assert!(on_tokio.warnings.is_empty(), "{name}: {:?}", on_tokio.warnings);
    }
}
