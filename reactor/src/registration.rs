//! A source registered with the reactor, and the edge-triggered readiness protocol around it.
//!
//! Both backends use edge-triggered epoll (`EPOLLET`, see `epoll(7)`): the kernel reports a
//! source once when it *becomes* ready, not on every wait while it stays ready.
//! That saves a system call per wait, but it sets two rules that every operation here follows.
//!
//! - **Drain until `WouldBlock`.** Readiness is kept in the slot and cleared when an operation
//!   returns `WouldBlock`. A successful operation in general proves nothing (a datagram socket
//!   may hold more datagrams, a full read may have left more bytes); if we cleared readiness
//!   then, no new edge would come for the data still buffered, and the task would sleep forever.
//!   The one exception, a short read of a stream, is the refinement below.
//! - **Events may be spurious.** A wake-up says "try again", not "this will succeed": another
//!   reader may have taken the data, or the event may be stale. So an operation that returns
//!   `WouldBlock` after a wake-up just clears readiness and waits again.
//!
//! A registration is `Send + Sync` (when its source is), so the reactor may record an event on
//! its thread while a task on another thread is between an operation and the clear that follows
//! its `WouldBlock`. The clear therefore names the [`Tick`] the task saw, and is skipped if a
//! newer event arrived: otherwise that event's edge would be lost.
//!
//! # The short-read refinement
//!
//! The first rule costs one extra read per wake-up, the one that answers `WouldBlock`.
//! `epoll(7)` itself (Q9 of its questions and answers) allows skipping it for stream-oriented
//! files: if a read returns fewer bytes than asked for, the read space is exhausted.
//! A stream read copies from the receive queue until the buffer is full or the queue is empty,
//! so a *short* read (more than zero bytes, fewer than the buffer holds) means the queue was
//! empty when it returned. Data that arrives afterwards raises a new event (`epoll(7)`: even in
//! edge-triggered mode, each chunk of data that arrives can generate one), so forgetting
//! readiness at once loses nothing. [`Registration::poll_stream_read`] applies the rule, and
//! only where it holds:
//!
//! - **Not for a full read** (`n == buf.len()`): the queue may hold more, and nothing tells us.
//! - **Not for EOF** (`n == 0`): EOF is final and raises no further event, so readiness must
//!   stay for every later read to see it at once.
//! - **Not once the peer may have closed** ([`Ready::read_closed`](crate::Ready::read_closed)):
//!   a short read may stop at the FIN, and the EOF behind it raises no event of its own. mio
//!   reports `EPOLLRDHUP`, so this costs nothing there; the polling backend cannot see it, and
//!   so keeps plain drain-until-`WouldBlock`.
//! - **Not for datagrams** (UDP, as `epoll(7)` warns): each read returns one datagram, so a
//!   short read says nothing about the datagrams queued behind it.
//!   [`UdpSocket`](crate::net::UdpSocket) uses [`Registration::poll_io`].
//! - **Not across an event.** The clear names the [`Tick`] seen *before* the read, like the
//!   `WouldBlock` clear, so an event the reactor recorded while the read ran is kept.
//!
//! One case is knowingly left out: TCP urgent data (`MSG_OOB`), which Clockwork has no API for,
//! makes a read stop short just before the urgent byte, and the bytes after it then wait for the
//! next event. tokio applies the same rule with the same gap.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::os::fd::AsFd;
use std::task::{Context, Poll, ready};

use crate::gone::gone;
use crate::reactor::Handle;
use crate::slots::{Direction, Ready, Tick, Token, Waiter};

/// Owns a nonblocking source (a socket, a pipe) and its slot in the reactor.
///
/// The registration owns the source so that the order of teardown is fixed: `Drop` first removes
/// the fd from epoll and frees the slot (bumping its generation), and only then does the source's
/// own drop close the fd.
/// It may be dropped on any thread, and after the reactor: the slot is freed either way.
pub struct Registration<S: AsFd> {
    handle: Handle,
    token: Token,
    source: S,
}

impl<S: AsFd> Registration<S> {
    /// Registers `source`, which must already be in nonblocking mode, with the reactor of
    /// `handle`, watching both directions.
    ///
    /// Both directions start out *ready*: we do not know the source's state yet, and trying the
    /// operation once is how we find out (an optimistic first attempt).
    pub fn new(handle: &Handle, source: S) -> io::Result<Registration<S>> {
        let inner = &handle.inner;
        if inner.is_shut_down() {
            return Err(gone());
        }
        let token = {
            let mut slots = inner.slots();
            let token = slots.insert();
            let everything = Ready { readable: true, writable: true, read_closed: false };
            slots.dispatch(token, everything, &mut Vec::new());
            token
        };
        // The slot exists before the fd is registered, so the first event always finds it.
        if let Err(error) = inner.registry.register(source.as_fd(), token.to_usize()) {
            let leftover = inner.slots().remove(token);
            drop(leftover); // a slot that was never polled holds no waker; dropped unlocked anyway
            return Err(error);
        }
        Ok(Registration { handle: handle.clone(), token, source })
    }

