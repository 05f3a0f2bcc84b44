//! `Runtime::dump`, `Runtime::metrics` and `Runtime::task_metrics`.

mod util;

use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::task;
use clockwork::time::sleep;
use clockwork::trace::WokenBy;

#[test]
fn the_dump_shows_each_task_with_who_woke_it() {
    let runtime = Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    runtime.block_on(async {
        let _waiter = task::Builder::new()
            .name("waiter")
            .spawn(async { sleep(Duration::from_secs(10)).await })
            .unwrap();
        let _ticker = task::Builder::new()
            .name("ticker")
            .spawn(async {
                sleep(Duration::from_millis(5)).await;
                sleep(Duration::from_secs(10)).await;
            })
            .unwrap();
        sleep(Duration::from_millis(50)).await;
    });
    let dump = runtime.dump();
    let lines: Vec<&str> = dump.lines().collect();
    assert_eq!(lines[0], "2 live task(s), 0 queued; timers: 2");
    assert!(lines[1].starts_with("id "), "a header line: {dump}");
    let waiter = lines.iter().find(|l| l.contains("waiter (")).expect("the waiter's line");
    assert!(waiter.contains("idle") && waiter.contains("trace_dump.rs:"), "{dump}");
    let ticker = lines.iter().find(|l| l.contains("ticker (")).expect("the ticker's line");
    assert!(ticker.contains("timer (at +5ms)"), "woken by the timer: {dump}");
}

#[test]
fn metrics_count_polls_wakes_self_wakes_and_time() {
    let runtime = Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .time_polls(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let _spinner = task::Builder::new()
            .name("spinner")
            .spawn(async {
                for _ in 0..3 {
                    task::yield_now().await;
                }
                sleep(Duration::from_secs(10)).await;
            })
            .unwrap();
        sleep(Duration::from_millis(1)).await;
    });
    let metrics = runtime.metrics();
    assert_eq!(metrics.tasks_alive, 1);
    assert_eq!(metrics.polls, 4);
    assert!(metrics.busy > Duration::ZERO, "polls are timed when time_polls is on");
    let tasks = runtime.task_metrics();
    let spinner = &tasks[0];
    assert_eq!(spinner.name.as_deref(), Some("spinner"));
    assert_eq!((spinner.polls, spinner.wakes, spinner.self_wakes), (4, 3, 3));
    assert_eq!(spinner.last_woken_by, Some(WokenBy::Task(spinner.id)));
    assert!(spinner.busy > Duration::ZERO);
}

#[test]
fn by_default_polls_are_not_timed_precisely() {
    // Warnings are on, but they only need the coarse clock: no busy time is measured.
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        task::spawn(async {}).await.unwrap();
    });
    assert_eq!(runtime.metrics().busy, Duration::ZERO);
}

#[test]
fn without_warnings_or_listeners_polls_are_not_timed() {
    let runtime = Builder::new_current_thread().enable_all().warnings(false).build().unwrap();
    runtime.block_on(async {
        task::spawn(async {}).await.unwrap();
    });
    assert_eq!(runtime.metrics().busy, Duration::ZERO);
}
