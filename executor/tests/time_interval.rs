//! `interval` and each `MissedTickBehavior`, on a paused clock. A period of 10 ms; the clock is
//! pushed 35 ms ahead in one step, so the ticks due at 10, 20 and 30 ms are late.

use std::time::Duration;

use clockwork::time::{self, Instant, MissedTickBehavior, interval};

const PERIOD: Duration = Duration::from_millis(10);

/// Ticks four times after a 35 ms stall; returns when each tick was *due* and when it *came*,
/// in ms since the start.
async fn ticks_after_a_stall(behavior: MissedTickBehavior) -> Vec<(u128, u128)> {
    let start = Instant::now();
    let mut ticker = interval(PERIOD);
    ticker.set_missed_tick_behavior(behavior);
    let first = ticker.tick().await;
    assert_eq!(first, start, "the first tick is immediate");
    time::advance(Duration::from_millis(35)).await;
    let mut seen = Vec::new();
    for _ in 0..4 {
        let due = ticker.tick().await;
        seen.push(((due - start).as_millis(), start.elapsed().as_millis()));
    }
    seen
}

#[clockwork::test(start_paused = true)]
async fn burst_catches_up_then_keeps_the_grid() {
    let ticks = ticks_after_a_stall(MissedTickBehavior::Burst).await;
    assert_eq!(ticks, vec![(10, 35), (20, 35), (30, 35), (40, 40)]);
}

#[clockwork::test(start_paused = true)]
async fn delay_restarts_the_period_from_the_late_tick() {
    let ticks = ticks_after_a_stall(MissedTickBehavior::Delay).await;
    assert_eq!(ticks, vec![(10, 35), (45, 45), (55, 55), (65, 65)]);
}

#[clockwork::test(start_paused = true)]
async fn skip_drops_missed_ticks_and_keeps_the_grid() {
    let ticks = ticks_after_a_stall(MissedTickBehavior::Skip).await;
    assert_eq!(ticks, vec![(10, 35), (40, 40), (50, 50), (60, 60)]);
}

#[clockwork::test(start_paused = true)]
async fn burst_is_the_default_and_on_time_ticks_follow_the_period() {
    let start = Instant::now();
    let mut ticker = interval(PERIOD);
    assert_eq!(ticker.missed_tick_behavior(), MissedTickBehavior::Burst);
    for expected_ms in [0, 10, 20, 30] {
        let due = ticker.tick().await;
        assert_eq!((due - start).as_millis(), expected_ms);
        assert_eq!(start.elapsed().as_millis(), expected_ms);
    }
}

#[clockwork::test(start_paused = true)]
async fn reset_moves_the_next_tick_one_period_from_now() {
    let start = Instant::now();
    let mut ticker = interval(PERIOD);
    ticker.tick().await;
    time::advance(Duration::from_millis(3)).await;
    ticker.reset();
    ticker.tick().await;
    assert_eq!(start.elapsed(), Duration::from_millis(13));
}

#[test]
#[should_panic(expected = "interval period must be non-zero")]
fn a_zero_period_panics() {
    let runtime = clockwork::runtime::Runtime::new().unwrap();
    runtime.block_on(async { interval(Duration::ZERO) });
}
