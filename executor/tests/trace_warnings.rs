//! Each warning fires on a program built to trigger it, and stays quiet on one that is not.

mod util;

use std::future::{Future, poll_fn};
use std::task::Poll;
use std::time::Duration;

use clockwork::runtime::Runtime;
use clockwork::task;
use clockwork::time::sleep;
use clockwork::trace::{EventKind, Warning};
use util::recorder::Recorder;

/// A runtime that records events, with every warning on and a 1 ms blocking threshold.
fn warning_runtime(recorder: &Recorder) -> Runtime {
    let mut builder = recorder.builder();
    builder.warnings(true).all_warnings(true).blocking_poll_threshold(Duration::from_millis(1));
    builder.build().unwrap()
}

/// Spawns `future` under `name` and runs the runtime until `main` finishes, then drops it.
fn run_named<F>(recorder: &Recorder, name: &str, future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let runtime = warning_runtime(recorder);
    let name = name.to_string();
    runtime.block_on(async move {
        let handle = task::Builder::new().name(&name).spawn(future).unwrap();
        handle.await.unwrap();
    });
}

#[test]
fn a_blocking_poll_is_reported_once() {
    let recorder = Recorder::new();
    run_named(&recorder, "blocker", async {
        // Blocking the thread inside a poll is exactly what the warning is for.
        std::thread::sleep(Duration::from_millis(5));
        task::yield_now().await;
        std::thread::sleep(Duration::from_millis(5));
    });
    assert_eq!(recorder.warnings(), [("blocker".to_string(), Warning::BlockingPoll)]);
}

#[test]
fn an_awaiting_task_is_not_blocking() {
    let recorder = Recorder::new();
    run_named(&recorder, "sleeper", async { sleep(Duration::from_millis(500)).await });
    assert_eq!(recorder.warnings(), []);
}

#[test]
fn a_task_that_drops_its_waker_is_reported() {
    let recorder = Recorder::new();
    let runtime = warning_runtime(&recorder);
    runtime.block_on(async {
        // Returns Pending and keeps no waker: nothing can ever wake it.
        let lost = task::Builder::new().name("lost").spawn(poll_fn(|_| Poll::<()>::Pending));
        task::yield_now().await;
        drop(lost);
    });
    drop(runtime);
    let warnings = recorder.warnings();
    assert_eq!(
        warnings,
        [
            ("lost".to_string(), Warning::LostWaker),
            // At shutdown it still cannot be woken, which is worth saying again in other words.
            ("lost".to_string(), Warning::AliveAtShutdown),
        ]
    );
}

#[test]
fn a_task_whose_waker_is_kept_is_not_lost() {
    let recorder = Recorder::new();
    let runtime = warning_runtime(&recorder);
    runtime.block_on(async {
        let (sender, receiver) = futures::channel::oneshot::channel::<()>();
        let kept = task::Builder::new().name("kept").spawn(async { receiver.await.unwrap() });
        task::yield_now().await;
        sender.send(()).unwrap();
        kept.unwrap().await.unwrap();
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), []);
}

#[test]
fn a_spinning_task_is_reported() {
    let recorder = Recorder::new();
    run_named(&recorder, "spinner", async {
        for _ in 0..20 {
            task::yield_now().await;
        }
    });
    assert_eq!(recorder.warnings(), [("spinner".to_string(), Warning::SelfWakes)]);
}

