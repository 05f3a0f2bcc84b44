//! `Interest` and `Ready`: tokio's words for "what I wait for" and "what happened".
//!
//! A socket's `ready(interest)` waits until at least one of the directions in `interest` may make
//! progress and answers with a [`Ready`] set, which says which ones, and whether the peer closed.
//!
//! This `Ready` is what users see; [`slots::Ready`] is the slot's own
//! bookkeeping, from which it is computed. They share tokio's name because the public one must
//! be `tokio::io::Ready` after a rename; inside the reactor, the slot's is always written
//! `slots::Ready`.

use std::fmt;
use std::ops;

use crate::slots::{self, Direction};

/// The directions a task wants to wait for, as tokio's `io::Interest`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Interest(u8);

const READABLE: u8 = 0b0000_0001;
const WRITABLE: u8 = 0b0000_0010;
const READ_CLOSED: u8 = 0b0000_0100;
const WRITE_CLOSED: u8 = 0b0000_1000;
const PRIORITY: u8 = 0b0001_0000;
const ERROR: u8 = 0b0010_0000;

impl Interest {
    /// Wait until reading may make progress.
    pub const READABLE: Interest = Interest(READABLE);
    /// Wait until writing may make progress.
    pub const WRITABLE: Interest = Interest(WRITABLE);
    /// Wait for an error condition. Clockwork's slots do not record errors apart from the
    /// directions, so on its own this interest is never satisfied (see the crate's book).
    pub const ERROR: Interest = Interest(ERROR);
    /// Wait for priority (out-of-band) data. Clockwork has no API for it, and, as with
    /// `ERROR`, on its own this interest is never satisfied.
    pub const PRIORITY: Interest = Interest(PRIORITY);

    /// Whether the interest includes reading.
    pub const fn is_readable(self) -> bool {
        self.0 & READABLE != 0
    }

    /// Whether the interest includes writing.
    pub const fn is_writable(self) -> bool {
        self.0 & WRITABLE != 0
    }

    /// Whether the interest includes errors.
    pub const fn is_error(self) -> bool {
        self.0 & ERROR != 0
    }

    /// Whether the interest includes priority data.
    pub const fn is_priority(self) -> bool {
        self.0 & PRIORITY != 0
    }

    /// Both interests together.
    #[must_use = "this returns the result of the operation, without modifying the original"]
    pub const fn add(self, other: Interest) -> Interest {
        Interest(self.0 | other.0)
    }

    /// This interest without `other`; `None` if nothing is left.
    #[must_use = "this returns the result of the operation, without modifying the original"]
    pub fn remove(self, other: Interest) -> Option<Interest> {
        let left = self.0 & !other.0;
        (left != 0).then_some(Interest(left))
    }

    /// The directions of the registration this interest asks about, reading first.
    pub(crate) fn directions(self) -> impl Iterator<Item = Direction> {
        let read = self.is_readable().then_some(Direction::Read);
        let write = self.is_writable().then_some(Direction::Write);
        read.into_iter().chain(write)
    }
}

impl ops::BitOr for Interest {
    type Output = Interest;

    fn bitor(self, other: Interest) -> Interest {
        self.add(other)
    }
}

impl ops::BitOrAssign for Interest {
    fn bitor_assign(&mut self, other: Interest) {
        *self = self.add(other);
    }
}

impl fmt::Debug for Interest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (READABLE, "READABLE"),
            (WRITABLE, "WRITABLE"),
            (ERROR, "ERROR"),
            (PRIORITY, "PRIORITY"),
        ];
        write_flags(f, self.0, &names)
    }
}

/// What a source is ready for, as tokio's `io::Ready`: returned by the sockets' `ready`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ready(u8);

impl Ready {
    /// Nothing is ready.
    pub const EMPTY: Ready = Ready(0);
    /// Reading may make progress.
    pub const READABLE: Ready = Ready(READABLE);
    /// Writing may make progress.
    pub const WRITABLE: Ready = Ready(WRITABLE);
    /// The peer stopped sending: reads will reach EOF.
    pub const READ_CLOSED: Ready = Ready(READ_CLOSED);
    /// The peer stopped receiving: writes will fail. Clockwork's slots do not record it, so a
    /// `ready` never reports it (a FIXME in the book's compatibility chapter).
    pub const WRITE_CLOSED: Ready = Ready(WRITE_CLOSED);
    /// Priority data is waiting. Never reported by Clockwork.
    pub const PRIORITY: Ready = Ready(PRIORITY);
    /// An error is pending. Never reported by Clockwork apart from the directions.
    pub const ERROR: Ready = Ready(ERROR);
    /// Every flag.
    pub const ALL: Ready =
        Ready(READABLE | WRITABLE | READ_CLOSED | WRITE_CLOSED | PRIORITY | ERROR);

    /// Whether nothing is ready.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether reading may make progress (data, or the EOF of a closed peer).
    pub fn is_readable(self) -> bool {
        self.0 & (READABLE | READ_CLOSED) != 0
    }

    /// Whether writing may make progress.
    pub fn is_writable(self) -> bool {
        self.0 & (WRITABLE | WRITE_CLOSED) != 0
    }

    /// Whether the peer stopped sending.
    pub fn is_read_closed(self) -> bool {
        self.0 & READ_CLOSED != 0
    }

    /// Whether the peer stopped receiving.
    pub fn is_write_closed(self) -> bool {
        self.0 & WRITE_CLOSED != 0
    }

    /// Whether priority data is waiting.
    pub fn is_priority(self) -> bool {
        self.0 & PRIORITY != 0
    }

    /// Whether an error is pending.
    pub fn is_error(self) -> bool {
        self.0 & ERROR != 0
    }

    /// What the slot records, seen through `interest`: a direction nobody asked about is left
    /// out, as in tokio, so that `ready(Interest::READABLE)` never says "writable".
    pub(crate) fn from_slot(slot: slots::Ready, interest: Interest) -> Ready {
        let mut ready = Ready::EMPTY;
        if interest.is_readable() && slot.readable {
            ready |= Ready::READABLE;
        }
        if interest.is_readable() && slot.read_closed {
            ready |= Ready::READ_CLOSED;
        }
        if interest.is_writable() && slot.writable {
            ready |= Ready::WRITABLE;
        }
        ready
    }
}

impl ops::BitOr for Ready {
    type Output = Ready;

    fn bitor(self, other: Ready) -> Ready {
        Ready(self.0 | other.0)
    }
}

impl ops::BitOrAssign for Ready {
    fn bitor_assign(&mut self, other: Ready) {
        self.0 |= other.0;
    }
}

impl ops::BitAnd for Ready {
    type Output = Ready;

    fn bitand(self, other: Ready) -> Ready {
        Ready(self.0 & other.0)
    }
}

impl ops::Sub for Ready {
    type Output = Ready;

    fn sub(self, other: Ready) -> Ready {
        Ready(self.0 & !other.0)
    }
}

impl fmt::Debug for Ready {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ready")
            .field("is_readable", &self.is_readable())
            .field("is_writable", &self.is_writable())
            .field("is_read_closed", &self.is_read_closed())
            .field("is_write_closed", &self.is_write_closed())
            .field("is_error", &self.is_error())
            .finish()
    }
}

/// Writes the names of the flags set in `bits`, joined by ` | `.
fn write_flags(f: &mut fmt::Formatter<'_>, bits: u8, names: &[(u8, &str)]) -> fmt::Result {
    let set: Vec<&str> =
        names.iter().filter(|(bit, _)| bits & bit != 0).map(|(_, name)| *name).collect();
    f.write_str(&set.join(" | "))
}
