//! Time: `sleep`, `timeout`, `interval`, and paused time for tests.
//!
//! Every timer is an entry in the runtime's hierarchical timing wheel (the `clockwork-timer`
//! crate). The path from `sleep(d).await` to the waker firing:
//!
//! ```text
//!  1. sleep(d)            -> Sleep { deadline: now + d }            (nothing filed yet)
//!  2. first poll          -> deadline not reached: file (deadline, waker) in the wheel,
//!                            keep the TimerKey, return Pending
//!  3. run loop idle       -> Driver::park asks the wheel for the next deadline and sleeps
//!                            in epoll_wait at most that long
//!  4. after the sleep     -> TimeDriver::fire_due advances the wheel to now; the entry
//!                            expires and its waker is called (after the wheel's borrow ends)
//!  5. the task is queued  -> polled again: now >= deadline, so Sleep returns Ready
//!  (drop before 5)        -> Sleep::drop removes the entry by its key
//! ```
//!
//! `Instant::now()` follows the runtime's clock, which may be *paused* ([`pause`],
//! [`Builder::start_paused`](crate::runtime::Builder::start_paused),
//! `#[clockwork::test(start_paused = true)]`). A paused clock moves only through [`advance`],
//! or when every task is idle: then the runtime jumps it straight to the next deadline, as
//! tokio does, so a test of a one-hour timeout runs in microseconds. It does not jump while a
//! `spawn_blocking` job runs, nor to a deadline more than about 2.2 years away: such a
//! deadline (`sleep(Duration::MAX)`, say) means "never".

pub(crate) mod driver;
mod elapsed;
mod instant;
mod interval;
mod sleep;
mod timeout;

pub use std::time::Duration;

pub use elapsed::Elapsed;
pub use instant::Instant;
pub use interval::{Interval, MissedTickBehavior, interval, interval_at};
pub use sleep::{Sleep, sleep, sleep_until};
pub use timeout::{Timeout, timeout, timeout_at};

/// Error types of the time API, under tokio's path.
pub mod error {
    pub use super::Elapsed;
}

use crate::runtime::context;
use crate::runtime::settings::Flavor;

/// Pauses the clock of the current runtime.
///
/// # Panics
///
/// Panics outside a Clockwork runtime, if time is already paused, or on a runtime built with
/// `Builder::new_multi_thread`. Clockwork could pause that one too (it runs on one thread
/// whatever the flavor), but tokio cannot, and a program that paused time here would then
/// panic there.
#[track_caller]
pub fn pause() {
    // The checks are made here rather than in the closure, so that the panic names the
    // caller's line (`#[track_caller]` does not reach into closures).
    let refused = context::expect_core("time::pause", |core| {
        if core.config.settings.flavor == Flavor::MultiThread {
            return Some(PAUSE_NEEDS_CURRENT_THREAD);
        }
        let clock = &core.time().clock;
        if clock.is_paused() {
            return Some("time::pause called while time is already paused");
        }
        clock.pause();
        None
    });
    if let Some(message) = refused {
        panic!("{message}");
    }
}

/// Why `pause` and `Builder::start_paused` refuse a multi-thread runtime, in tokio's words.
pub(crate) const PAUSE_NEEDS_CURRENT_THREAD: &str = "`time::pause()` requires the \
    `current_thread` runtime, as on tokio: build it with `Builder::new_current_thread()` \
    (the default of `#[clockwork::test]`)";

/// Lets the paused clock of the current runtime run again, from where it stood.
///
/// # Panics
///
/// Panics outside a Clockwork runtime, or if time is not paused.
#[track_caller]
pub fn resume() {
    let was_paused = context::expect_core("time::resume", |core| {
        let clock = &core.time().clock;
        let was_paused = clock.is_paused();
        if was_paused {
            clock.resume();
        }
        was_paused
    });
    assert!(was_paused, "time::resume called while time is not paused");
}

/// Moves the paused clock forward by `duration`, fires every timer that became due, and yields
/// so that the tasks they woke run before this returns.
///
/// Unlike tokio, which steps through each deadline on the way, Clockwork jumps in one step: a
/// ticking `Interval` sees one late tick, handled by its [`MissedTickBehavior`].
///
/// # Panics
///
/// Panics outside a Clockwork runtime, or if time is not paused.
pub async fn advance(duration: Duration) {
    context::expect_core("time::advance", |core| {
        let time = core.time();
        assert!(time.clock.is_paused(), "time::advance called while time is not paused");
        time.clock.advance(duration);
        // The wakes that follow are the timer's, not the task's that called `advance`.
        core.as_timer(|time| time.fire_due());
    });
    crate::task::yield_now().await;
}