#[test]
fn the_self_wake_warning_counts_the_poll_that_earned_it() {
    let recorder = Recorder::new();
    run_named(&recorder, "spinner", async {
        for _ in 0..20 {
            task::yield_now().await;
        }
    });
    // The rule is judged after 10 polls (`self_wake_min_polls`). Every one of those 10 polls
    // woke the task, the 10th included: the count read by the warning must include it.
    let messages: Vec<String> = recorder
        .events()
        .into_iter()
        .filter_map(|event| match event.kind {
            EventKind::Warning { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("woke itself on 10 of its 10 polls"), "{}", messages[0]);
}

#[test]
fn a_task_woken_by_timers_is_not_spinning() {
    let recorder = Recorder::new();
    run_named(&recorder, "ticker", async {
        // A couple of yields, then many timer wakes: far from "most polls".
        task::yield_now().await;
        task::yield_now().await;
        for _ in 0..20 {
            sleep(Duration::from_millis(10)).await;
        }
    });
    assert_eq!(recorder.warnings(), []);
}

#[test]
fn work_left_at_shutdown_is_reported_with_where_it_was_spawned() {
    let recorder = Recorder::new();
    let runtime = warning_runtime(&recorder);
    runtime.block_on(async {
        // Spawned, never polled: block_on returns first.
        let _never = task::Builder::new().name("never polled").spawn(async {});
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), [("never polled".to_string(), Warning::AliveAtShutdown)]);
    let message = recorder
        .events()
        .into_iter()
        .find_map(|event| match event.kind {
            clockwork::trace::EventKind::Warning { message, .. } => Some(message),
            _ => None,
        })
        .unwrap();
    assert!(message.contains("trace_warnings.rs:"), "says where: {message}");
}

#[test]
fn a_task_still_waiting_at_shutdown_is_reported_as_a_leak() {
    let recorder = Recorder::new();
    let runtime = warning_runtime(&recorder);
    runtime.block_on(async {
        let _background = task::Builder::new()
            .name("background")
            .spawn(async { sleep(Duration::from_secs(3600)).await });
        task::yield_now().await;
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), [("background".to_string(), Warning::AliveAtShutdown)]);
}

#[test]
fn an_aborted_task_is_not_reported_at_shutdown() {
    // Dropping its work is what `abort` asked for, even if the run loop had not got to it.
    let recorder = Recorder::new();
    let runtime = warning_runtime(&recorder);
    runtime.block_on(async {
        let aborted = task::Builder::new()
            .name("aborted")
            .spawn(async { sleep(Duration::from_secs(3600)).await })
            .unwrap();
        task::yield_now().await;
        aborted.abort();
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), []);
}

#[test]
fn warnings_off_means_none() {
    let recorder = Recorder::new();
    let runtime = recorder.runtime();
    runtime.block_on(async {
        let _never = task::Builder::new().name("never polled").spawn(async {});
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), []);
}

#[test]
fn by_default_a_correct_program_earns_no_warning_a_leak_or_a_spin_would() {
    // A server's accept loop is alive when its runtime drops, and a task may yield in a loop on
    // purpose: those two warnings wait to be asked for (`all_warnings`), so that a correct
    // program prints nothing it would not print on tokio.
    let recorder = Recorder::new();
    let mut builder = recorder.builder();
    builder.warnings(true);
    let runtime = builder.build().unwrap();
    let (_connections, incoming) = futures::channel::oneshot::channel::<()>();
    runtime.block_on(async {
        // Waits for a connection that never comes, its waker kept: alive at shutdown.
        let _server = task::Builder::new().name("accept_loop").spawn(incoming);
        let spinner = task::Builder::new().name("spinner").spawn(async {
            for _ in 0..20 {
                task::yield_now().await;
            }
        });
        spinner.unwrap().await.unwrap();
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), []);
}

#[test]
fn a_blocking_poll_of_the_block_on_future_is_reported_once() {
    let recorder = Recorder::new();
    let runtime = warning_runtime(&recorder);
    runtime.block_on(async {
        // The block_on future is not a task, but blocking in it stops every task all the same.
        std::thread::sleep(Duration::from_millis(5));
        task::yield_now().await;
        std::thread::sleep(Duration::from_millis(5));
    });
    drop(runtime);
    assert_eq!(recorder.warnings(), [("the block_on future".to_string(), Warning::BlockingPoll)]);
    let messages: Vec<String> = recorder
        .events()
        .into_iter()
        .filter_map(|event| match event.kind {
            EventKind::Warning { task: None, message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("the block_on future blocked the runtime for "),
        "{messages:?}"
    );
}

/// The environment variable that makes the test below run the blocking program itself.
const BLOCK_ON_CHILD: &str = "CLOCKWORK_TEST_BLOCK_ON_CHILD";

#[test]
fn the_watchdog_catches_a_blocking_block_on_poll_with_nothing_recorded() {
    // With nothing listening, polls are not timed: the watchdog thread catches the long ones.
    // Its warning goes only to stderr, so the program runs in a child process, which is this
    // very test binary asked to run this test with the variable set.
    if std::env::var_os(BLOCK_ON_CHILD).is_some() {
        let runtime =
            clockwork::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async { std::thread::sleep(Duration::from_millis(300)) });
        return;
    }
    let this_test = "the_watchdog_catches_a_blocking_block_on_poll_with_nothing_recorded";
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([this_test, "--exact", "--nocapture", "--test-threads=1"])
        .env(BLOCK_ON_CHILD, "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning = "clockwork: warning: the block_on future blocked the runtime for ";
    assert_eq!(stderr.matches(warning).count(), 1, "stderr:\n{stderr}");
}
