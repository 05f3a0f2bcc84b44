//! The slab of slots: where readiness and wakers wait between two turns of the reactor.
//!
//! Every source registered with the reactor owns one slot here.
//! The operating system never sees a pointer to a slot, only a [`Token`]: the slot's index plus a
//! *generation* that is bumped each time the slot is freed.
//! An event that carries an old generation (a source that was deregistered while its event still
//! sat in the queue, or whose slot was reused by a new source) is recognised and dropped, so it can
//! never wake the wrong task (mio#219; tokio's old `GENERATION` bits).
//!
//! Each slot also counts the events it has received: its [`Tick`].
//! A task that saw readiness, tried the operation and got `WouldBlock` (or a short read of a
//! stream) clears readiness only if the tick is unchanged, so an event the reactor recorded in
//! between (on another thread) is kept.
//!
//! This module is plain data: no system calls, no locks.
//! The reactor keeps it behind a `Mutex`; it is public so that tests and curious readers can
//! drive it by hand.

use std::fmt;
use std::task::{Poll, Waker};

use clockwork_slab::{Key, Slab};

/// Which half of a source an operation uses: reading waits for `readable`, writing for `writable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Reading, accepting, receiving.
    Read,
    /// Writing, connecting, sending.
    Write,
}

/// What the operating system last told us about a source.
///
/// `readable` and `writable` are set by an event and cleared when an operation in that direction
/// returns `WouldBlock` (or when a read of a stream comes back short); see
/// [`Registration`] for why.
///
/// [`Registration`]: crate::Registration
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ready {
    /// An operation in [`Direction::Read`] may make progress (data, EOF, a pending connection,
    /// or an error to report).
    pub readable: bool,
    /// An operation in [`Direction::Write`] may make progress (buffer space, a finished connect,
    /// or an error to report).
    pub writable: bool,
    /// The peer may have stopped sending for good: it sent FIN, or the connection broke.
    ///
    /// Then an EOF or an error waits behind the data, and no later event will announce it,
    /// so a short read must not clear readiness (see [`Slots::clear_drained`]).
    /// Once set it stays set, because a closed side never reopens.
    /// mio reports it from `EPOLLRDHUP`, `EPOLLHUP` and `EPOLLERR`; the polling crate does not
    /// ask epoll for `EPOLLRDHUP`, so that backend cannot tell a FIN from data and sets it with
    /// every readable event.
    pub read_closed: bool,
}

// ANCHOR: token
/// The name of a slot as the operating system sees it: index and generation in one `usize`.
///
/// The low 32 bits are the index into the slab, the high 32 bits the generation.
/// [`usize::MAX`] is never produced, because backends reserve it for their cross-thread wake-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Position of the slot in the slab.
    pub index: u32,
    /// How many times that slot had been freed when this token was made.
    pub generation: u32,
}

impl Token {
    /// Packs the token into the `usize` handed to `epoll_ctl` as the event's user data.
    pub fn to_usize(self) -> usize {
        let generation_bits = (self.generation as usize) << 32;
        generation_bits | self.index as usize
    }

    /// Unpacks a `usize` that came back from `epoll_wait`.
    pub fn from_usize(packed: usize) -> Token {
        let index = (packed & 0xFFFF_FFFF) as u32;
        let generation = (packed >> 32) as u32;
        Token { index, generation }
    }

    /// The slab key this token was made from.
    fn key(self) -> Key {
        Key::from_u64(self.to_usize() as u64)
    }
}

impl From<Key> for Token {
    fn from(key: Key) -> Token {
        Token { index: key.index(), generation: key.generation() }
    }
}
// ANCHOR_END: token

/// The slot's event counter at the moment a task saw it ready.
///
/// [`Slots::dispatch`] bumps it on every event; [`Slots::clear`] compares it. tokio calls the
/// same idea the readiness *tick*. It wraps after [`u32::MAX`] events, and only an operation that
/// straddles exactly that many events could be fooled by the wrap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick(pub u32);

// The packing above needs a 64-bit `usize`.
const _: () = assert!(usize::BITS >= 64, "Token packs two u32s into one usize");

/// The slab of slots: the workspace's one generational slab (`clockwork-slab`), holding each
/// registered source's `Interest`. Its keys are the [`Token`]s the OS carries.
pub struct Slots {
    slab: Slab<Interest>,
}

// ANCHOR: interest
/// The wakers a freed slot still held, returned by [`Slots::remove`] so that they are dropped
/// after the slab's lock is released.
#[derive(Debug)]
#[must_use = "drop the wakers after releasing the lock"]
pub struct LeftoverWakers {
    /// Whoever was still waiting on the source.
    pub wakers: Vec<Waker>,
}

