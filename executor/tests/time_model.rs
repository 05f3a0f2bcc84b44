//! Sleeps, resets, cancellations and jumps of a paused clock, at random and at every scale up to
//! `Duration::MAX`, checked against a model: no panic, no spin, nothing early, nothing lost,
//! and tasks woken in deadline order, then filing order.
//!
//! Each task sleeps until a deadline the test computed, and a reset reaches it through a `watch`
//! channel. The model knows every task's deadline and when it was last filed; the run's log
//! says in which order tasks finished, and when.
//!
//! The wheel counts milliseconds since the runtime started in a `u64`. A deadline past the end
//! of that range (about 584 million years) counts as reached once the clock is there, so the
//! model uses `min(deadline, end of range)`: that is when such a task may finish.

use std::pin::pin;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::sync::watch;
use clockwork::task::{JoinHandle, yield_now};
use clockwork::time::{self, Instant, sleep_until};
use proptest::prelude::*;

/// Durations at every scale: zero, the wheel's levels, beyond its range, and the maximum.
fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        1 => Just(Duration::ZERO),
        4 => (1..200u64).prop_map(Duration::from_millis),
        3 => (1..100_000u64).prop_map(Duration::from_millis),
        2 => (1..(1u64 << 40)).prop_map(Duration::from_millis),
        1 => Just(Duration::from_millis(u64::MAX)),
        1 => Just(Duration::MAX),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Sleep(Duration),
    Reset { pick: usize, to: Duration },
    Cancel { pick: usize },
    Advance(Duration),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => duration().prop_map(Op::Sleep),
        2 => (any::<usize>(), duration()).prop_map(|(pick, to)| Op::Reset { pick, to }),
        1 => any::<usize>().prop_map(|pick| Op::Cancel { pick }),
        3 => duration().prop_map(Op::Advance),
    ]
}

/// Whether `deadline` has come at `now`, for the wheel: a deadline past the end of its range
/// counts as `end_of_range`.
fn has_come(deadline: Instant, end_of_range: Option<Instant>) -> bool {
    let due = end_of_range.map_or(deadline, |end| deadline.min(end));
    due <= Instant::now()
}

