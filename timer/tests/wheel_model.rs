//! The wheel against a model: a `BTreeMap` from timer id to deadline, under random insert, cancel,
//! reset and advance (forwards and backwards).
//!
//! After every advance, the ids that fired must be exactly the model's live timers whose deadline
//! is at or before the new time, in the order the model gives: earliest deadline first, then the
//! order of filing (an insert, or a reset of a live timer, files it anew). That one comparison
//! says that every live timer fires exactly once, never before its deadline, no later than the
//! first advance that passes it, and in order, and that a cancelled timer never fires (it is gone
//! from the model, so it cannot be expected).

mod util;

use std::collections::BTreeMap;

use clockwork_timer::{TimerKey, Wheel};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use util::{WakeLog, wake_all};

/// When a new or reset timer is due, relative to the wheel's current time.
#[derive(Debug, Clone, Copy)]
enum When {
    /// This many milliseconds from now (0 means now).
    In(u64),
    /// This many milliseconds ago (saturating at 0).
    Ago(u64),
    /// The `steps`-th multiple of 64^`level` after now: the first millisecond of a slot, where
    /// off-by-one mistakes in the slot arithmetic would show.
    Aligned { level: u32, steps: u64 },
    /// `u64::MAX`: effectively never.
    Never,
}

#[derive(Debug, Clone)]
enum Op {
    Insert(When),
    /// Cancels the `pick`-th key ever handed out (modulo their number), live or stale.
    Cancel {
        pick: usize,
    },
    /// Resets the `pick`-th key ever handed out, live or stale.
    Reset {
        pick: usize,
        when: When,
    },
    /// Advances to now plus this many milliseconds (saturating).
    Advance(u64),
    /// Advances to a slot boundary (see `When::Aligned`).
    AdvanceAligned {
        level: u32,
        steps: u64,
    },
    /// Advances to now minus this many milliseconds: a clock that went backwards.
    GoBack(u64),
    /// Inserts this many timers at one deadline, then cancels them all: cancelled timers pile
    /// up in live lists until the wheel frees or sweeps them, which must not disturb the
    /// live ones.
    Churn {
        count: u32,
        when: When,
    },
}

/// Distances that land on every level, beyond the top level, and at the edges of levels.
fn distance_ms() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => 0..70u64,
        3 => 0..5_000u64,
        2 => 0..300_000u64,
        1 => 0..20_000_000u64,
        1 => 0..(1u64 << 38),
        1 => (1..7u32).prop_map(|level| 1u64 << (6 * level)),
    ]
}

fn aligned() -> impl Strategy<Value = (u32, u64)> {
    (0..7u32, 1..4u64)
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        6 => distance_ms().prop_map(When::In),
        3 => aligned().prop_map(|(level, steps)| When::Aligned { level, steps }),
        1 => (0..1_000u64).prop_map(When::Ago),
        1 => Just(When::Never),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => when().prop_map(Op::Insert),
        2 => any::<usize>().prop_map(|pick| Op::Cancel { pick }),
        2 => (any::<usize>(), when()).prop_map(|(pick, when)| Op::Reset { pick, when }),
        3 => distance_ms().prop_map(Op::Advance),
        2 => aligned().prop_map(|(level, steps)| Op::AdvanceAligned { level, steps }),
        1 => (0..1_000u64).prop_map(Op::GoBack),
        1 => (1..3_000u32, when()).prop_map(|(count, when)| Op::Churn { count, when }),
    ]
}

/// The `steps`-th multiple of 64^`level` after `now_ms`, saturating.
fn aligned_ms(now_ms: u64, level: u32, steps: u64) -> u64 {
    let span_ms = 1u64 << (6 * level);
    let current_multiple = now_ms / span_ms;
    current_multiple.saturating_add(steps).saturating_mul(span_ms)
}

/// The wheel under test next to its model.
struct Harness {
    wheel: Wheel,
    log: WakeLog,
    /// Every key handed out, with the id its waker reports.
    keys: Vec<(u64, TimerKey)>,
    /// The model: live timer ids, with their deadline and when they were last filed.
    live: BTreeMap<u64, (u64, u64)>,
    /// Filings so far: the model's clock for "filed before".
    filings: u64,
    /// The model's notion of the wheel's current time.
    now_ms: u64,
}

impl Harness {
    fn new() -> Self {
        Harness {
            wheel: Wheel::new(),
            log: WakeLog::default(),
            keys: Vec::new(),
            live: BTreeMap::new(),
            filings: 0,
            now_ms: 0,
        }
    }

    fn deadline_ms(&self, when: When) -> u64 {
        match when {
            When::In(distance_ms) => self.now_ms.saturating_add(distance_ms),
            When::Ago(distance_ms) => self.now_ms.saturating_sub(distance_ms),
            When::Aligned { level, steps } => aligned_ms(self.now_ms, level, steps),
            When::Never => u64::MAX,
        }
    }