/// Who waits on a direction of a source.
///
/// Several tasks may wait on one source (two tasks receiving from one `Arc<UdpSocket>`), and a
/// readiness event must wake them all. The futures of async operations (`recv_from().await`,
/// `accept().await`) each wait under an id of their own, which they hold until they are done
/// or dropped. A `poll_*` method has no future to hold an id, so each direction has one
/// `Poller` place: as in tokio, a new poll there replaces the waker of the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiter {
    /// The caller of a `poll_*` method (`AsyncRead::poll_read`, `poll_accept`...).
    Poller,
    /// One future of an async operation.
    Future(u64),
}

/// The part of an occupied slot that the reactor and the futures share.
#[derive(Debug, Default)]
struct Interest {
    /// Readiness recorded by `dispatch`, cleared by `clear`.
    ready: Ready,
    /// How many events `dispatch` has recorded here; see [`Tick`].
    tick: Tick,
    /// Every waiting task, with the direction it waits for. Usually none or one.
    waiting: Vec<(Waiter, Direction, Waker)>,
    /// The id the next waiting future gets.
    next_future: u64,
}
// ANCHOR_END: interest

impl Slots {
    /// An empty slab.
    pub fn new() -> Slots {
        Slots { slab: Slab::new() }
    }

    /// How many slots are occupied.
    pub fn len(&self) -> usize {
        self.slab.len()
    }

    /// Whether no slot is occupied.
    pub fn is_empty(&self) -> bool {
        self.slab.is_empty()
    }

    /// Takes a free slot (or grows the slab) and returns its token.
    pub fn insert(&mut self) -> Token {
        Token::from(self.slab.insert(Interest::default()))
    }

    /// Frees the slot of `token` and bumps its generation. Returns the wakers it still held, or
    /// `None` if the token was stale.
    ///
    /// The wakers are not woken: the registration that owned them is going away, so nobody can
    /// be waiting on it. They are handed back rather than dropped here, because dropping a
    /// waker runs foreign code (it may free a task that owns another registration), which must
    /// not run while the caller holds the slab's lock.
    pub fn remove(&mut self, token: Token) -> Option<LeftoverWakers> {
        let interest = self.slab.remove(token.key())?;
        let wakers = interest.waiting.into_iter().map(|(_, _, waker)| waker).collect();
        Some(LeftoverWakers { wakers })
    }

    // ANCHOR: dispatch
    /// Records an event for `token` and moves the wakers it satisfies into `wakers`.
    ///
    /// Returns false, and changes nothing, when the token is stale.
    pub fn dispatch(&mut self, token: Token, ready: Ready, wakers: &mut Vec<Waker>) -> bool {
        let Some(interest) = self.interest_mut(token) else {
            return false;
        };
        interest.tick.0 = interest.tick.0.wrapping_add(1);
        interest.ready.readable |= ready.readable;
        interest.ready.writable |= ready.writable;
        interest.ready.read_closed |= ready.read_closed;
        // Everyone waiting for a direction that is ready now is woken, and leaves the list.
        let mut index = 0;
        while index < interest.waiting.len() {
            if interest.ready.is(interest.waiting[index].1) {
                wakers.push(interest.waiting.swap_remove(index).2);
            } else {
                index += 1;
            }
        }
        true
    }
    // ANCHOR_END: dispatch

    // ANCHOR: poll_ready
    /// Returns `Ready` with the slot's current [`Tick`] if `direction` is marked ready;
    /// otherwise stores `waker` for `waiter` and returns `Pending`.
    ///
    /// A future passes its own `waiter`, `None` on its first poll: it is given an id then, and
    /// its entry is removed once it sees readiness. A `poll_*` method passes
    /// `Some(Waiter::Poller)`. A waker replaced by a newer one goes to `replaced`, for the caller
    /// to drop after the lock.
    pub fn poll_ready(
        &mut self,
        token: Token,
        direction: Direction,
        waiter: &mut Option<Waiter>,
        waker: &Waker,
        replaced: &mut Option<Waker>,
    ) -> Poll<Tick> {
        let interest = self.interest_mut(token).expect("a live registration owns this token");
        if interest.ready.is(direction) {
            if let Some(Waiter::Future(_)) = *waiter {
                *replaced = interest.leave(waiter.take().expect("just matched"));
            }
            return Poll::Ready(interest.tick);
        }
        let who = *waiter.get_or_insert_with(|| interest.new_future());
        let entry = interest.waiting.iter_mut().find(|(w, d, _)| *w == who && *d == direction);
        match entry {
            // Not ready: remember who to wake, reusing the stored waker if it wakes the same task.
            Some((_, _, stored)) if stored.will_wake(waker) => {}
            Some((_, _, stored)) => *replaced = Some(std::mem::replace(stored, waker.clone())),
            None => interest.waiting.push((who, direction, waker.clone())),
        }
        Poll::Pending
    }
    // ANCHOR_END: poll_ready

