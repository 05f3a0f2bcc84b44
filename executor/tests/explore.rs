//! Seeded orders of polls (`Builder::rng_seed`) and the search over them (`explore`): a seed
//! fixes the run, different seeds give different orders, and `explore` finds a race that FIFO
//! hides, then replays it from the seed it prints.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::trace::{Event, EventKind};

/// A program with choices: five tasks that sleep and yield in steps; returns the order in which
/// the steps ran.
async fn interleaved_steps() -> Vec<(u32, u32)> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..5)
        .map(|task| {
            let log = log.clone();
            clockwork::spawn(async move {
                for step in 0..4 {
                    log.lock().unwrap().push((task, step));
                    if step == 2 {
                        clockwork::time::sleep(Duration::from_millis(10)).await;
                    } else {
                        clockwork::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    Arc::try_unwrap(log).unwrap().into_inner().unwrap()
}

/// Runs the program under `seed` and returns its steps and the runtime's schedule: every spawn,
/// poll, poll result and wake, in order (the timings are left out: they are the real clock's).
fn run_seeded(seed: u64) -> (Vec<(u32, u32)>, Vec<String>) {
    let schedule = Arc::new(Mutex::new(Vec::new()));
    let recorder = schedule.clone();
    let runtime = Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .rng_seed(seed)
        .on_event(move |event: &Event| {
            let line = match &event.kind {
                EventKind::Spawn { task, .. } => format!("spawn task#{task}"),
                EventKind::PollStart { task, .. } => format!("poll task#{task}"),
                EventKind::PollEnd { task, result, .. } => format!("end task#{task} {result:?}"),
                EventKind::Wake { task, by, .. } => format!("wake task#{task} by {by:?}"),
                EventKind::TimerFired { count, clock_ms } => {
                    format!("timers {count} at {clock_ms}")
                }
                _ => return,
            };
            recorder.lock().unwrap().push(line);
        })
        .build()
        .unwrap();
    let steps = runtime.block_on(interleaved_steps());
    drop(runtime);
    let schedule = schedule.lock().unwrap().clone();
    (steps, renumber_tasks(schedule))
}

/// Task ids count up across the whole process, so a second run's tasks have other ids: number
/// them by first appearance instead (`task#2160` -> `t0`).
fn renumber_tasks(lines: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut name = |id: &str| {
        let index = seen.iter().position(|s| s == id).unwrap_or_else(|| {
            seen.push(id.to_string());
            seen.len() - 1
        });
        format!("t{index}")
    };
    lines
        .into_iter()
        .map(|line| {
            line.split(' ')
                .map(|word| match word.split_once("task#") {
                    Some((before, id)) => {
                        let digits: String = id.chars().take_while(char::is_ascii_digit).collect();
                        format!("{before}{}{}", name(&digits), &id[digits.len()..])
                    }
                    None => word.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_run_twice() {
    let (steps, schedule) = run_seeded(42);
    assert_eq!(run_seeded(42), (steps, schedule.clone()));
    assert!(schedule.len() > 40, "the schedule was recorded: {schedule:?}");
}

#[test]
fn different_seeds_give_different_orders() {
    let fifo: Vec<(u32, u32)> = (0..2).flat_map(|step| (0..5).map(move |t| (t, step))).collect();
    let orders: std::collections::HashSet<Vec<(u32, u32)>> =
        (0..10).map(|seed| run_seeded(seed).0).collect();
    assert!(orders.len() >= 5, "ten seeds gave only {} orders", orders.len());
    assert!(orders.iter().any(|steps| !steps.starts_with(&fifo)), "some seed leaves FIFO");
}

/// The `race` pattern in small: two deposits each read the balance, await the "database",
/// and write it back. The second checks the request first (one more await), so in FIFO order
/// the first deposit is written before the second reads, and nothing is lost; in some other
/// orders both read the same balance and one deposit is lost.
async fn two_deposits(hold_the_lock: bool) -> u32 {
    let balance = Arc::new(clockwork::sync::Mutex::new(100_u32));
    let deposit = |balance: Arc<clockwork::sync::Mutex<u32>>, amount: u32, checks: u32| async move {
        for _ in 0..checks {
            clockwork::task::yield_now().await; // checking the request
        }
        if hold_the_lock {
            let mut guard = balance.lock().await;
            clockwork::task::yield_now().await; // the database round trip
            *guard += amount;
        } else {
            let read = *balance.lock().await;
            clockwork::task::yield_now().await;
            *balance.lock().await = read + amount;
        }
    };
    let a = clockwork::spawn(deposit(balance.clone(), 10, 0));
    let b = clockwork::spawn(deposit(balance.clone(), 20, 1));
    a.await.unwrap();
    b.await.unwrap();
    *balance.lock().await
}

#[test]
fn explore_finds_the_lost_update_that_fifo_hides() {
    let fifo = Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    assert_eq!(fifo.block_on(two_deposits(false)), 130, "first come, first served: correct");
    let runs = Arc::new(AtomicU32::new(0));
    let counted = runs.clone();
    let result = std::panic::catch_unwind(move || {
        clockwork::explore(100, || {
            counted.fetch_add(1, Ordering::SeqCst);
            async { assert_eq!(two_deposits(false).await, 130, "money was lost") }
        })
    });
    assert!(result.is_err(), "explore found an order that loses money");
    assert!(runs.load(Ordering::SeqCst) <= 100);
}

#[test]
fn the_fixed_deposits_pass_every_order() {
    clockwork::explore(1_000, || async { assert_eq!(two_deposits(true).await, 130) });
}

#[clockwork::test(explore = 50)]
async fn the_attribute_runs_a_test_under_many_orders() {
    assert_eq!(two_deposits(true).await, 130);
}

/// Not a test on its own: the child process of the replay test below runs it.
#[test]
fn replay_child() {
    if std::env::var("CLOCKWORK_EXPLORE_CHILD").is_err() {
        return;
    }
    clockwork::explore(100, || async {
        let total = two_deposits(false).await;
        println!("total {total}");
        assert_eq!(total, 130, "money was lost");
    });
}

#[test]
fn the_printed_seed_replays_the_failing_run() {
    let exe = std::env::current_exe().unwrap();
    let run = |seed: Option<&str>| {
        let mut command = std::process::Command::new(&exe);
        command.args(["replay_child", "--exact", "--nocapture", "--test-threads=1"]);
        command.env("CLOCKWORK_EXPLORE_CHILD", "1").env_remove("CLOCKWORK_SEED");
        if let Some(seed) = seed {
            command.env("CLOCKWORK_SEED", seed);
        }
        let output = command.output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.success(), text)
    };
    let (passed, text) = run(None);
    assert!(!passed, "the exploration fails:\n{text}");
    let seed = text
        .split("CLOCKWORK_SEED=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a replay line:\n{text}"))
        .to_string();
    assert!(text.contains("replay_child -- --exact"), "the line names the test:\n{text}");

    let (passed, replay) = run(Some(&seed));
    assert!(!passed, "the replay fails too:\n{replay}");
    assert_eq!(replay.matches("total ").count(), 1, "one run only:\n{replay}");
    assert!(replay.contains("money was lost"), "{replay}");
}
