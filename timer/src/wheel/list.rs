//! Where timers are kept: one [`Slab`] entry per timer, and the intrusive lists that thread
//! those entries into the wheel's slots.
//!
//! The wheel must insert and cancel in O(1) without allocating per timer. So every timer lives in
//! the workspace's one slab (`clockwork-slab`: a `Vec` with a free list and generation-checked
//! keys), and a slot of the wheel is not a collection of its own but the head of a doubly linked
//! list whose links are slab indices stored inside the timers ("intrusive" links). Unlinking a
//! timer from the middle of a slot is then two index writes, and moving it to another slot is an
//! unlink plus a push.
//!
//! A [`TimerKey`] is the slab's key: index plus generation. A key kept after its timer fired or
//! was cancelled no longer matches, even once the entry holds a newer timer, and every operation
//! treats it as "no such timer".

use std::task::Waker;

use clockwork_slab::{Key, Slab};

/// The name of one timer in a [`Wheel`](super::Wheel): a slab index plus the generation the entry
/// had when the timer was inserted.
///
/// Keys are cheap to copy and compare. A key outlives its timer harmlessly: once the timer has
/// fired or been cancelled, the entry's generation moves on and the key no longer matches it,
/// even after the same index is handed to a new timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey(pub(super) Key);

/// Which intrusive list a timer is currently threaded on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ListId {
    /// On no list: just created, or taken out of a slot during a cascade and about to be filed
    /// again.
    Detached,
    /// The deadline is at or before the wheel's current time; the next advance fires it.
    Due,
    /// Slot `slot` (0..64) of level `level` (0..6).
    Slot { level: u8, slot: u8 },
    /// The deadline lies beyond the top level's current rotation (about 795 days ahead).
    Overflow,
}

/// One pending timer: what to wake, when, and where it is filed.
#[derive(Debug)]
pub(super) struct Timer {
    /// The true deadline, in milliseconds since the wheel's epoch. Never clamped.
    pub(super) deadline_ms: u64,
    /// Handed back to the caller when the deadline passes.
    pub(super) waker: Waker,
    /// The list this timer is threaded on; `prev` and `next` are links within that list.
    pub(super) list: ListId,
    pub(super) prev: Option<u32>,
    pub(super) next: Option<u32>,
}

/// Every timer of one wheel.
pub(super) type Timers = Slab<Timer>;

impl Timer {
    pub(super) fn new(deadline_ms: u64, waker: Waker) -> Self {
        Timer { deadline_ms, waker, list: ListId::Detached, prev: None, next: None }
    }
}

/// One intrusive, doubly linked list of timers, oldest filing first. The links live in the
/// timers; the list itself is only its two ends.
///
/// Timers join at the back, and a list is always walked from the front, so a timer filed
/// earlier comes out earlier: that is what makes timers due at the same millisecond fire in the
/// order they were filed (see `Wheel::advance_to`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct List {
    pub(super) head: Option<u32>,
    tail: Option<u32>,
}

impl List {
    pub(super) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Threads the timer at `index` onto the back of this list, recording `id` as its list.
    pub(super) fn push_back(&mut self, timers: &mut Timers, index: u32, id: ListId) {
        debug_assert_eq!(
            timers.at(index).list,
            ListId::Detached,
            "a timer is on at most one list at a time"
        );
        let old_tail = self.tail;
        match old_tail {
            Some(old_tail) => timers.at_mut(old_tail).next = Some(index),
            None => self.head = Some(index),
        }
        let timer = timers.at_mut(index);
        timer.list = id;
        timer.prev = old_tail;
        timer.next = None;
        self.tail = Some(index);
    }

    /// Takes the timer at `index` out of this list, which must be the list it is on.
    pub(super) fn unlink(&mut self, timers: &mut Timers, index: u32) {
        let timer = timers.at_mut(index);
        let prev = timer.prev;
        let next = timer.next;
        detach(timer);
        match prev {
            Some(prev) => timers.at_mut(prev).next = next,
            None => self.head = next,
        }
        match next {
            Some(next) => timers.at_mut(next).prev = prev,
            None => self.tail = prev,
        }
    }
}

/// Marks a timer as on no list, after its whole list was taken (see `Wheel::advance_to`).
pub(super) fn detach(timer: &mut Timer) {
    timer.list = ListId::Detached;
    timer.prev = None;
    timer.next = None;
}

// === impl TimerKey ===

impl TimerKey {
    /// The slab index of this key's entry (for debugging and tracing; not a stable identity).
    pub fn index(&self) -> u32 {
        self.0.index()
    }

    /// The entry's generation when this key was handed out.
    pub fn generation(&self) -> u32 {
        self.0.generation()
    }
}
