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

#[test]
fn the_dump_says_how_often_a_task_ran_out_of_budget() {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let dump = runtime.block_on(async {
        let (spun, done_spinning) = clockwork::sync::oneshot::channel();
        // 300 units in a row: the budget of 128 runs out twice.
        let spinner = clockwork::spawn(async move {
            for _ in 0..300 {
                task::coop::consume_budget().await;
            }
            spun.send(()).unwrap();
            std::future::pending::<()>().await;
        });
        let idle = clockwork::spawn(std::future::pending::<()>());
        done_spinning.await.unwrap();
        let dump = runtime.dump();
        spinner.abort();
        idle.abort();
        dump
    });
    let spinner_line = dump.lines().find(|line| line.contains("trace_dump.rs:")).unwrap();
    assert!(spinner_line.ends_with("[budget spent: 2 forced yield(s)]"), "{dump}");
    let idle_line = dump.lines().filter(|line| line.contains("trace_dump.rs:")).nth(1).unwrap();
    assert!(!idle_line.contains("forced"), "{dump}");
}
