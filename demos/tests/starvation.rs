//! The `starvation` pattern's figures: with the budget the timer task runs while the busy loop
//! is still going, and `unconstrained` makes it wait for the loop's end, on both runtimes.
//!
//! The checks are on what the timer task saw (the loop's turns, whether it had ended), not on
//! milliseconds, which a loaded machine would stretch. The one timing checked is a lower bound.

use std::time::Duration;

use clockwork_demos::{on_clockwork, on_tokio};

/// What the timer task saw next to the loop, on clockwork.
fn on_clockwork(unconstrained: bool) -> on_clockwork::starvation::Seen {
    let runtime = clockwork::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(on_clockwork::starvation::timer_next_to_a_loop(unconstrained))
}

/// What the timer task saw next to the loop, on tokio.
fn on_tokio(unconstrained: bool) -> on_tokio::starvation::Seen {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(on_tokio::starvation::timer_next_to_a_loop(unconstrained))
}

/// Asserts that the timer task ran in the middle of the loop: the budget made the loop yield.
fn assert_ran_during_the_loop(runtime: &str, loop_had_ended: bool, then: u64, in_all: u64) {
    assert!(!loop_had_ended, "{runtime}: the timer task waited for the loop");
    assert!(then > 0, "{runtime}: the loop had started when the timer task ran");
    assert!(then < in_all, "{runtime}: the loop went on after the timer task ({then}/{in_all})");
}

/// Asserts that the timer task ran only after every turn of the loop, and late by at least the
/// time the loop ran past the timer's deadline: 100 ms of looping, 10 ms timer, less 10 ms
/// of slack for the clocks' granularity.
fn assert_starved(runtime: &str, loop_had_ended: bool, then: u64, in_all: u64, late: Duration) {
    assert!(loop_had_ended, "{runtime}: the timer task ran before the loop ended");
    assert_eq!(then, in_all, "{runtime}: every turn of the loop came before the timer task");
    assert!(late >= Duration::from_millis(80), "{runtime}: only {late:?} late");
}

#[test]
fn with_the_budget_the_timer_task_runs_during_the_loop_on_clockwork() {
    let seen = on_clockwork(false);
    assert_ran_during_the_loop(
        "clockwork",
        seen.loop_had_ended,
        seen.turns_then,
        seen.turns_in_all,
    );
}

#[test]
fn with_the_budget_the_timer_task_runs_during_the_loop_on_tokio() {
    let seen = on_tokio(false);
    assert_ran_during_the_loop("tokio", seen.loop_had_ended, seen.turns_then, seen.turns_in_all);
}

#[test]
fn unconstrained_the_timer_task_starves_on_clockwork() {
    let seen = on_clockwork(true);
    assert_starved("clockwork", seen.loop_had_ended, seen.turns_then, seen.turns_in_all, seen.late);
}

#[test]
fn unconstrained_the_timer_task_starves_on_tokio() {
    let seen = on_tokio(true);
    assert_starved("tokio", seen.loop_had_ended, seen.turns_then, seen.turns_in_all, seen.late);
}
