//! The readiness API that every socket shares: `ready`, `readable`, `try_read`, `try_io`.
//!
//! tokio lets a task wait for readiness and do the operation itself, without an `.await` around
//! the operation:
//!
//! ```text
//!   loop {
//!       stream.readable().await?;            // 1: wait until the slot says readable
//!       match stream.try_read(&mut buf) {    // 2: one read(2), never waiting
//!           Err(e) if e.kind() == WouldBlock => continue,   // 3: readiness was stale
//!           result => break result,
//!       }
//!   }
//! ```
//!
//! Step 3 only works if the failed `try_read` clears readiness, or `readable()` would answer at
//! once for ever and the loop would spin. So a `try_*` method follows the edge-triggered rules of
//! `registration.rs` for exactly one attempt: it runs only when the slot says ready, and a
//! `WouldBlock` clears readiness under the [`Tick`](crate::Tick) it saw before the attempt.

use std::future::poll_fn;
use std::io;
use std::os::fd::AsFd;
use std::task::{Context, Poll, Waker};

use crate::net::{Interest, Ready};
use crate::registration::Registration;
use crate::slots::{Direction, Waiter};

/// A `ready` future's places in the source's lists of waiting tasks, one per direction, given
/// up when the future is dropped: any number of tasks may wait on one socket's readiness.
struct Places<'a, S: AsFd> {
    io: &'a Registration<S>,
    read: Option<Waiter>,
    write: Option<Waiter>,
}

impl<S: AsFd> Places<'_, S> {
    /// This future's place for `direction`.
    fn of(&mut self, direction: Direction) -> &mut Option<Waiter> {
        match direction {
            Direction::Read => &mut self.read,
            Direction::Write => &mut self.write,
        }
    }

    /// `Ready` with what the slot records for `interest` once at least one of its directions
    /// may make progress; otherwise keeps this future's place for each direction asked about
    /// and returns `Pending`.
    fn poll(&mut self, cx: &mut Context<'_>, interest: Interest) -> Poll<io::Result<Ready>> {
        let io = self.io;
        let mut any_ready = false;
        // Every direction is polled, even after one answered: each that is not ready must keep
        // the waker, so the task hears about whichever comes first.
        for direction in interest.directions() {
            if let Poll::Ready(result) = io.poll_readiness_as(cx, direction, self.of(direction)) {
                result?;
                any_ready = true;
            }
        }
        if !any_ready {
            return Poll::Pending;
        }
        Poll::Ready(Ok(Ready::from_slot(io.readiness(), interest)))
    }
}

impl<S: AsFd> Drop for Places<'_, S> {
    fn drop(&mut self) {
        for waiter in [self.read.take(), self.write.take()].into_iter().flatten() {
            self.io.cancel(waiter);
        }
    }
}

/// Waits until one of `interest`'s directions may make progress, and says what the slot
/// records; any number of tasks may wait at once.
pub(crate) async fn ready<S: AsFd>(io: &Registration<S>, interest: Interest) -> io::Result<Ready> {
    let mut places = Places { io, read: None, write: None };
    poll_fn(|cx| places.poll(cx, interest)).await
}

/// `poll_ready` for one direction, answering `()` as tokio's `poll_read_ready` does.
///
/// As in tokio, a `poll_*_ready` caller has one place per direction: a new poll replaces the
/// waker of the last one.
pub(crate) fn poll_direction<S: AsFd>(
    io: &Registration<S>,
    cx: &mut Context<'_>,
    direction: Direction,
) -> Poll<io::Result<()>> {
    io.poll_ready(cx, direction).map_ok(|_tick| ())
}

/// Runs `op` once if the slot says `direction` is ready, clearing readiness if it answers
/// `WouldBlock`; answers `WouldBlock` at once if the slot says not ready. Never waits and never
/// stores a waker.
pub(crate) fn try_io<S: AsFd, R>(
    io: &Registration<S>,
    direction: Direction,
    op: impl FnOnce(&S) -> io::Result<R>,
) -> io::Result<R> {
    // Asking the slot first keeps a waker out of it: `poll_ready` below stores the context's
    // waker (in the direction's one `poll_*` place) when the direction is not ready, and a
    // no-op waker there would take the place of a `poll_read_ready` caller that is waiting.
    // FIXME: the slot may be cleared (by another thread using the same socket) between the two
    // questions; a `Registration::try_ready` that never stores a waker would close that window.
    if io.is_reactor_gone() {
        return after_shutdown(io, op);
    }
    let slot = io.readiness();
    let marked = match direction {
        Direction::Read => slot.readable,
        Direction::Write => slot.writable,
    };
    if !marked {
        return Err(io::ErrorKind::WouldBlock.into());
    }
    let mut cx = Context::from_waker(Waker::noop());
    // Unbudgeted, as tokio's `try_*`: a `try_read` never answers `WouldBlock` for lack of
    // budget, which would look like an empty socket.
    let Poll::Ready(seen) = io.poll_readiness_as(&mut cx, direction, &mut Some(Waiter::Poller))
    else {
        return Err(io::ErrorKind::WouldBlock.into());
    };
    let Ok(seen) = seen else {
        // The reactor shut down between the two questions.
        return after_shutdown(io, op);
    };
    let result = op(io.source());
    let would_block = matches!(&result, Err(error) if error.kind() == io::ErrorKind::WouldBlock);
    if would_block {
        io.clear_readiness(direction, seen);
    }
    result
}

/// `try_io` once the reactor is gone. The kernel may still hold bytes (or room) for the source,
/// whatever the slot last said: try once, so that nothing already received is lost. Only "it
/// would block" becomes the shutdown error, since nobody will ever report readiness again.
fn after_shutdown<S: AsFd, R>(
    io: &Registration<S>,
    op: impl FnOnce(&S) -> io::Result<R>,
) -> io::Result<R> {
    match op(io.source()) {
        Err(error) if error.kind() == io::ErrorKind::WouldBlock => Err(crate::gone::gone()),
        result => result,
    }
}

/// The one direction that `try_io` and `async_io` check for `interest`: reading if it asks
/// for reading, writing otherwise.
pub(crate) fn direction_of(interest: Interest) -> Direction {
    if interest.is_readable() { Direction::Read } else { Direction::Write }
}
