//! A paused `Clock` driving a `Wheel` the way the executor does: deadlines from `instant_to_ms`,
//! the hand from `now_ms`. Zero and sub-millisecond durations must fire, and never early.

mod util;

use std::time::Duration;

use clockwork_timer::{Clock, Wheel};
use util::{WakeLog, wake_all};

/// Moves the wheel to the clock's current time and returns the ids that fired.
fn advance(wheel: &mut Wheel, clock: &Clock, log: &WakeLog) -> Vec<u64> {
    let mut fired = Vec::new();
    wheel.advance_to(clock.now_ms(), &mut fired);
    wake_all(&mut fired);
    log.take()
}

#[test]
fn a_zero_duration_fires_on_the_next_advance_without_time_passing() {
    let clock = Clock::paused();
    clock.advance(Duration::from_millis(3));
    let (mut wheel, log) = (Wheel::new(), WakeLog::default());
    advance(&mut wheel, &clock, &log);

    let deadline = clock.now() + Duration::ZERO;
    wheel.insert(clock.instant_to_ms(deadline), log.waker(1));
    assert_eq!(advance(&mut wheel, &clock, &log), [1]);
}

#[test]
fn sub_millisecond_durations_wait_for_the_next_whole_millisecond() {
    let clock = Clock::paused();
    // The clock sits between two milliseconds, as a real clock almost always does.
    clock.advance(Duration::from_micros(4_300));
    let (mut wheel, log) = (Wheel::new(), WakeLog::default());
    advance(&mut wheel, &clock, &log);

    let deadline = clock.now() + Duration::from_micros(200);
    let deadline_ms = clock.instant_to_ms(deadline);
    assert_eq!(deadline_ms, 5, "4.5 ms rounds up");
    wheel.insert(deadline_ms, log.waker(1));

    // Step through time in 100 µs ticks; the timer must fire on the first tick at or after 4.5 ms,
    // or the first whole millisecond after it, and never before the deadline.
    let mut fired_at = None;
    for _tick in 0..20 {
        clock.advance(Duration::from_micros(100));
        if !advance(&mut wheel, &clock, &log).is_empty() {
            fired_at = Some(clock.now());
            break;
        }
    }
    let fired_at = fired_at.expect("the timer fires within 2 ms");
    assert!(fired_at >= deadline, "never early");
    assert_eq!(fired_at, clock.ms_to_instant(5), "no later than the next whole millisecond");
}

#[test]
fn duration_max_is_accepted_and_never_fires() {
    let clock = Clock::paused();
    let (mut wheel, log) = (Wheel::new(), WakeLog::default());
    let far_deadline = clock.ms_to_instant(u64::MAX);
    let key = wheel.insert(clock.instant_to_ms(far_deadline), log.waker(1));
    assert_eq!(wheel.deadline_ms(key), Some(u64::MAX));

    clock.advance(Duration::from_secs(10 * 365 * 24 * 3_600));
    assert!(advance(&mut wheel, &clock, &log).is_empty(), "not after ten years either");
    assert!(wheel.is_live(key));
}

#[test]
fn a_second_clock_that_is_behind_fires_nothing_early() {
    // Two clocks with the same epoch disagree, as if the time source jumped backwards.
    let ahead = Clock::paused();
    ahead.advance(Duration::from_millis(100));
    let (mut wheel, log) = (Wheel::new(), WakeLog::default());
    advance(&mut wheel, &ahead, &log);
    wheel.insert(120, log.waker(1));

    ahead.pause();
    let behind_ms = ahead.now_ms() - 60;
    let mut fired = Vec::new();
    wheel.advance_to(behind_ms, &mut fired);
    assert!(fired.is_empty());
    assert_eq!(wheel.hand_ms(), 100);

    ahead.advance(Duration::from_millis(20));
    assert_eq!(advance(&mut wheel, &ahead, &log), [1]);
}
