//! Starvation: a task whose channel is always ready never yields, unless a budget makes it.
//!
//! A task gives the thread back only when something it awaits says `Pending`. A loop over a
//! channel it feeds itself never hears `Pending`, so a timer task next to it would wait for the
//! whole loop. Both runtimes give each poll a budget of operations (`rt::task::coop`): once it
//! is spent, the next receive says `Pending` and the loop yields. `unconstrained` turns the
//! budget off, and the starvation comes back.

use super::rt;
use crate::{aside, say};
use rt::sync::mpsc;
use rt::time::{Duration, Instant, sleep_until};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// When the timer task is due, after the start.
const TIMER: Duration = Duration::from_millis(10);

/// How long the busy task loops, by the wall clock, so that even a starved timer gets its turn.
const LOOP_FOR: Duration = Duration::from_millis(100);

/// What the timer task found when it finally ran.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    /// How long after its deadline the timer task ran.
    pub late: Duration,
    /// The busy loop's turns when the timer task ran.
    pub turns_then: u64,
    /// The busy loop's turns in all.
    pub turns_in_all: u64,
    /// Whether the busy loop had already ended when the timer task ran.
    pub loop_had_ended: bool,
}

pub async fn run() {
    let budgeted = timer_next_to_a_loop(false).await;
    say!("with the budget: the timer task ran while the loop went on = {}", !budgeted.loop_had_ended);
    let starved = timer_next_to_a_loop(true).await;
    say!("unconstrained: the timer task waited for the loop to end = {}", starved.loop_had_ended);
    for (mode, seen) in [("with the budget", budgeted), ("unconstrained", starved)] {
        aside!(
            "{mode}: the timer task ran {} ms late, after {} of the loop's {} turns",
            seen.late.as_millis(),
            seen.turns_then,
            seen.turns_in_all
        );
    }
}

// ANCHOR: timer_next_to_a_loop
/// Spawns a task due in `TIMER`, then a task that loops on a ready channel for `LOOP_FOR`,
/// with the budget or `unconstrained`. Returns what the timer task found when it ran.
pub async fn timer_next_to_a_loop(unconstrained: bool) -> Seen {
    let due = Instant::now() + TIMER;
    let turns = Arc::new(AtomicU64::new(0));
    let ended = Arc::new(AtomicBool::new(false));
    let timer = rt::spawn(timer_task(due, turns.clone(), ended.clone()));
    let busy = busy_loop(turns.clone(), ended);
    let looping = if unconstrained {
        rt::spawn(rt::task::coop::unconstrained(busy))
    } else {
        rt::spawn(busy)
    };
    let (late, turns_then, loop_had_ended) = timer.await.unwrap();
    looping.await.unwrap();
    let turns_in_all = turns.load(Ordering::SeqCst);
    Seen { late, turns_then, turns_in_all, loop_had_ended }
}

/// Sends itself a message and receives it, over and over: the receive is always ready.
async fn busy_loop(turns: Arc<AtomicU64>, ended: Arc<AtomicBool>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let stop_at = std::time::Instant::now() + LOOP_FOR;
    while std::time::Instant::now() < stop_at {
        tx.send(()).expect("the receiver is right here");
        // The message is already there, so this returns at once, unless the budget is spent.
        rx.recv().await;
        turns.fetch_add(1, Ordering::SeqCst);
    }
    ended.store(true, Ordering::SeqCst);
}
// ANCHOR_END: timer_next_to_a_loop

/// Waits for `due`, then notes how late it is and how far the busy loop got.
async fn timer_task(
    due: Instant,
    turns: Arc<AtomicU64>,
    ended: Arc<AtomicBool>,
) -> (Duration, u64, bool) {
    sleep_until(due).await;
    let late = Instant::now().saturating_duration_since(due);
    (late, turns.load(Ordering::SeqCst), ended.load(Ordering::SeqCst))
}