    /// Registers `source` with the current reactor; see [`Handle::current`].
    #[track_caller]
    pub fn with_current(source: S) -> io::Result<Registration<S>> {
        Registration::new(&Handle::current(), source)
    }

    /// The registered source, for operations and for queries such as `local_addr`.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// The token the OS reports events under.
    pub fn token(&self) -> Token {
        self.token
    }

    /// Whether the reactor this source is registered with has shut down.
    pub fn is_reactor_gone(&self) -> bool {
        self.handle.is_shut_down()
    }

    /// The readiness currently recorded in the slot.
    pub fn readiness(&self) -> Ready {
        let slots = self.handle.inner.slots();
        slots.readiness(self.token).expect("a live registration owns its slot")
    }

    /// `Ready(Ok(tick))` when `direction` may make progress; otherwise stores `cx`'s waker and
    /// returns `Pending`. Fails once the reactor has shut down.
    ///
    /// Keep the [`Tick`] for [`Registration::clear_readiness`].
    /// This is for `poll_*` methods, which have no future of their own to hold a place in the
    /// list: each direction keeps one such waker, and a new poll replaces it (tokio's rule for
    /// its `poll_read_ready`). Futures use [`Registration::poll_ready_as`].
    pub fn poll_ready(&self, cx: &mut Context<'_>, direction: Direction) -> Poll<io::Result<Tick>> {
        self.poll_ready_as(cx, direction, &mut Some(Waiter::Poller))
    }

    /// Like [`Registration::poll_ready`], for a future that waits as `waiter` (`None` until its
    /// first poll gives it an id). Any number of futures may wait on one source, and readiness
    /// wakes them all; the future calls [`Registration::cancel`] when it is dropped.
    pub fn poll_ready_as(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        waiter: &mut Option<Waiter>,
    ) -> Poll<io::Result<Tick>> {
        // A source found ready for an operation spends a unit of the task's cooperative budget,
        // as every ready resource does; a spent budget makes the task yield first (see
        // `clockwork-coop`).
        let budget = ready!(clockwork_coop::poll_proceed(cx));
        let readiness = self.poll_readiness_as(cx, direction, waiter);
        if matches!(readiness, Poll::Ready(Ok(_))) {
            budget.made_progress();
        }
        readiness
    }

    /// Like [`Registration::poll_ready_as`], without spending the budget: for the futures that
    /// only wait for readiness (`readable()`, `writable()`, `ready()`), which, as in tokio, do
    /// no operation of their own. The operation that follows (`try_read`) does not spend either,
    /// so a loop of the two must yield by itself.
    pub fn poll_readiness_as(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        waiter: &mut Option<Waiter>,
    ) -> Poll<io::Result<Tick>> {
        let inner = &self.handle.inner;
        // Declared before the lock, so dropped after it: a waker replaced below is dropped
        // unlocked (dropping it may run code that registers or frees another source).
        let mut replaced = None;
        let mut slots = inner.slots();
        // Checked under the lock, as `Reactor::shutdown` sets it under the lock: a waker stored
        // here is either swept by the shutdown or sees the flag, never neither.
        if inner.is_shut_down() {
            return Poll::Ready(Err(gone()));
        }
        let readiness = slots.poll_ready(self.token, direction, waiter, cx.waker(), &mut replaced);
        drop(slots);
        drop(replaced);
        readiness.map(Ok)
    }

    /// Forgets the place of a future that waited as `waiter` and is gone.
    pub fn cancel(&self, waiter: Waiter) {
        let leftover = self.handle.inner.slots().cancel(self.token, waiter);
        drop(leftover); // after the statement's lock guard is gone
    }

    /// Waits until `direction` may make progress; see [`Registration::poll_readiness_as`].
    pub async fn ready(&self, direction: Direction) -> io::Result<Tick> {
        let mut place = Place { registration: self, waiter: None };
        poll_fn(|cx| self.poll_readiness_as(cx, direction, &mut place.waiter)).await
    }

    /// Forgets `direction`'s readiness; call it exactly when an operation started after
    /// readiness `seen` returned `WouldBlock`.
    ///
    /// Returns false, and keeps readiness, if an event arrived after `seen`: the caller should
    /// simply try the operation again.
    pub fn clear_readiness(&self, direction: Direction, seen: Tick) -> bool {
        self.handle.inner.slots().clear(self.token, direction, seen)
    }

    /// Forgets readability after a short read of a byte stream that started at readiness
    /// `seen`; see the module docs and [`Slots::clear_drained`](crate::slots::Slots::clear_drained).
    ///
    /// Returns false, and keeps readiness, if an event arrived after `seen` or the peer may
    /// have closed its side.
    pub fn clear_drained(&self, seen: Tick) -> bool {
        self.handle.inner.slots().clear_drained(self.token, seen)
    }

