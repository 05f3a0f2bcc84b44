//! Slots held before sending: `Permit`, `PermitIterator` and `OwnedPermit`.
//!
//! A permit is one slot of a bounded channel, taken out of `Capacity` by `reserve` (or one of
//! its variants). Sending through it turns the slot into a queued message and cannot wait or
//! fail; dropping it gives the slot back. Reserving first is how a sender stays cancel-safe in
//! `select!`: the slot can be lost, the value cannot.

use std::fmt;

use crate::loom::sync::Arc;
use crate::sync::mpsc::bounded::Sender;
use crate::sync::mpsc::chan::Chan;

/// One reserved slot in the channel: sending through it cannot fail or wait.
pub struct Permit<'a, T> {
    chan: &'a Chan<T>,
}

/// `n` reserved slots, handed out as `Permit`s one by one; the slots not handed out go back
/// when the iterator is dropped.
pub struct PermitIterator<'a, T> {
    chan: &'a Chan<T>,
    remaining: usize,
}

/// One reserved slot that owns its `Sender`, so it can move into a task. Sending (or
/// [`release`](OwnedPermit::release)) gives the sender back. An `OwnedPermit` counts as a
/// sender: the receiver does not see the end of the channel while one is alive.
pub struct OwnedPermit<T> {
    /// `None` only after `send` or `release` took it, on the way out.
    sender: Option<Sender<T>>,
}

// === impl Permit ===

impl<'a, T> Permit<'a, T> {
    pub(super) fn new(chan: &'a Chan<T>) -> Permit<'a, T> {
        Permit { chan }
    }

    /// Queues `value` in the reserved slot. If the receiver was dropped meanwhile, the value is
    /// dropped, as it would have been had it been queued a moment earlier.
    pub fn send(self, value: T) {
        let _dropped_if_receiver_gone = self.send_or_return(value);
    }

    pub(super) fn send_or_return(self, value: T) -> Result<(), T> {
        // The reservation is used up whatever happens next; `drop` must not return it a second
        // time. So the permit is forgotten before the push, which runs user code (the
        // receiver's waker).
        let chan = self.chan;
        std::mem::forget(self);
        chan.push_reserved(value)
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        self.chan.unreserve(1);
    }
}

// === impl PermitIterator ===

impl<'a, T> PermitIterator<'a, T> {
    pub(super) fn new(chan: &'a Chan<T>, reserved: usize) -> PermitIterator<'a, T> {
        PermitIterator { chan, remaining: reserved }
    }
}

impl<'a, T> Iterator for PermitIterator<'a, T> {
    type Item = Permit<'a, T>;

    fn next(&mut self) -> Option<Permit<'a, T>> {
        if self.remaining == 0 {
            return None;
        }
        // The slot now belongs to the permit, which gives it back if dropped unused.
        self.remaining -= 1;
        Some(Permit::new(self.chan))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> ExactSizeIterator for PermitIterator<'_, T> {}

impl<T> std::iter::FusedIterator for PermitIterator<'_, T> {}

impl<T> Drop for PermitIterator<'_, T> {
    fn drop(&mut self) {
        if self.remaining > 0 {
            self.chan.unreserve(self.remaining);
        }
    }
}

// === impl OwnedPermit ===

impl<T> OwnedPermit<T> {
    pub(super) fn new(sender: Sender<T>) -> OwnedPermit<T> {
        OwnedPermit { sender: Some(sender) }
    }

    /// Queues `value` in the reserved slot and gives the sender back. If the receiver was
    /// dropped meanwhile, the value is dropped.
    pub fn send(mut self, value: T) -> Sender<T> {
        let sender = self.sender.take().expect("an OwnedPermit holds its sender until used");
        // As in `Permit::send`: the slot is used up before user code (a waker) can run.
        let _dropped_if_receiver_gone = sender.chan.push_reserved(value);
        sender
    }

    /// Gives the slot back without sending, and the sender back to the caller.
    pub fn release(mut self) -> Sender<T> {
        let sender = self.sender.take().expect("an OwnedPermit holds its sender until used");
        sender.chan.unreserve(1);
        sender
    }

    /// True if both permits reserve slots of the same channel.
    pub fn same_channel(&self, other: &OwnedPermit<T>) -> bool {
        Arc::ptr_eq(self.chan(), other.chan())
    }

    /// True if this permit reserves a slot of `sender`'s channel.
    pub fn same_channel_as_sender(&self, sender: &Sender<T>) -> bool {
        Arc::ptr_eq(self.chan(), &sender.chan)
    }

    fn chan(&self) -> &Arc<Chan<T>> {
        &self.sender.as_ref().expect("an OwnedPermit holds its sender until used").chan
    }
}

impl<T> Drop for OwnedPermit<T> {
    fn drop(&mut self) {
        // The slot goes back first, then the sender is dropped: if it was the last one, the
        // receiver then sees an idle channel with no senders.
        if let Some(sender) = self.sender.take() {
            sender.chan.unreserve(1);
            drop(sender);
        }
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Permit<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").field("chan", self.chan).finish()
    }
}

impl<T> fmt::Debug for PermitIterator<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermitIterator")
            .field("remaining", &self.remaining)
            .field("chan", self.chan)
            .finish()
    }
}

impl<T> fmt::Debug for OwnedPermit<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPermit").field("sender", &self.sender).finish()
    }
}
