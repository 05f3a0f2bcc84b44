//! How the runtime thread sleeps when there is nothing to run, and how it is woken.
//!
//! The driver is the reactor and the timer together. Parking is step 4 of the run loop
//! ([`Core::block_on`]), in three parts:
//!
//! ```text
//!  a. ask the wheel for the next deadline        -> the longest we may sleep
//!  b. turn the reactor with that timeout          -> epoll_wait; I/O wakers fire
//!  c. advance the wheel to the clock's now        -> expired timer wakers fire
//! ```
//!
//! Draining wakes from other threads is step 3 of the run loop ([`Core::drain_remote`]). Another
//! thread interrupts part b through the reactor's unparker (an eventfd that epoll watches), and
//! the eventfd remembers the write, so an unpark that lands just before the sleep is not lost.
//!
//! [`Core::block_on`]: crate::runtime::core::Core::block_on
//! [`Core::drain_remote`]: crate::runtime::core::Core::drain_remote

use std::fmt;
use std::io;
use std::time::Duration;

use clockwork_reactor::{Reactor, Unparker};

use crate::time::driver::TimeDriver;

/// The reactor and the timer: everything the run loop can sleep on.
pub(crate) struct Driver {
    reactor: Reactor,
    pub(crate) time: TimeDriver,
}

/// Whether the run loop may sleep, or has work left and only wants a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Park {
    /// Nothing to run: sleep until a timer, I/O or another thread wakes us.
    Idle,
    /// Work is left: collect ready I/O and due timers without sleeping.
    Peek,
}

/// What the run loop is told while the driver works, so that it knows who wakes tasks: the
/// reactor during part b, the timer during part c (see `trace.rs`). It only observes.
pub(crate) trait ParkObserver {
    /// Part b is about to start, with this timeout.
    fn turning(&self, timeout: Option<Duration>);
    /// Part c is about to start: timers due at `clock_ms` fire now.
    fn firing(&self, clock_ms: u64);
}

/// What one park did, for the metrics.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ParkOutcome {
    pub(crate) io_events: usize,
    pub(crate) timers_fired: usize,
}

impl Driver {
    pub(crate) fn new(start_paused: bool) -> io::Result<Driver> {
        Ok(Driver { reactor: Reactor::new()?, time: TimeDriver::new(start_paused) })
    }

    pub(crate) fn unparker(&self) -> Unparker {
        self.reactor.unparker()
    }

    pub(crate) fn reactor_handle(&self) -> clockwork_reactor::Handle {
        self.reactor.handle()
    }

    // ANCHOR: park
    /// Sleeps (or peeks), then fires what became ready.
    ///
    /// `nothing_else_can_happen` tells whether a paused clock may jump: it is false while a
    /// [`spawn_blocking`] job runs (its result, not a timer, is what the program waits for) or a
    /// wake from another thread waits to be drained. It is asked before the turn, and again
    /// after it: a wake that landed during the turn shows in the run loop's cross-thread queue,
    /// not as an I/O event, and must win over the jump.
    ///
    /// [`spawn_blocking`]: fn@crate::task::spawn_blocking
    pub(crate) fn park(
        &self,
        park: Park,
        nothing_else_can_happen: &dyn Fn() -> bool,
        observer: &impl ParkObserver,
    ) -> ParkOutcome {
        // a. The next deadline bounds the sleep. With paused time the clock does not move on
        //    its own, so an idle runtime that has a timer only peeks at I/O, then jumps the clock.
        let next_deadline_ms = self.time.next_deadline_ms();
        let jump_to_ms = match (park, self.time.is_paused()) {
            (Park::Idle, true) if nothing_else_can_happen() => self.time.next_jump_ms(),
            _ => None,
        };
        let timeout = match (park, jump_to_ms) {
            (Park::Peek, _) | (Park::Idle, Some(_)) => Some(Duration::ZERO),
            (Park::Idle, None) if self.time.is_paused() => None,
            (Park::Idle, None) => next_deadline_ms.map(|ms| self.time.duration_until_ms(ms)),
        };

        // b. Wait for I/O. An error from epoll_wait other than EINTR means the OS queue itself
        //    is broken; there is no way to go on without it.
        observer.turning(timeout);
        let io_events = self
            .reactor
            .turn(timeout)
            .expect("epoll_wait fails only with EINTR on a live epoll fd");

        // c. Paused and idle with nothing from I/O: jump the clock (tokio's auto-advance). Then
        //    fire every timer that is due.
        if let Some(ms) = jump_to_ms.filter(|_| io_events == 0 && nothing_else_can_happen()) {
            self.time.advance_clock_to_ms(ms);
        }
        observer.firing(self.time.clock.now_ms());
        let timers_fired = self.time.fire_due();
        ParkOutcome { io_events, timers_fired }
    }
    // ANCHOR_END: park

    /// Wakes every pending I/O future with an error and drops every timer. Runs at shutdown.
    pub(crate) fn shutdown(&self) {
        self.reactor.shutdown();
        self.time.clear();
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver").field("reactor", &self.reactor).field("time", &self.time).finish()
    }
}
