//! The polling backend: `polling::Poller` in edge-triggered mode, `Poller::notify` for wake-ups.
//!
//! polling registers sources *oneshot* by default: after one event the source is disarmed until
//! `modify` re-arms it, which would cost one extra `epoll_ctl` per wait.
//! We ask for [`PollMode::Edge`] instead, so both backends share one contract: an event is
//! reported once per change of readiness, and the reactor keeps readiness until `WouldBlock`.
//! Unlike mio, polling does not split waiting from registering: one [`Poller`] does both through
//! `&self` and is `Send + Sync`, so the two sides below are simply two `Arc`s of it.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::sync::Arc;
use std::time::Duration;

use ::polling::{Event as PollingEvent, PollMode, Poller};

use super::{EVENTS_CAPACITY, Event};
use crate::slots::Ready;

/// The waiting side of the epoll instance, owned by the `Reactor`.
#[derive(Debug)]
pub(crate) struct Selector {
    poller: Arc<Poller>,
}

/// The registering side of the same epoll instance, shared by every handle.
#[derive(Debug)]
pub(crate) struct Registry {
    poller: Arc<Poller>,
}

/// Events returned by one `select`.
#[derive(Debug)]
pub(crate) struct Events {
    inner: ::polling::Events,
}

/// Interrupts a blocked `select` from any thread.
#[derive(Clone, Debug)]
pub(crate) struct Notifier {
    poller: Arc<Poller>,
}

impl Selector {
    pub(crate) fn new() -> io::Result<(Selector, Registry)> {
        let poller = Arc::new(Poller::new()?);
        let registry = Registry { poller: poller.clone() };
        Ok((Selector { poller }, registry))
    }

    pub(crate) fn select(
        &mut self,
        events: &mut Events,
        timeout: Option<Duration>,
    ) -> io::Result<()> {
        events.inner.clear();
        self.poller.wait(&mut events.inner, timeout)?;
        Ok(())
    }

    pub(crate) fn notifier(&self) -> Notifier {
        Notifier { poller: self.poller.clone() }
    }
}

impl Registry {
    // ANCHOR: polling_register
    pub(crate) fn register(&self, fd: BorrowedFd<'_>, token: usize) -> io::Result<()> {
        let interest = PollingEvent::all(token);
        let raw_fd = fd.as_raw_fd();
        // SAFETY: polling requires the fd to be deleted from the poller before it is closed.
        // Only `Registration::new` calls this, and the `Registration` owns the source: its
        // `Drop` calls `deregister` before the source's own drop closes the fd, and leaking the
        // registration leaks the fd too, so it is never closed while still registered.
        unsafe { self.poller.add_with_mode(raw_fd, interest, PollMode::Edge) }
    }
    // ANCHOR_END: polling_register

    pub(crate) fn deregister(&self, fd: BorrowedFd<'_>) -> io::Result<()> {
        self.poller.delete(fd)
    }
}

impl Events {
    pub(crate) fn new() -> Events {
        let capacity = std::num::NonZeroUsize::new(EVENTS_CAPACITY).expect("capacity is not zero");
        Events { inner: ::polling::Events::with_capacity(capacity) }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        // polling already folds hang-ups and errors into `readable` and `writable`, and its
        // `iter` already skips the notification's own event.
        // It does not ask epoll for `EPOLLRDHUP`, so a FIN looks like data: every readable event
        // may be a close, and says so (which turns off the short-read shortcut; see
        // `Ready::read_closed`).
        self.inner.iter().map(|event| {
            let may_be_closed = event.readable;
            let ready = Ready {
                readable: event.readable,
                writable: event.writable,
                read_closed: may_be_closed,
            };
            Event { token: event.key, ready }
        })
    }
}

impl Notifier {
    pub(crate) fn notify(&self) -> io::Result<()> {
        self.poller.notify()
    }
}