    /// The future that waited as `waiter` is gone: forgets its entry, returning its waker for
    /// the caller to drop after the lock. Nothing happens if the token is stale or the entry
    /// already left (readiness woke it).
    pub fn cancel(&mut self, token: Token, waiter: Waiter) -> Option<Waker> {
        self.interest_mut(token)?.leave(waiter)
    }

    // ANCHOR: clear
    /// Forgets that `direction` was ready, because an operation that started at `seen` just
    /// returned `WouldBlock`; returns false, and keeps readiness, if an event arrived since.
    ///
    /// That newer event may announce data that came after the operation gave up. Clearing it
    /// would lose the edge for good, so the caller just tries once more instead.
    pub fn clear(&mut self, token: Token, direction: Direction, seen: Tick) -> bool {
        let interest = self.interest_mut(token).expect("a live registration owns this token");
        if interest.tick != seen {
            return false;
        }
        match direction {
            Direction::Read => interest.ready.readable = false,
            Direction::Write => interest.ready.writable = false,
        }
        true
    }
    // ANCHOR_END: clear

    // ANCHOR: clear_drained
    /// Forgets that the source was readable, because a read of a byte stream that started at
    /// `seen` returned fewer bytes than it asked for (but more than zero): the kernel's receive
    /// queue was empty when the read returned, so the next read would only say `WouldBlock`.
    ///
    /// Returns false, and keeps readiness, in two cases. An event arrived since `seen`: it may
    /// announce data that came after the read, as in [`Slots::clear`]. Or the peer may have
    /// closed its side ([`Ready::read_closed`]): the short read may have stopped at the FIN, and
    /// the EOF behind it will get no new event, so the next read must run to find it.
    pub fn clear_drained(&mut self, token: Token, seen: Tick) -> bool {
        let interest = self.interest_mut(token).expect("a live registration owns this token");
        if interest.tick != seen || interest.ready.read_closed {
            return false;
        }
        interest.ready.readable = false;
        true
    }
    // ANCHOR_END: clear_drained

    /// The readiness recorded for `token`, or `None` if the token is stale.
    pub fn readiness(&self, token: Token) -> Option<Ready> {
        self.slab.get(token.key()).map(|interest| interest.ready)
    }

    /// Every source someone waits on, with the direction: for the step mode and debuggers.
    pub fn waiting(&self) -> Vec<(Token, Direction)> {
        let mut waiting = Vec::new();
        for (key, interest) in self.slab.iter() {
            let directions = interest.waiting.iter().map(|&(_, direction, _)| direction);
            waiting.extend(directions.map(|direction| (Token::from(key), direction)));
        }
        waiting.dedup();
        waiting
    }

    /// Moves every stored waker into `wakers`; used when the reactor shuts down.
    pub fn take_all_wakers(&mut self, wakers: &mut Vec<Waker>) {
        for interest in self.slab.values_mut() {
            wakers.extend(interest.waiting.drain(..).map(|(_, _, waker)| waker));
        }
    }

    /// The interest of `token`'s slot, if the slot is occupied by that same generation.
    fn interest_mut(&mut self, token: Token) -> Option<&mut Interest> {
        self.slab.get_mut(token.key())
    }
}

impl Interest {
    /// A fresh id for a future that starts waiting.
    fn new_future(&mut self) -> Waiter {
        self.next_future += 1;
        Waiter::Future(self.next_future)
    }

    /// Removes `waiter`'s entry (a future waits for one direction at a time), returning its
    /// waker to drop after the lock.
    fn leave(&mut self, waiter: Waiter) -> Option<Waker> {
        let index = self.waiting.iter().position(|(w, _, _)| *w == waiter)?;
        Some(self.waiting.swap_remove(index).2)
    }
}

impl Ready {
    /// Whether `direction` may make progress.
    fn is(&self, direction: Direction) -> bool {
        match direction {
            Direction::Read => self.readable,
            Direction::Write => self.writable,
        }
    }
}

impl Default for Slots {
    fn default() -> Slots {
        Slots::new()
    }
}

impl fmt::Debug for Slots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slots").field("slab", &self.slab).finish()
    }
}

#[cfg(test)]
mod tests;
