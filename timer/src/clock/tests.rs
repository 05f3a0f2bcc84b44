//! Unit tests of the clock: paused time, and the rounding that keeps timers from firing early.
//! None of them waits on the real clock.

use std::time::Duration;

use super::Clock;

#[test]
fn a_paused_clock_moves_only_when_advanced() {
    let clock = Clock::paused();
    assert!(clock.is_paused());
    let before = clock.now();
    assert_eq!(clock.now(), before);
    clock.advance(Duration::from_millis(250));
    assert_eq!(clock.now() - before, Duration::from_millis(250));
    assert_eq!(clock.now_ms(), 250);
}

#[test]
fn deadlines_round_up_and_now_rounds_down() {
    let clock = Clock::paused();
    let start = clock.start();
    assert_eq!(clock.instant_to_ms(start), 0, "zero duration: due at once");
    assert_eq!(clock.instant_to_ms(start + Duration::from_nanos(1)), 1);
    assert_eq!(clock.instant_to_ms(start + Duration::from_micros(1_500)), 2);
    assert_eq!(clock.instant_to_ms(start + Duration::from_millis(7)), 7);

    clock.advance(Duration::from_micros(1_999));
    assert_eq!(clock.now_ms(), 1, "1.999 ms is not yet 2 ms");
}

#[test]
fn instants_before_the_epoch_map_to_zero() {
    let clock = Clock::paused();
    clock.advance(Duration::from_secs(1));
    let start = clock.start();
    // An instant before the epoch may not be representable on every platform; skip it there.
    if let Some(before) = start.checked_sub(Duration::from_millis(5)) {
        assert_eq!(clock.instant_to_ms(before), 0);
    }
}

#[test]
fn ms_to_instant_inverts_instant_to_ms_on_whole_milliseconds() {
    let clock = Clock::paused();
    for time_ms in [0, 1, 64, 9_000, 1 << 36] {
        let instant = clock.ms_to_instant(time_ms);
        assert_eq!(clock.instant_to_ms(instant), time_ms);
    }
}

#[test]
fn far_instants_saturate_instead_of_overflowing() {
    let clock = Clock::paused();
    let far = clock.ms_to_instant(u64::MAX);
    assert!(far > clock.now());
    clock.advance(Duration::MAX);
    assert!(clock.now() >= far, "advance saturates at the latest representable instant");
    assert_eq!(clock.duration_until_ms(0), Duration::ZERO);
}

#[test]
fn pause_freezes_and_resume_continues_from_the_paused_time() {
    let clock = Clock::real();
    assert!(!clock.is_paused());
    clock.pause();
    assert!(clock.is_paused());
    clock.advance(Duration::from_secs(3_600));
    let paused_at = clock.now();
    clock.resume();
    assert!(!clock.is_paused());
    assert!(clock.now() >= paused_at, "resuming never moves time back");
    clock.resume();
    assert!(!clock.is_paused(), "resuming twice is harmless");
}

#[test]
fn duration_until_ms_is_the_park_timeout() {
    let clock = Clock::paused();
    clock.advance(Duration::from_micros(10_400));
    assert_eq!(clock.duration_until_ms(12), Duration::from_micros(1_600));
}

#[test]
#[should_panic(expected = "running clock")]
fn advancing_a_running_clock_panics() {
    Clock::real().advance(Duration::from_millis(1));
}

#[test]
fn debug_output_names_the_state() {
    let clock = Clock::paused();
    clock.advance(Duration::from_millis(2));
    let text = format!("{clock:?}");
    assert!(text.contains("paused: true"), "{text}");
    assert!(text.contains("since_start: 2ms"), "{text}");
}