    /// Runs `op` on the source when `direction` is ready, retrying after `WouldBlock`.
    ///
    /// Any result other than `WouldBlock` (data, EOF, an error) is returned as is.
    pub fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        op: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let never_drained = |_: &R| false;
        self.poll_io_until_drained(cx, direction, op, never_drained)
    }

    // ANCHOR: poll_stream_read
    /// Reads a byte stream with `op`, which fills a buffer of `capacity` bytes, once the source
    /// is readable; a short read forgets readiness at once instead of reading on to
    /// `WouldBlock` (see "The short-read refinement" above).
    ///
    /// Only for stream sources, where a short read proves the receive queue empty.
    pub fn poll_stream_read(
        &self,
        cx: &mut Context<'_>,
        capacity: usize,
        op: impl FnMut(&S) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        // Zero is EOF, which stays readable; `capacity` may have left more behind.
        let is_short = |read: &usize| 0 < *read && *read < capacity;
        self.poll_io_until_drained(cx, Direction::Read, op, is_short)
    }
    // ANCHOR_END: poll_stream_read

    // ANCHOR: poll_io
    /// The loop behind [`Registration::poll_io`] and [`Registration::poll_stream_read`]: runs
    /// `op` when `direction` is ready, retrying after `WouldBlock`.
    ///
    /// This is the whole edge-triggered protocol in one loop:
    /// `WouldBlock` clears readiness and polls readiness again, which stores the waker;
    /// a result that `drained` says emptied the source clears readiness and is returned;
    /// any other result (data, EOF, an error) is returned as is, keeping readiness.
    fn poll_io_until_drained<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut op: impl FnMut(&S) -> io::Result<R>,
        drained: impl Fn(&R) -> bool,
    ) -> Poll<io::Result<R>> {
        loop {
            // The slot says this direction may make progress (or we have not tried yet).
            let seen = ready!(self.poll_ready(cx, direction))?;
            match op(&self.source) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    // The socket is drained: readiness is stale.
                    // Unless the reactor, turning on another thread, recorded an event while
                    // `op` ran: then `seen` is out of date and the clear is skipped.
                    // Looping back stores the waker, or retries if readiness is still set.
                    self.clear_readiness(direction, seen);
                }
                Ok(value) if drained(&value) => {
                    // A short read of a stream: the receive queue was empty when it returned,
                    // so the next read would only say `WouldBlock`, and we skip it.
                    // `seen` is from before `op`, so an event recorded meanwhile is kept, and
                    // so is readiness once the peer may have closed (its EOF gets no new edge).
                    debug_assert_eq!(direction, Direction::Read, "only a read can drain a source");
                    self.clear_drained(seen);
                    return Poll::Ready(Ok(value));
                }
                result => return Poll::Ready(result),
            }
        }
    }
    // ANCHOR_END: poll_io

    /// Runs `op` once `direction` is ready, retrying after `WouldBlock`; see
    /// [`Registration::poll_io`]. Any number of these may wait on one source at once.
    pub async fn async_io<R>(
        &self,
        direction: Direction,
        mut op: impl FnMut(&S) -> io::Result<R>,
    ) -> io::Result<R> {
        let mut place = Place { registration: self, waiter: None };
        poll_fn(|cx| {
            loop {
                let seen = ready!(self.poll_ready_as(cx, direction, &mut place.waiter))?;
                match op(&self.source) {
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        self.clear_readiness(direction, seen);
                    }
                    result => return Poll::Ready(result),
                }
            }
        })
        .await
    }
}

/// A future's place in its source's list of waiting tasks, given up when the future is dropped.
struct Place<'a, S: AsFd> {
    registration: &'a Registration<S>,
    waiter: Option<Waiter>,
}

impl<S: AsFd> Drop for Place<'_, S> {
    fn drop(&mut self) {
        if let Some(waiter) = self.waiter.take() {
            self.registration.cancel(waiter);
        }
    }
}

impl<S: AsFd> Drop for Registration<S> {
    fn drop(&mut self) {
        let inner = &self.handle.inner;
        // The fd is still open here: `self.source` is dropped after this function returns.
        // A failure can only mean the fd was never registered or is already gone from the
        // interest list; either way there is nothing left to undo.
        let _ = inner.registry.deregister(self.source.as_fd());
        // The statement's lock guard is gone before `leftover` is dropped at the end of the
        // function: leftover wakers are dropped unlocked.
        let leftover = inner.slots().remove(self.token);
        debug_assert!(leftover.is_some(), "a registration frees its own slot exactly once");
        drop(leftover);
    }
}

impl<S: AsFd + fmt::Debug> fmt::Debug for Registration<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.handle.inner.try_slots();
        let readiness = slots.and_then(|slots| slots.readiness(self.token));
        f.debug_struct("Registration")
            .field("token", &self.token)
            .field("readiness", &readiness)
            .field("source", &self.source)
            .finish()
    }
}
