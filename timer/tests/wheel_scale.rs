//! A million timers: inserted and cancelled, and inserted and fired. These check that the wheel
//! stays correct at scale and that storage is reused; speed is measured in `benches/wheel.rs`.

use clockwork_timer::{TimerKey, Wheel};
use std::task::Waker;

const TIMERS: u64 = 1_000_000;

/// Deadlines scattered over about 17 minutes, so that every level up to 3 is used.
fn scattered_deadline_ms(timer: u64) -> u64 {
    // Multiplying by a number coprime to the range visits every deadline once, out of order.
    let range_ms = TIMERS;
    (timer * 7_919) % range_ms + 1
}

#[test]
fn a_million_timers_inserted_then_cancelled() {
    let mut wheel = Wheel::new();
    let keys: Vec<TimerKey> = (0..TIMERS)
        .map(|timer| wheel.insert(scattered_deadline_ms(timer), Waker::noop().clone()))
        .collect();
    assert_eq!(wheel.len(), TIMERS as usize);
    assert_eq!(wheel.next_expiry(), Some(1));

    let cancelled = keys.iter().filter(|key| wheel.cancel(**key)).count();
    assert_eq!(cancelled, TIMERS as usize);
    assert!(wheel.is_empty());
    assert_eq!(wheel.next_expiry(), None, "every slot's bit is clear again");

    // Freed entries are reused: a new timer takes one of them instead of growing the slab.
    let reused = wheel.insert(5, Waker::noop().clone());
    assert!(reused.index() < TIMERS as u32, "entry {} is new", reused.index());
    let mut fired = Vec::new();
    wheel.advance_to(TIMERS, &mut fired);
    assert_eq!(fired.len(), 1, "only the new timer fires; the cancelled ones never do");
}

#[test]
fn a_million_timers_inserted_then_fired() {
    let mut wheel = Wheel::with_capacity(TIMERS as usize);
    for timer in 0..TIMERS {
        wheel.insert(scattered_deadline_ms(timer), Waker::noop().clone());
    }
    let mut fired = Vec::with_capacity(TIMERS as usize);

    // Half of the time first: exactly the timers with deadlines 1..=500_000 fire.
    let half_ms = TIMERS / 2;
    wheel.advance_to(half_ms, &mut fired);
    assert_eq!(fired.len(), half_ms as usize);
    assert_eq!(wheel.next_expiry(), Some(half_ms + 1));

    fired.clear();
    wheel.advance_to(TIMERS, &mut fired);
    assert_eq!(fired.len(), (TIMERS - half_ms) as usize);
    assert!(wheel.is_empty());
}