/// `now + duration`, or the far future when that does not fit (as `sleep` computes it).
fn deadline_after(duration: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(duration)
        .or_else(|| now.checked_add(Duration::from_secs(30 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

/// One task of the run, as the model sees it.
struct Sleeper {
    handle: JoinHandle<()>,
    deadline: watch::Sender<Instant>,
    /// When it was last filed, in model time (a count of filings).
    filed: u64,
    /// Its deadline had already come when it was filed: such a sleep finishes on its next poll
    /// without entering the wheel, so filing order does not place it among timers that fire.
    due_when_filed: bool,
    cancelled: bool,
}

/// Spawns a task that sleeps until the deadline in `deadlines`, following its changes, then
/// logs its id and the time it finished.
fn spawn_sleeper(id: usize, start: Instant, log: &Arc<Mutex<Vec<(usize, Instant)>>>) -> Sleeper {
    let (deadline, mut changes) = watch::channel(start);
    let log = log.clone();
    let handle = clockwork::spawn(async move {
        let mut sleep = pin!(sleep_until(*changes.borrow_and_update()));
        loop {
            clockwork::select! {
                biased;
                () = &mut sleep => break,
                Ok(()) = changes.changed() => {
                    let to = *changes.borrow_and_update();
                    sleep.as_mut().reset(to);
                }
            }
        }
        log.lock().unwrap().push((id, Instant::now()));
    });
    Sleeper { handle, deadline, filed: 0, due_when_filed: false, cancelled: false }
}

/// Lets every task run until none is ready (timers and resets filed).
async fn settle() {
    for _ in 0..3 {
        yield_now().await;
    }
}

async fn run(ops: Vec<Op>) {
    // The paused clock starts when the runtime is built, and stands still until advanced.
    let end_of_range = Instant::now().checked_add(Duration::from_millis(u64::MAX));
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut sleepers: Vec<Sleeper> = Vec::new();
    let mut filings = 0;
    for op in ops {
        match op {
            Op::Sleep(duration) => {
                filings += 1;
                let deadline = deadline_after(duration);
                let mut sleeper = spawn_sleeper(sleepers.len(), deadline, &log);
                sleeper.filed = filings;
                sleeper.due_when_filed = has_come(deadline, end_of_range);
                sleepers.push(sleeper);
            }
            Op::Reset { pick, to } if !sleepers.is_empty() => {
                let count = sleepers.len();
                let sleeper = &mut sleepers[pick % count];
                let deadline = deadline_after(to);
                if !sleeper.handle.is_finished() && sleeper.deadline.send(deadline).is_ok() {
                    filings += 1;
                    sleeper.filed = filings;
                    sleeper.due_when_filed = has_come(deadline, end_of_range);
                }
            }
            Op::Cancel { pick } if !sleepers.is_empty() => {
                let count = sleepers.len();
                let sleeper = &mut sleepers[pick % count];
                if !sleeper.handle.is_finished() {
                    sleeper.handle.abort();
                    sleeper.cancelled = true;
                }
            }
            Op::Advance(duration) => time::advance(duration).await,
            Op::Reset { .. } | Op::Cancel { .. } => {}
        }
        settle().await;
    }
    // The end: every deadline the paused clock can reach (it never jumps 2^36 ms or more, the
    // wheel's "never") comes; the others are cancelled.
    let horizon = Instant::now().checked_add(Duration::from_millis(1 << 35));
    for sleeper in &mut sleepers {
        let deadline = *sleeper.deadline.borrow();
        if horizon.is_some_and(|horizon| deadline > horizon) && !sleeper.handle.is_finished() {
            sleeper.handle.abort();
            sleeper.cancelled = true;
        }
    }
    for sleeper in &mut sleepers {
        let _ = (&mut sleeper.handle).await;
    }
    check(&sleepers, &log.lock().unwrap(), end_of_range);
}

/// The run against the model.
fn check(sleepers: &[Sleeper], log: &[(usize, Instant)], end_of_range: Option<Instant>) {
    let due = |sleeper: &Sleeper| {
        let deadline = *sleeper.deadline.borrow();
        end_of_range.map_or(deadline, |end| deadline.min(end))
    };
    let mut seen = vec![false; sleepers.len()];
    for &(id, finished_at) in log {
        let sleeper = &sleepers[id];
        assert!(!seen[id], "task {id} finished once");
        seen[id] = true;
        assert!(finished_at >= due(sleeper), "task {id} finished before its deadline");
    }
    for (id, sleeper) in sleepers.iter().enumerate() {
        assert!(seen[id] || sleeper.cancelled, "task {id} was neither cancelled nor finished");
    }
    // Deadline order; among timers due at the same time, filing order.
    for pair in log.windows(2) {
        let (first, second) = (&sleepers[pair[0].0], &sleepers[pair[1].0]);
        assert!(
            due(first) <= due(second),
            "tasks {} and {} in deadline order",
            pair[0].0,
            pair[1].0
        );
        let both_timers = !first.due_when_filed && !second.due_when_filed;
        if due(first) == due(second) && both_timers {
            assert!(first.filed < second.filed, "{} and {} in filing order", pair[0].0, pair[1].0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(
            concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/time_model.txt")
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn sleeps_resets_cancels_and_jumps_agree_with_the_model(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let runtime =
                Builder::new_current_thread().enable_all().start_paused(true).warnings(false).build().unwrap();
            runtime.block_on(run(ops));
            done.send(()).unwrap();
        });
        let outcome = finished.recv_timeout(Duration::from_secs(20));
        prop_assert!(outcome.is_ok(), "the run finished within 20 s without a panic");
    }
}
