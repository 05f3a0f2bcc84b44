//! The runtime's side of time: the clock, the wheel, and firing what is due.
//!
//! The wheel lives behind a `RefCell` and is borrowed only for the length of one call here.
//! Wakers that fire are collected first and called after the borrow ends: a waker may poll a
//! future inline, drop a [`Sleep`] (which cancels its entry) or create one, and each of those
//! borrows the wheel again.
//!
//! [`Sleep`]: crate::time::Sleep

use std::cell::RefCell;
use std::fmt;
use std::mem;
use std::task::Waker;
use std::time::{Duration, Instant};

use clockwork_timer::{Clock, TimerKey, Wheel};

use crate::contain;

/// The clock and the wheel of one runtime.
pub(crate) struct TimeDriver {
    pub(crate) clock: Clock,
    wheel: RefCell<Wheel>,
    /// Reused between firings so that firing allocates nothing in the steady state.
    fired: RefCell<Vec<Waker>>,
}

impl TimeDriver {
    pub(crate) fn new(start_paused: bool) -> TimeDriver {
        let clock = if start_paused { Clock::paused() } else { Clock::real() };
        TimeDriver { clock, wheel: RefCell::new(Wheel::new()), fired: RefCell::new(Vec::new()) }
    }

    /// Files a timer for `deadline`.
    pub(crate) fn insert(&self, deadline: Instant, waker: Waker) -> TimerKey {
        let deadline_ms = self.clock.instant_to_ms(deadline);
        self.wheel.borrow_mut().insert(deadline_ms, waker)
    }

    /// Keeps a live timer's waker up to date. False if the timer already fired.
    pub(crate) fn set_waker(&self, key: TimerKey, waker: &Waker) -> bool {
        let update = self.wheel.borrow_mut().set_waker(key, waker);
        // The wheel is no longer borrowed: the replaced waker (if any) may be dropped.
        update.is_live()
    }

    /// Moves a live timer to a new deadline, updating its key. False if it already fired.
    pub(crate) fn reset(&self, key: &mut TimerKey, deadline: Instant) -> bool {
        let deadline_ms = self.clock.instant_to_ms(deadline);
        self.wheel.borrow_mut().reset(key, deadline_ms)
    }

    /// Whether a timer is still filed: neither fired nor cancelled.
    pub(crate) fn is_live(&self, key: TimerKey) -> bool {
        self.wheel.borrow().is_live(key)
    }

    /// Removes a timer; its waker is dropped after the wheel's borrow ends.
    pub(crate) fn cancel(&self, key: TimerKey) {
        let waker = self.wheel.borrow_mut().remove(key);
        drop(waker);
    }

    /// When the driver must look at the wheel next (it may be a point where timers only cascade).
    pub(crate) fn next_deadline_ms(&self) -> Option<u64> {
        self.wheel.borrow().next_expiry()
    }

    /// Where a paused clock may jump: the next real deadline or cascade point, never a mere
    /// refiling point of far timers (see [`Wheel::next_deadline_ms`]).
    pub(crate) fn next_jump_ms(&self) -> Option<u64> {
        self.wheel.borrow().next_deadline_ms()
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.clock.is_paused()
    }

    pub(crate) fn duration_until_ms(&self, deadline_ms: u64) -> Duration {
        self.clock.duration_until_ms(deadline_ms)
    }

    /// Moves a paused clock forward to wheel time `deadline_ms` (never backwards).
    pub(crate) fn advance_clock_to_ms(&self, deadline_ms: u64) {
        let step = self.clock.duration_until_ms(deadline_ms);
        self.clock.advance(step);
    }

    // ANCHOR: fire_due
    /// Advances the wheel to the clock's now and wakes every timer that expired.
    pub(crate) fn fire_due(&self) -> usize {
        let now_ms = self.clock.now_ms();
        let mut fired = mem::take(&mut *self.fired.borrow_mut());
        self.wheel.borrow_mut().advance_to(now_ms, &mut fired);
        // The wheel is no longer borrowed: the wakers may touch it. A waker that panics does
        // not cut the batch short: its panic is contained (`contain.rs`).
        let count = fired.len();
        for waker in fired.drain(..) {
            contain::wake(waker);
        }
        *self.fired.borrow_mut() = fired;
        count
    }
    // ANCHOR_END: fire_due

    /// Drops every timer (at shutdown). The wheel is swapped out first, so that wakers dropped
    /// with it can do what they like.
    pub(crate) fn clear(&self) {
        let old = mem::take(&mut *self.wheel.borrow_mut());
        drop(old);
    }

    pub(crate) fn timers(&self) -> usize {
        self.wheel.borrow().len()
    }

    /// The wheel level by level, with its occupied slots (the step mode's `t` key).
    pub(crate) fn describe_wheel(&self) -> String {
        let Ok(wheel) = self.wheel.try_borrow() else {
            return "the wheel is being changed right now\n".to_string();
        };
        let mut out = format!("wheel: hand at +{}ms, {} timer(s)\n", wheel.hand_ms(), wheel.len());
        for level in 0..6 {
            let slots = wheel.occupied_slots(level);
            let slots = if slots.is_empty() { "-".to_string() } else { format!("{slots:?}") };
            let width_ms = 64_u64.pow(level as u32);
            out += &format!("  level {level} (slots of {width_ms} ms): {slots}\n");
        }
        out
    }

    /// The number of timers, or `None` if the wheel is borrowed (at a debugger stop).
    pub(crate) fn try_timers(&self) -> Option<usize> {
        self.wheel.try_borrow().ok().map(|wheel| wheel.len())
    }
}

impl fmt::Debug for TimeDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeDriver")
            .field("paused", &self.clock.is_paused())
            .field("timers", &self.wheel.try_borrow().map(|w| w.len()).ok())
            .finish()
    }
}
