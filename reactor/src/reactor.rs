//! The reactor: one epoll instance, the slab of slots, and the loop step that connects them.
//!
//! A future that cannot make progress leaves its waker in a slot; [`Reactor::turn`] waits in
//! `epoll_wait`, records what the OS reported, and wakes the futures whose slot became ready.
//! The reactor never polls a future and knows nothing of tasks or timers: it only fires wakers.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};
use std::task::Waker;
use std::time::Duration;

use crate::slots::{Direction, Slots, Token};
use crate::sys;

/// Turns OS readiness into [`Waker::wake`] calls.
///
/// One read, from `.await` to `epoll_wait` and back:
///
// ANCHOR: diagram
/// ```text
///   future (task)                  Registration / Slots                 Reactor::turn     kernel
///   ─────────────                  ────────────────────                 ─────────────     ──────
///   read().await ──1──> poll_io ──2──> read(2) = EAGAIN
///                                  ──3──> clear readiness,
///                                         store waker in slot
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
/// 1. `AsyncRead::poll_read` -> `Registration::poll_stream_read` -> `poll_io_until_drained`,
///    the loop behind `Registration::poll_io` (drawn as `poll_io`).
/// 2. The slot says readable (optimistic at first), so `op` runs: the socket says `WouldBlock`.
/// 3. `Registration::clear_readiness` -> [`Slots::clear`] (unless an event came in meanwhile), then
///    [`Slots::poll_ready`] stores the waker.
/// 4. The future returns `Poll::Pending`; the executor runs other tasks or goes idle.
/// 5. [`Reactor::turn`] -> `Selector::select` -> `epoll_wait` blocks.
/// 6. The kernel reports the fd with the token given at registration; [`Token::from_usize`].
/// 7. [`Slots::dispatch`] sets `readable` and moves the reader's waker out of the slot.
/// 8. `turn` unlocks the slab's `Mutex` and only then calls [`Waker::wake`].
/// 9. The executor polls the task again; `poll_io` finds the slot readable.
/// 10. `read(2)` returns data. If it filled the buffer, readiness stays set until a later read
///     says `WouldBlock`; if it came back short, [`Slots::clear_drained`] clears it now.
// ANCHOR_END: legend
///
/// The reactor itself stays on the thread that turns it: it owns the waiting side of the OS
/// queue. What registrations need is shared through [`Handle`]s, which go anywhere.
pub struct Reactor {
    handle: Handle,
    /// The waiting side of the OS queue ([`mio::Poll`] or the `Poller`); only `turn` uses it.
    selector: RefCell<sys::Selector>,
    /// Reused between turns so waiting never allocates.
    events: RefCell<sys::Events>,
    /// The wakers one turn collects, reused between turns for the same reason.
    wakers: RefCell<Vec<Waker>>,
}

/// A cheap, clonable reference to a reactor, held by every registration and I/O type.
///
/// It is `Arc`-based and `Send + Sync`, so the I/O types are too, as tokio's are:
/// `clockwork::spawn` requires `Send` futures like `tokio::spawn`, and a demo that moves a
/// `TcpStream` into a spawned task must compile on both.
/// The price is one uncontended `Mutex` lock each time an operation checks or clears
/// readiness.
/// A handle keeps the epoll instance open, so a registration dropped after its [`Reactor`]
/// still deregisters cleanly; it only finds the reactor shut down.
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: Arc<Inner>,
}

/// Wakes a parked [`Reactor::turn`] from any thread.
#[derive(Clone, Debug)]
pub struct Unparker {
    notifier: sys::Notifier,
}

/// What the reactor and its handles share, from any thread.
pub(crate) struct Inner {
    /// The registering side of the OS queue.
    pub(crate) registry: sys::Registry,
    /// Locked briefly by registrations and by `turn`; never held while a waker is woken.
    /// Use [`Inner::slots`] to lock it.
    slots: Mutex<Slots>,
    /// Set once by [`Reactor::shutdown`], under the `slots` lock; from then on every operation
    /// fails with [`gone`](crate::gone::gone).
    shut_down: AtomicBool,
}

// === impl Reactor ===

impl Reactor {
    /// Opens the OS queue (mio by default, polling with the `polling` feature).
    pub fn new() -> io::Result<Reactor> {
        let (selector, registry) = sys::Selector::new()?;
        let slots = Mutex::new(Slots::new());
        let inner = Inner { registry, slots, shut_down: AtomicBool::new(false) };
        let handle = Handle { inner: Arc::new(inner) };
        let selector = RefCell::new(selector);
        let events = RefCell::new(sys::Events::new());
        Ok(Reactor { handle, selector, events, wakers: RefCell::new(Vec::new()) })
    }

    /// A handle for registering sources; enter it with [`crate::enter`] to make it current.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// A `Send + Sync` handle that interrupts `turn` from another thread.
    pub fn unparker(&self) -> Unparker {
        Unparker { notifier: self.selector.borrow().notifier() }
    }