    fn pick(&self, pick: usize) -> Option<(u64, TimerKey)> {
        if self.keys.is_empty() {
            return None;
        }
        Some(self.keys[pick % self.keys.len()])
    }

    fn apply(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::Insert(when) => {
                let id = self.keys.len() as u64;
                let deadline_ms = self.deadline_ms(when);
                let key = self.wheel.insert(deadline_ms, self.log.waker(id));
                self.keys.push((id, key));
                self.filings += 1;
                self.live.insert(id, (deadline_ms, self.filings));
            }
            Op::Cancel { pick } => {
                let Some((id, key)) = self.pick(pick) else {
                    return Ok(());
                };
                let was_live = self.live.remove(&id).is_some();
                prop_assert_eq!(self.wheel.cancel(key), was_live, "cancel of timer {}", id);
            }
            Op::Reset { pick, when } => {
                if self.keys.is_empty() {
                    return Ok(());
                }
                let slot = pick % self.keys.len();
                let (id, mut key) = self.keys[slot];
                let deadline_ms = self.deadline_ms(when);
                let was_live = self.live.contains_key(&id);
                if was_live {
                    self.filings += 1;
                    self.live.insert(id, (deadline_ms, self.filings));
                }
                let reset = self.wheel.reset(&mut key, deadline_ms);
                prop_assert_eq!(reset, was_live, "reset of {}", id);
                self.keys[slot].1 = key;
            }
            Op::Advance(distance_ms) => self.advance_to(self.now_ms.saturating_add(distance_ms))?,
            Op::AdvanceAligned { level, steps } => {
                self.advance_to(aligned_ms(self.now_ms, level, steps))?
            }
            Op::GoBack(distance_ms) => self.advance_to(self.now_ms.saturating_sub(distance_ms))?,
            Op::Churn { count, when } => {
                // Cancelled oldest first, so that each note but the last is not at the end of
                // its list: those are retired in place rather than popped.
                let deadline_ms = self.deadline_ms(when);
                let keys: Vec<TimerKey> = (0..count)
                    .map(|_| self.wheel.insert(deadline_ms, self.log.waker(u64::MAX)))
                    .collect();
                for key in keys {
                    prop_assert!(self.wheel.cancel(key), "a churned timer cancels");
                }
            }
        }
        self.check_invariants()
    }

    fn advance_to(&mut self, now_ms: u64) -> Result<(), TestCaseError> {
        let mut fired = Vec::new();
        self.wheel.advance_to(now_ms, &mut fired);
        wake_all(&mut fired);
        let fired_ids = self.log.take();

        // A clock that went backwards moves nothing and fires nothing.
        if now_ms < self.now_ms {
            prop_assert_eq!(fired_ids, Vec::<u64>::new(), "fired when going back to {}", now_ms);
            return Ok(());
        }
        self.now_ms = now_ms;
        let mut due: Vec<(u64, u64, u64)> = self
            .live
            .iter()
            .filter(|(_, (deadline_ms, _))| *deadline_ms <= now_ms)
            .map(|(id, (deadline_ms, filed))| (*deadline_ms, *filed, *id))
            .collect();
        due.sort_unstable();
        let expected_ids: Vec<u64> = due.iter().map(|&(_, _, id)| id).collect();
        for id in &expected_ids {
            self.live.remove(id);
        }
        prop_assert_eq!(fired_ids, expected_ids, "fired at {}", now_ms);
        Ok(())
    }

    fn check_invariants(&self) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.wheel.len(), self.live.len());
        prop_assert_eq!(self.wheel.hand_ms(), self.now_ms);
        for (id, key) in &self.keys {
            prop_assert_eq!(self.wheel.is_live(*key), self.live.contains_key(id), "timer {}", id);
        }
        // next_expiry is never later than the earliest deadline, and never before now.
        let earliest_deadline_ms = self.live.values().map(|(deadline_ms, _)| *deadline_ms).min();
        let next_expiry_ms = self.wheel.next_expiry();
        prop_assert_eq!(next_expiry_ms.is_some(), earliest_deadline_ms.is_some());
        if let (Some(next_ms), Some(earliest_ms)) = (next_expiry_ms, earliest_deadline_ms) {
            prop_assert!(next_ms >= self.now_ms, "next_expiry {} is before now", next_ms);
            prop_assert!(
                next_ms <= earliest_ms.max(self.now_ms),
                "next_expiry {} is after the earliest deadline {}",
                next_ms,
                earliest_ms
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/wheel_model.txt"
        )))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn wheel_matches_a_btreemap_model(ops in prop::collection::vec(op(), 1..200)) {
        let mut harness = Harness::new();
        for op in ops {
            harness.apply(op)?;
        }
        // Finally advance to the end of time: every remaining timer must fire exactly once.
        harness.advance_to(u64::MAX)?;
        prop_assert!(harness.wheel.is_empty());
    }
}
