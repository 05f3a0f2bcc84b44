//! Time at its limits: durations of `Duration::MAX`, a paused clock pushed to the end of what it
//! can count, and many timers due in the same turn. Nothing may panic, spin or fire out of
//! order.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::time::{self, Instant, interval, sleep, timeout};

/// Runs `scenario` on a paused runtime on its own thread; fails if it has not finished within
/// 10 s (a spinning run loop would never finish) or if it panicked.
fn on_paused_runtime_within_10s(scenario: impl AsyncFnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime =
            Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
        runtime.block_on(scenario());
        done.send(()).unwrap();
    });
    let outcome = finished.recv_timeout(Duration::from_secs(10));
    outcome.expect("the scenario finished: no spin, no panic (a panic drops `done`)");
}

#[test]
fn an_interval_of_duration_max_ticks_once_then_never() {
    on_paused_runtime_within_10s(async || {
        let mut ticks = interval(Duration::MAX);
        let first = ticks.tick().await;
        assert!(first <= Instant::now());
        // The next tick is "never": a year of paused time later it has still not come.
        let second = timeout(Duration::from_secs(365 * 24 * 3600), ticks.tick()).await;
        assert!(second.is_err());
    });
}

#[test]
fn a_sleep_after_the_clock_reached_u64_max_milliseconds_completes() {
    on_paused_runtime_within_10s(async || {
        time::advance(Duration::from_millis(u64::MAX)).await;
        // The wheel counts milliseconds in a u64: this deadline is past the end of its range,
        // where every deadline counts as reached. Before, the timer fired at once, the sleep
        // saw `now < deadline` and filed it again, forever, at full CPU.
        sleep(Duration::from_millis(10)).await;
    });
}

#[test]
fn a_sleep_after_the_clock_advanced_by_duration_max_completes() {
    on_paused_runtime_within_10s(async || {
        time::advance(Duration::MAX).await;
        // The clock saturated at the latest instant the platform can hold; a deadline past it
        // saturates too instead of panicking in `Instant + Duration`.
        sleep(Duration::from_millis(1)).await;
        let ticks = interval(Duration::from_secs(1));
        drop(ticks);
    });
}

#[test]
fn timers_due_in_the_same_turn_fire_in_deadline_order() {
    let runtime = Builder::new_current_thread().enable_all().warnings(false).build().unwrap();
    let finished = Arc::new(Mutex::new(Vec::new()));
    runtime.block_on(async {
        let tasks: Vec<_> = (1..=10u64)
            .map(|ms| {
                let finished = finished.clone();
                clockwork::spawn(async move {
                    sleep(Duration::from_millis(ms)).await;
                    finished.lock().unwrap().push(ms);
                })
            })
            .collect();
        clockwork::task::yield_now().await; // every task has filed its timer
        // Block the thread past every deadline: all ten are due in the next turn.
        std::thread::sleep(Duration::from_millis(30));
        for task in tasks {
            task.await.unwrap();
        }
    });
    assert_eq!(*finished.lock().unwrap(), (1..=10).collect::<Vec<_>>());
}

#[test]
fn timers_due_at_the_same_millisecond_fire_in_filing_order() {
    on_paused_runtime_within_10s(async || {
        let finished = Arc::new(Mutex::new(Vec::new()));
        let deadline = Instant::now() + Duration::from_millis(700);
        let tasks: Vec<_> = (0..10)
            .map(|id| {
                let finished = finished.clone();
                clockwork::spawn(async move {
                    time::sleep_until(deadline).await;
                    finished.lock().unwrap().push(id);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*finished.lock().unwrap(), (0..10).collect::<Vec<_>>());
    });
}

#[test]
fn a_paused_clock_jumps_to_a_deadline_years_away_as_tokio_does() {
    on_paused_runtime_within_10s(async || {
        let ten_years = Duration::from_secs(10 * 365 * 24 * 3600);
        let deadline = Instant::now() + ten_years;
        time::sleep_until(deadline).await;
        assert!(Instant::now() >= deadline);
        assert!(Instant::now() <= deadline + Duration::from_millis(1));
        // Even "never" comes, when nothing else can happen: tokio's `exactly_max`.
        sleep(Duration::MAX).await;
    });
}
