//! The clock that drives a wheel: real monotonic time, or paused time that moves only when told to.
//!
//! The wheel counts whole milliseconds from an epoch; programs speak [`Instant`] and [`Duration`].
//! A [`Clock`] owns the epoch and converts between the two, rounding so that nothing fires early:
//! a deadline rounds *up* to the next whole millisecond ([`Clock::instant_to_ms`]), while the
//! current time rounds *down* ([`Clock::now_ms`]). A timer therefore fires only once
//! `now_ms >= deadline_ms`, which implies `now >= deadline`.
//!
//! ```text
//!  instants:   epoch        deadline (10.2 ms)   now (10.9 ms)         now (11.0 ms)
//!                |                 |                  |                     |
//!  ms:           0 ... 10          11 (rounded up)    10 (rounded down)     11  -> fires
//! ```
//!
//! Paused time is what makes timer tests deterministic: a paused clock stands still until
//! [`Clock::advance`] moves it (or, in the runtime, until every task is idle and the executor jumps
//! it to the next deadline), so a test of a one-hour timeout runs in microseconds.

#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::time::{Duration, Instant};

/// A monotonic clock with an epoch, in one of two modes: running (real time) or paused.
///
/// The clock uses interior mutability (`Cell`), so the executor can share `&Clock` between the
/// run loop and the time API. It is for one thread: [`Clock`] is `Send` but not `Sync`.
pub struct Clock {
    /// The instant that is 0 ms for the wheel.
    start: Instant,
    mode: Cell<Mode>,
}

/// What [`Clock::now`] reports.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// Real time, never paused: the clock's time is the real instant. Holds from
    /// [`Clock::real`] until the first pause; it is `Running` with no offset, kept apart
    /// because every `sleep` and `timeout` reads the clock, and this reading is one system
    /// clock read with no arithmetic.
    Real,
    /// Real time, continuing from `clock_at_resume` since the real instant `real_at_resume`.
    /// Holds after [`Clock::resume`].
    Running { real_at_resume: Instant, clock_at_resume: Instant },
    /// Frozen at `now` until [`Clock::advance`] or [`Clock::resume`].
    /// Holds from [`Clock::paused`], and after [`Clock::pause`].
    Paused { now: Instant },
}

impl Clock {
    /// A running clock whose epoch is the current real instant.
    pub fn real() -> Self {
        Clock { start: Instant::now(), mode: Cell::new(Mode::Real) }
    }

    /// A paused clock whose epoch, and current time, is the current real instant.
    pub fn paused() -> Self {
        let start = Instant::now();
        Clock { start, mode: Cell::new(Mode::Paused { now: start }) }
    }

    /// The epoch: the instant that the wheel calls 0 ms.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// Whether the clock is paused.
    pub fn is_paused(&self) -> bool {
        matches!(self.mode.get(), Mode::Paused { .. })
    }

    /// The clock's current time. Never earlier than a previous answer.
    pub fn now(&self) -> Instant {
        match self.mode.get() {
            Mode::Real => Instant::now(),
            Mode::Paused { now } => now,
            Mode::Running { real_at_resume, clock_at_resume } => {
                let real_since_resume = real_at_resume.elapsed();
                saturating_add(clock_at_resume, real_since_resume)
            }
        }
    }

    /// Freezes the clock at its current time. Does nothing if it is already paused.
    pub fn pause(&self) {
        let now = self.now();
        self.mode.set(Mode::Paused { now });
    }

    /// Lets the clock run again, in real time, from where it was paused. Does nothing if it is
    /// already running.
    pub fn resume(&self) {
        let Mode::Paused { now } = self.mode.get() else {
            return;
        };
        let running = Mode::Running { real_at_resume: Instant::now(), clock_at_resume: now };
        self.mode.set(running);
    }

    /// Moves a paused clock forward by `duration`, saturating at the latest representable instant.
    ///
    /// # Panics
    ///
    /// If the clock is running: real time cannot be advanced by hand.
    pub fn advance(&self, duration: Duration) {
        let Mode::Paused { now } = self.mode.get() else {
            panic!("Clock::advance called on a running clock; pause it first");
        };
        let later = saturating_add(now, duration);
        self.mode.set(Mode::Paused { now: later });
    }

    /// Converts a deadline to wheel milliseconds, rounding *up* so that it never fires early.
    ///
    /// Instants before the epoch map to 0; instants too far away for a `u64` map to [`u64::MAX`].
    pub fn instant_to_ms(&self, deadline: Instant) -> u64 {
        let since_start = deadline.saturating_duration_since(self.start);
        let whole_ms = since_start.as_millis();
        let has_fraction = since_start.subsec_nanos() % 1_000_000 != 0;
        let rounded_up_ms = whole_ms + u128::from(has_fraction);
        u64::try_from(rounded_up_ms).unwrap_or(u64::MAX)
    }

    /// Converts wheel milliseconds back to an instant, saturating at the latest representable one.
    pub fn ms_to_instant(&self, time_ms: u64) -> Instant {
        saturating_add(self.start, Duration::from_millis(time_ms))
    }

    /// The current time in wheel milliseconds, rounded *down*: the value to pass to
    /// [`Wheel::advance_to`](crate::Wheel::advance_to).
    ///
    /// Rounding down is the other half of never firing early: a deadline of 10.2 ms is filed at
    /// 11 ms, and at 10.9 ms this returns 10, so the timer waits for 11.0 ms.
    pub fn now_ms(&self) -> u64 {
        let since_start = self.now().saturating_duration_since(self.start);
        let whole_ms = since_start.as_millis();
        u64::try_from(whole_ms).unwrap_or(u64::MAX)
    }

    /// How long from now until wheel time `deadline_ms`, zero if it has passed: the timeout to
    /// park with when [`Wheel::next_expiry`](crate::Wheel::next_expiry) returns `deadline_ms`.
    pub fn duration_until_ms(&self, deadline_ms: u64) -> Duration {
        let deadline = self.ms_to_instant(deadline_ms);
        deadline.saturating_duration_since(self.now())
    }
}

/// `instant + duration`, or the latest instant this platform can represent on the way there.
///
/// `Instant` has no saturating addition, so this halves the step until it fits. It loops at most
/// about 128 times, and only for absurd durations such as [`Duration::MAX`].
pub fn saturating_add(instant: Instant, duration: Duration) -> Instant {
    let mut reached = instant;
    let mut remaining = duration;
    while !remaining.is_zero() {
        match reached.checked_add(remaining) {
            Some(later) => return later,
            None => {
                let half = remaining / 2;
                if let Some(later) = reached.checked_add(half) {
                    reached = later;
                }
                remaining = half;
            }
        }
    }
    reached
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let since_start = self.now().saturating_duration_since(self.start);
        f.debug_struct("Clock")
            .field("paused", &self.is_paused())
            .field("since_start", &since_start)
            .field("start", &self.start)
            .finish()
    }
}
