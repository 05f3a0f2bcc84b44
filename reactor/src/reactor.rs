//! The reactor: one epoll instance, the slab of slots, and the loop step that connects them.
//!
//! A future that cannot make progress parks its waker in a slot; `Reactor::turn` waits in
//! `epoll_wait`, records what the OS reported, and wakes the futures whose slot became ready.
//! The reactor never polls a future and knows nothing of tasks or timers: it only fires wakers.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io;
use std::rc::Rc;
use std::task::Waker;
use std::time::Duration;

use crate::slots::{Slots, Token};
use crate::sys;

/// Turns OS readiness into `Waker::wake` calls.
///
/// One read, from `.await` to `epoll_wait` and back:
///
// ANCHOR: diagram
/// ```text
///   future (task)                  Registration / Slots                 Reactor::turn     kernel
///   ─────────────                  ────────────────────                 ─────────────     ──────
///   read().await ──1──> poll_io ──2──> read(2) = EAGAIN
///                                  ──3──> clear readiness,
///                                         park waker in slot
///        <──────4── Pending
///                                                        executor idle ──5──> epoll_wait ─┐
///                                                                                          │ data
///                                                           dispatch(token) <──6── event <─┘
///                                  slot.readable = true <──7──
///        <────────────────────────────────────────8── waker.wake() (after the borrow ends)
///   polled again ──9──> poll_io ──10──> read(2) = n bytes ──> Ready(n)
/// ```
// ANCHOR_END: diagram
///
// ANCHOR: legend
/// 1. `AsyncRead::poll_read` -> `Registration::poll_io(cx, Direction::Read, op)`.
/// 2. The slot says readable (optimistic at first), so `op` runs: the socket says `WouldBlock`.
/// 3. `Registration::clear_readiness` -> `Slots::clear`, then `Slots::poll_ready` stores the waker.
/// 4. The future returns `Poll::Pending`; the executor runs other tasks or goes idle.
/// 5. `Reactor::turn` -> `Selector::select` -> `epoll_wait` blocks.
/// 6. The kernel reports the fd with the token given at registration; `Token::from_usize`.
/// 7. `Slots::dispatch` sets `readable` and moves the reader's waker out of the slot.
/// 8. `turn` releases the slab's `RefCell` and only then calls `Waker::wake`.
/// 9. The executor polls the task again; `poll_io` finds the slot readable.
/// 10. `read(2)` returns data; readiness stays set until a later read says `WouldBlock`.
// ANCHOR_END: legend
pub struct Reactor {
    handle: Handle,
    /// Reused between turns so waiting never allocates.
    events: RefCell<sys::Events>,
}

/// A cheap, clonable reference to a reactor, held by every registration and I/O type.
///
/// It is `Rc`-based: the reactor belongs to one thread.
/// A handle keeps the epoll instance open, so a registration dropped after its `Reactor`
/// still deregisters cleanly; it only finds the reactor shut down.
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: Rc<Inner>,
}

/// Wakes a parked [`Reactor::turn`] from any thread.
#[derive(Clone, Debug)]
pub struct Unparker {
    notifier: sys::Notifier,
}

/// What the reactor and its handles share.
pub(crate) struct Inner {
    pub(crate) selector: sys::Selector,
    /// Borrowed briefly by registrations and by `turn`; never held while a waker runs.
    pub(crate) slots: RefCell<Slots>,
    /// Set once by `Reactor::shutdown`; from then on every operation fails with [`gone`].
    pub(crate) shut_down: Cell<bool>,
}

/// The error pending and new I/O sees once the reactor has shut down.
pub(crate) fn gone() -> io::Error {
    io::Error::other("the reactor has shut down: the Clockwork runtime is gone")
}

// === impl Reactor ===

