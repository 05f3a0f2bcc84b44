//! `Interval`: ticks at a fixed period, with a policy for ticks that were missed.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::time::{Instant, Sleep, sleep_until};

/// Ticks every `period`, the first tick at once.
///
/// # Panics
///
/// Panics if `period` is zero.
#[track_caller]
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// Ticks every `period`, the first tick at `start`.
///
/// # Panics
///
/// Panics if `period` is zero.
#[track_caller]
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(!period.is_zero(), "interval period must be non-zero");
    Interval { delay: sleep_until(start), period, missed_tick_behavior: MissedTickBehavior::Burst }
}

/// What an [`Interval`] does when a tick comes later than one period after it was due
/// (the task was busy, or the thread was blocked).
///
/// With a period of 10 ms, ticks due at 0, 10, 20, ... and a stall from 5 ms to 36 ms:
///
/// ```text
/// Burst (default): ticks at 36, 36, 36, then 40, 50, ...  (catch up, as fast as possible)
/// Delay:           ticks at 36, then 46, 56, ...          (start the period again from now)
/// Skip:            ticks at 36, then 40, 50, ...          (drop the missed ticks, keep the grid)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissedTickBehavior {
    /// Tick as fast as possible until caught up. tokio's default, and Clockwork's.
    #[default]
    Burst,
    /// Restart the schedule one period after the late tick.
    Delay,
    /// Skip the missed ticks; the next tick is the next one on the original grid.
    Skip,
}

/// A stream of ticks; see [`interval`].
#[derive(Debug)]
pub struct Interval {
    /// Sleeps until the next tick is due.
    delay: Sleep,
    period: Duration,
    missed_tick_behavior: MissedTickBehavior,
}

impl Interval {
    /// Waits for the next tick and returns the instant it was due.
    ///
    /// Cancel safety: cancel-safe; a tick is consumed only when `tick` returns it.
    pub async fn tick(&mut self) -> Instant {
        poll_fn(|cx| self.poll_tick(cx)).await
    }

    // ANCHOR: poll_tick
    /// Polls for the next tick.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        if Pin::new(&mut self.delay).poll(cx).is_pending() {
            return Poll::Pending;
        }
        let due = self.delay.deadline();
        let now = Instant::now();
        // On time means less than one whole period late; the wheel's resolution is 1 ms, so a
        // tick is always a little late in real time.
        let on_time = now < due.saturating_add(self.period);
        let next = match (on_time, self.missed_tick_behavior) {
            (true, _) | (false, MissedTickBehavior::Burst) => due.saturating_add(self.period),
            (false, MissedTickBehavior::Delay) => now.saturating_add(self.period),
            (false, MissedTickBehavior::Skip) => next_on_grid(due, now, self.period),
        };
        Pin::new(&mut self.delay).reset(next);
        Poll::Ready(due)
    }
    // ANCHOR_END: poll_tick

    /// Makes the next tick due one period from now.
    pub fn reset(&mut self) {
        let next = Instant::now().saturating_add(self.period);
        Pin::new(&mut self.delay).reset(next);
    }

    /// Makes the next tick due at once.
    pub fn reset_immediately(&mut self) {
        Pin::new(&mut self.delay).reset(Instant::now());
    }

    /// Makes the next tick due `after` from now (`Duration::MAX` saturates, as everywhere).
    pub fn reset_after(&mut self, after: Duration) {
        Pin::new(&mut self.delay).reset(Instant::now().saturating_add(after));
    }

    /// Makes the next tick due at `deadline`.
    pub fn reset_at(&mut self, deadline: Instant) {
        Pin::new(&mut self.delay).reset(deadline);
    }

    /// The policy for missed ticks.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed_tick_behavior
    }

    /// Sets the policy for missed ticks.
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed_tick_behavior = behavior;
    }

    /// The period between ticks.
    pub fn period(&self) -> Duration {
        self.period
    }
}

/// The first instant `due + k * period` (k >= 1) that is later than `now`.
fn next_on_grid(due: Instant, now: Instant, period: Duration) -> Instant {
    let late_ns = now.duration_since(due).as_nanos();
    let periods_missed = late_ns / period.as_nanos();
    let periods_to_next = u32::try_from(periods_missed + 1).unwrap_or(u32::MAX);
    due.saturating_add(period.saturating_mul(periods_to_next))
}
