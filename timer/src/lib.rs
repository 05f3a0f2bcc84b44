//! Clockwork's timers: a hierarchical timing wheel that files [`Waker`](std::task::Waker)s by
//! deadline, and the [`Clock`] that tells it what time it is.
//!
//! This crate knows nothing of I/O or tasks. The executor (`clockwork`) uses it in its run loop:
//! before parking it asks the wheel for the next deadline, and after parking it advances the wheel
//! to now and wakes whatever fired. Everything here can be driven by hand, which is how the tour
//! below and the tests use it.
//!
//! # A guided tour
//!
//! ## 1. File a waker, ask when it is due
//!
//! Times are whole milliseconds since the wheel's epoch. Inserting returns a [`TimerKey`], and
//! [`Wheel::next_expiry`] says when the wheel next has work to do.
//!
//! ```
//! use clockwork_timer::Wheel;
//! use std::task::Waker;
//!
//! let mut wheel = Wheel::new();
//! let key = wheel.insert(5, Waker::noop().clone());
//! assert!(wheel.is_live(key));
//! assert_eq!(wheel.next_expiry(), Some(5));
//! ```
//!
//! ## 2. Advance, then wake
//!
//! [`Wheel::advance_to`] moves the wheel's hand and hands back the wakers whose deadline passed. It
//! does not call them: the caller wakes them once it no longer borrows the wheel.
//!
//! ```
//! # use clockwork_timer::Wheel;
//! # use std::task::Waker;
//! let mut wheel = Wheel::new();
//! let key = wheel.insert(5, Waker::noop().clone());
//!
//! let mut fired = Vec::new();
//! wheel.advance_to(4, &mut fired);
//! assert!(fired.is_empty(), "4 ms is before the deadline");
//!
//! wheel.advance_to(5, &mut fired);
//! assert_eq!(fired.len(), 1);
//! assert!(!wheel.is_live(key), "a fired timer's key goes stale");
//! fired.drain(..).for_each(|waker| waker.wake());
//! ```
//!
//! ## 3. Far deadlines cascade down the levels
//!
//! A far deadline is filed coarsely, on a high level, and moves to finer levels as the hand
//! approaches. So `next_expiry` may first answer with the start of a coarse slot; advancing there
//! moves the timer down, and the next answer is closer. The [`wheel`] module draws this.
//!
//! ```
//! # use clockwork_timer::Wheel;
//! # use std::task::Waker;
//! let mut wheel = Wheel::new();
//! wheel.insert(9_000, Waker::noop().clone());
//! let mut fired = Vec::new();
//!
//! assert_eq!(wheel.next_expiry(), Some(8_192), "level 2: slots of 4096 ms");
//! wheel.advance_to(8_192, &mut fired);
//! assert_eq!(wheel.next_expiry(), Some(8_960), "level 1: slots of 64 ms");
//! wheel.advance_to(8_960, &mut fired);
//! assert_eq!(wheel.next_expiry(), Some(9_000), "level 0: the deadline itself");
//! wheel.advance_to(9_000, &mut fired);
//! assert_eq!(fired.len(), 1);
//! ```
//!
//! ## 4. A clock supplies the milliseconds
//!
//! A [`Clock`] converts [`Instant`](std::time::Instant)s to wheel milliseconds and back. A paused
//! clock moves only when advanced, which is how tests (and `clockwork::time::pause`) control time.
//!
//! ```
//! use clockwork_timer::{Clock, Wheel};
//! use std::task::Waker;
//! use std::time::Duration;
//!
//! let clock = Clock::paused();
//! let mut wheel = Wheel::new();
//! let deadline = clock.now() + Duration::from_micros(1_500);
//! wheel.insert(clock.instant_to_ms(deadline), Waker::noop().clone());
//!
//! let mut fired = Vec::new();
//! clock.advance(Duration::from_millis(1));
//! wheel.advance_to(clock.now_ms(), &mut fired);
//! assert!(fired.is_empty(), "1.5 ms rounds up to 2 ms, so nothing fires at 1 ms");
//!
//! clock.advance(Duration::from_millis(1));
//! wheel.advance_to(clock.now_ms(), &mut fired);
//! assert_eq!(fired.len(), 1);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Reading order: the wheel is the idea; the clock feeds it.
pub mod wheel;

mod clock;

pub use clock::{Clock, saturating_add};
pub use wheel::{SetWaker, TimerKey, Wheel};
