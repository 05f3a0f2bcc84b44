//! The mio backend: [`mio::Poll`] for waiting, a cloned [`mio::Registry`] for registering.
//!
//! mio is always edge-triggered on Linux (`EPOLLET`), which is exactly the contract the reactor
//! expects, so this file is only translation.
//! mio already splits the epoll instance the way the reactor needs: [`Poll::poll`] takes
//! `&mut self` and stays with the reactor, while [`Registry`] is `Send + Sync` and can be cloned
//! into the handle that every registration shares.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::sync::Arc;
use std::time::Duration;

use ::mio::unix::SourceFd;
use ::mio::{Interest, Poll, Token};

use super::{EVENTS_CAPACITY, Event};
use crate::slots::Ready;

/// The token of the [`mio::Waker`]; slots never produce it (see [`crate::slots::Token`]).
const WAKE_TOKEN: Token = Token(usize::MAX);

/// The waiting side of the epoll instance, owned by the `Reactor`.
#[derive(Debug)]
pub(crate) struct Selector {
    poll: Poll,
    /// Writes to an eventfd registered under `WAKE_TOKEN`.
    waker: Arc<::mio::Waker>,
}

/// The registering side of the same epoll instance, shared by every handle.
#[derive(Debug)]
pub(crate) struct Registry {
    registry: ::mio::Registry,
}

/// Events returned by one `select`.
#[derive(Debug)]
pub(crate) struct Events {
    inner: ::mio::Events,
}

/// Interrupts a blocked `select` from any thread.
#[derive(Clone, Debug)]
pub(crate) struct Notifier {
    waker: Arc<::mio::Waker>,
}

impl Selector {
    pub(crate) fn new() -> io::Result<(Selector, Registry)> {
        let poll = Poll::new()?;
        let registry = Registry { registry: poll.registry().try_clone()? };
        let waker = Arc::new(::mio::Waker::new(poll.registry(), WAKE_TOKEN)?);
        Ok((Selector { poll, waker }, registry))
    }

    pub(crate) fn select(
        &mut self,
        events: &mut Events,
        timeout: Option<Duration>,
    ) -> io::Result<()> {
        self.poll.poll(&mut events.inner, timeout)
    }

    pub(crate) fn notifier(&self) -> Notifier {
        Notifier { waker: self.waker.clone() }
    }
}

impl Registry {
    // ANCHOR: mio_register
    pub(crate) fn register(&self, fd: BorrowedFd<'_>, token: usize) -> io::Result<()> {
        let raw_fd = fd.as_raw_fd();
        let both = Interest::READABLE | Interest::WRITABLE;
        self.registry.register(&mut SourceFd(&raw_fd), Token(token), both)
    }
    // ANCHOR_END: mio_register

    pub(crate) fn deregister(&self, fd: BorrowedFd<'_>) -> io::Result<()> {
        let raw_fd = fd.as_raw_fd();
        self.registry.deregister(&mut SourceFd(&raw_fd))
    }
}

impl Events {
    pub(crate) fn new() -> Events {
        Events { inner: ::mio::Events::with_capacity(EVENTS_CAPACITY) }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        let io_events = self.inner.iter().filter(|event| event.token() != WAKE_TOKEN);
        io_events.map(|event| {
            // mio splits what epoll reports into several flags; hang-ups and errors count as
            // ready in both directions, so the next operation runs and reports them.
            // `is_read_closed` is `EPOLLHUP`, or `EPOLLIN` with `EPOLLRDHUP` (the peer's FIN).
            let broken = event.is_error();
            let read_closed = event.is_read_closed() || broken;
            let readable = event.is_readable() || read_closed;
            let writable = event.is_writable() || event.is_write_closed() || broken;
            let ready = Ready { readable, writable, read_closed };
            Event { token: event.token().0, ready }
        })
    }
}

impl Notifier {
    pub(crate) fn notify(&self) -> io::Result<()> {
        self.waker.wake()
    }
}