impl Reactor {
    /// Opens the OS queue (mio by default, polling with the `polling` feature).
    pub fn new() -> io::Result<Reactor> {
        let selector = sys::Selector::new()?;
        let inner =
            Inner { selector, slots: RefCell::new(Slots::new()), shut_down: Cell::new(false) };
        let handle = Handle { inner: Rc::new(inner) };
        let events = RefCell::new(sys::Events::new());
        Ok(Reactor { handle, events })
    }

    /// A handle for registering sources; enter it with [`crate::enter`] to make it current.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// A `Send + Sync` handle that interrupts `turn` from another thread.
    pub fn unparker(&self) -> Unparker {
        Unparker { notifier: self.handle.inner.selector.notifier() }
    }

    /// How many sources are registered right now.
    pub fn registrations(&self) -> usize {
        self.handle.inner.slots.borrow().len()
    }

    // ANCHOR: turn
    /// Waits up to `timeout` (`None`: forever) for I/O events, then wakes the waiting futures.
    ///
    /// Returns how many events reached a live registration.
    /// An [`Unparker::unpark`] or a signal interrupting `epoll_wait` ends the wait early with 0.
    pub fn turn(&self, timeout: Option<Duration>) -> io::Result<usize> {
        let inner = &self.handle.inner;
        let mut events = self.events.borrow_mut();

        // Step 1: block in epoll_wait. An interrupting signal is not an error, just an early end.
        match inner.selector.select(&mut events, timeout) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return Ok(0),
            Err(error) => return Err(error),
        }

        // Step 2: record readiness in the slots and collect the wakers it satisfies.
        let mut wakers: Vec<Waker> = Vec::new();
        let mut dispatched = 0;
        {
            let mut slots = inner.slots.borrow_mut();
            for event in events.iter() {
                let token = Token::from_usize(event.token);
                // A stale token (its source was deregistered after the event was queued) is
                // simply not found: that is what the generation is for.
                if slots.dispatch(token, event.ready, &mut wakers) {
                    dispatched += 1;
                }
            }
        }

        // Step 3: wake only now that the slab is no longer borrowed. A waker is arbitrary code:
        // it may poll a future inline, drop a registration, or register a new one, and each of
        // those borrows the slab again; waking inside the loop above would panic in `RefCell`.
        drop(events);
        for waker in wakers {
            waker.wake();
        }
        Ok(dispatched)
    }
    // ANCHOR_END: turn

    /// Wakes every pending I/O future so that it fails with an error instead of hanging.
    ///
    /// After this, every operation on a registration, pending or new, returns an
    /// `io::ErrorKind::Other` error saying the runtime is gone. Calling it twice is harmless;
    /// `Drop` calls it.
    pub fn shutdown(&self) {
        let inner = &self.handle.inner;
        if inner.shut_down.replace(true) {
            return;
        }
        let mut wakers = Vec::new();
        inner.slots.borrow_mut().take_all_wakers(&mut wakers);
        // As in `turn`, wake after the borrow has ended.
        for waker in wakers {
            waker.wake();
        }
    }
}

impl Drop for Reactor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl fmt::Debug for Reactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reactor").field("handle", &self.handle).finish_non_exhaustive()
    }
}

// === impl Handle ===

impl Handle {
    /// Whether [`Reactor::shutdown`] has run.
    pub fn is_shut_down(&self) -> bool {
        self.inner.shut_down.get()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.inner.slots.try_borrow();
        let registrations = slots.as_ref().map(|slots| slots.len()).ok();
        f.debug_struct("Handle")
            .field("backend", &sys::NAME)
            .field("registrations", &registrations)
            .field("shut_down", &self.inner.shut_down.get())
            .finish()
    }
}

// === impl Unparker ===

impl Unparker {
    /// Makes the current or next `turn` return at once, from any thread.
    ///
    /// The wake-up is remembered by the OS (an eventfd), so an unpark that happens before the
    /// reactor starts waiting is not lost.
    pub fn unpark(&self) {
        // Failing to write to the eventfd means it is already full, i.e. a wake-up is pending.
        let _ = self.notifier.notify();
    }
}