    /// How many sources are registered right now.
    pub fn registrations(&self) -> usize {
        self.handle.inner.slots().len()
    }

    // ANCHOR: turn
    /// Waits up to `timeout` (`None`: forever) for I/O events, then wakes the waiting futures.
    ///
    /// Returns how many events reached a live registration.
    /// An [`Unparker::unpark`] or a signal interrupting `epoll_wait` ends the wait early with 0.
    pub fn turn(&self, timeout: Option<Duration>) -> io::Result<usize> {
        let inner = &self.handle.inner;
        let mut selector = self.selector.borrow_mut();
        let mut events = self.events.borrow_mut();

        // Step 1: block in epoll_wait. An interrupting signal is not an error, just an early end.
        // Other threads may register, poll and drop sources meanwhile: the slab is not locked.
        match selector.select(&mut events, timeout) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return Ok(0),
            Err(error) => return Err(error),
        }
        // A signal delivered while no `Signal` listened was kept until now (`signal/unix.rs`).
        crate::signal::unix::forget_unclaimed();

        // Step 2: record readiness in the slots and collect the wakers it satisfies.
        let mut wakers = std::mem::take(&mut *self.wakers.borrow_mut());
        let mut dispatched = 0;
        {
            let mut slots = inner.slots();
            for event in events.iter() {
                let token = Token::from_usize(event.token);
                // A stale token (its source was deregistered after the event was queued) is
                // simply not found: that is what the generation is for.
                if slots.dispatch(token, event.ready, &mut wakers) {
                    dispatched += 1;
                }
            }
        }

        // Step 3: wake only now that the slab is unlocked. A waker is arbitrary code: it may poll
        // a future inline, drop a registration, or register a new one, and each of those locks
        // the slab again. A std `Mutex` is not reentrant, so waking inside the loop above could
        // deadlock this very thread.
        drop(events);
        drop(selector);
        for waker in wakers.drain(..) {
            wake(waker);
        }
        *self.wakers.borrow_mut() = wakers;
        Ok(dispatched)
    }
    // ANCHOR_END: turn

    /// Wakes every pending I/O future so that it fails with an error instead of hanging.
    ///
    /// After this, every operation on a registration, pending or new, returns an
    /// [`io::ErrorKind::Other`] error saying the runtime is gone. Calling it twice is harmless;
    /// `Drop` calls it.
    pub fn shutdown(&self) {
        let inner = &self.handle.inner;
        let mut wakers = Vec::new();
        {
            // The flag is set under the lock, and `Registration::poll_ready` reads it under the
            // lock, so no waker can be stored after this sweep and then never be woken.
            let mut slots = inner.slots();
            if inner.shut_down.swap(true, Ordering::AcqRel) {
                return;
            }
            slots.take_all_wakers(&mut wakers);
        }
        // As in `turn`, wake after the lock is released.
        for waker in wakers {
            wake(waker);
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

/// Wakes `waker`, which is user code. A panic in it is reported by the panic hook and goes no
/// further: it must neither cut a batch of wakes short (the other tasks would never learn that
/// their sockets are ready) nor unwind through the caller's turn. A payload whose own `Drop`
/// panics too is leaked.
fn wake(waker: Waker) {
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
        let dropped = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
        std::mem::forget(dropped);
    }
}

// === impl Handle ===

impl Handle {
    /// Whether [`Reactor::shutdown`] has run.
    pub fn is_shut_down(&self) -> bool {
        self.inner.is_shut_down()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registrations = self.inner.try_slots().map(|slots| slots.len());
        f.debug_struct("Handle")
            .field("backend", &sys::NAME)
            .field("registrations", &registrations)
            .field("shut_down", &self.inner.is_shut_down())
            .finish()
    }
}

impl Handle {
    /// The sources some task waits on, with the direction (empty if the slab is locked right
    /// now): what the runtime's step mode shows.
    pub fn waiting(&self) -> Vec<(Token, Direction)> {
        self.inner.try_slots().map(|slots| slots.waiting()).unwrap_or_default()
    }
}

// === impl Inner ===

impl Inner {
    /// Locks the slab.
    ///
    /// A poisoned lock is recovered, not propagated. Poisoning means a thread panicked while
    /// holding the lock, but no waker is ever woken or dropped under it ([`Slots::remove`] and
    /// [`Slots::poll_ready`] hand old wakers back to be dropped after the lock), and the only
    /// foreign code that runs there, cloning a waker, runs before the slab's own updates. So a
    /// panic cannot leave the slab half-updated.
    pub(crate) fn slots(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks the slab only if nobody holds it; for `Debug`, which must never block (think of a
    /// debugger stopped inside the lock).
    pub(crate) fn try_slots(&self) -> Option<MutexGuard<'_, Slots>> {
        match self.slots.try_lock() {
            Ok(slots) => Some(slots),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Whether [`Reactor::shutdown`] has run.
    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::Acquire)
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
