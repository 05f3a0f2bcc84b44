//! Timer storage: a slab of entries addressed by [`TimerKey`], and the intrusive lists that thread
//! those entries into the wheel's slots.
//!
//! The wheel must insert and cancel in O(1) without allocating per timer. So every timer lives in one
//! `Vec` (the slab), freed entries are chained into a free list for reuse, and a slot of the wheel is
//! not a collection of its own but the head of a doubly linked list whose links are slab indices
//! stored inside the entries ("intrusive" links). Unlinking an entry from the middle of a slot is then
//! two index writes, and moving it to another slot is an unlink plus a push.
//!
//! A freed entry is reused by the next insert, so an index alone cannot name a timer: a key kept by a
//! caller after its timer fired would silently point at somebody else's timer. Each entry therefore
//! carries a generation that is bumped whenever the entry is freed, and a [`TimerKey`] is the pair
//! (index, generation). A key whose generation no longer matches is stale and every operation treats
//! it as "no such timer".

use std::mem;
use std::task::Waker;

/// The name of one timer in a [`Wheel`](super::Wheel): a slab index plus the generation the entry had
/// when the timer was inserted.
///
/// Keys are cheap to copy and compare. A key outlives its timer harmlessly: once the timer has fired
/// or been cancelled, the entry's generation moves on and the key no longer matches it, even after
/// the same index is handed to a new timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey {
    index: u32,
    generation: u32,
}

/// Which intrusive list a timer is currently threaded on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ListId {
    /// On no list: just created, or taken out of a slot during a cascade and about to be filed again.
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

impl Timer {
    pub(super) fn new(deadline_ms: u64, waker: Waker) -> Self {
        Timer { deadline_ms, waker, list: ListId::Detached, prev: None, next: None }
    }
}

/// The head of one intrusive, doubly linked list of timers. The links live in the timers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct List {
    pub(super) head: Option<u32>,
}

impl List {
    pub(super) fn is_empty(&self) -> bool {
        self.head.is_none()
    }
}

/// Every timer of one wheel, live or freed.
pub(super) struct Slab {
    entries: Vec<Entry>,
    /// The most recently freed entry; the free entries are chained through `Vacant::next_free`.
    free_head: Option<u32>,
    /// How many entries are occupied.
    live: usize,
}

/// One cell of the slab.
#[derive(Debug)]
struct Entry {
    /// Bumped every time this entry is freed, so that keys handed out earlier stop matching.
    generation: u32,
    state: EntryState,
}

#[derive(Debug)]
enum EntryState {
    /// Free for reuse; `next_free` continues the free list.
    Vacant { next_free: Option<u32> },
    /// Holds a pending timer.
    Occupied(Timer),
}

// === impl Slab ===

impl Slab {
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Slab { entries: Vec::with_capacity(capacity), free_head: None, live: 0 }
    }

    pub(super) fn len(&self) -> usize {
        self.live
    }

    /// Stores `timer` in a free entry (or a new one) and returns its key.
    pub(super) fn insert(&mut self, timer: Timer) -> TimerKey {
        self.live += 1;
        let Some(index) = self.free_head else {
            return self.push_new_entry(timer);
        };
        let entry = &mut self.entries[index as usize];
        let EntryState::Vacant { next_free } = entry.state else {
            unreachable!("the free list links only vacant entries");
        };
        self.free_head = next_free;
        entry.state = EntryState::Occupied(timer);
        TimerKey { index, generation: entry.generation }
    }

    fn push_new_entry(&mut self, timer: Timer) -> TimerKey {
        let index =
            u32::try_from(self.entries.len()).expect("a wheel holds at most u32::MAX timers");
        let entry = Entry { generation: 0, state: EntryState::Occupied(timer) };
        self.entries.push(entry);
        TimerKey { index, generation: 0 }
    }

    /// Frees the entry at `index` and returns its timer. The caller must have unlinked it first.
    pub(super) fn remove(&mut self, index: u32) -> Timer {
        let entry = &mut self.entries[index as usize];
        let vacant = EntryState::Vacant { next_free: self.free_head };
        let EntryState::Occupied(timer) = mem::replace(&mut entry.state, vacant) else {
            panic!("removing timer entry {index}, which is already vacant");
        };
        // Bumping the generation is what turns every outstanding key for this entry stale.
        entry.generation = entry.generation.wrapping_add(1);
        self.free_head = Some(index);
        self.live -= 1;
        timer
    }

    /// The index of the live timer named by `key`, or `None` if the key is stale.
    pub(super) fn index_of(&self, key: TimerKey) -> Option<u32> {
        let entry = self.entries.get(key.index as usize)?;
        let same_generation = entry.generation == key.generation;
        let occupied = matches!(entry.state, EntryState::Occupied(_));
        (same_generation && occupied).then_some(key.index)
    }

    pub(super) fn timer(&self, index: u32) -> &Timer {
        match &self.entries[index as usize].state {
            EntryState::Occupied(timer) => timer,
            EntryState::Vacant { .. } => panic!("timer entry {index} is vacant"),
        }
    }

    pub(super) fn timer_mut(&mut self, index: u32) -> &mut Timer {
        match &mut self.entries[index as usize].state {
            EntryState::Occupied(timer) => timer,
            EntryState::Vacant { .. } => panic!("timer entry {index} is vacant"),
        }
    }

    /// Threads the timer at `index` onto the front of `list`, recording `id` as its list.
    pub(super) fn push_front(&mut self, list: &mut List, index: u32, id: ListId) {
        debug_assert_eq!(
            self.timer(index).list,
            ListId::Detached,
            "a timer is on at most one list at a time"
        );
        let old_head = list.head;
        if let Some(old_head) = old_head {
            self.timer_mut(old_head).prev = Some(index);
        }
        let timer = self.timer_mut(index);
        timer.list = id;
        timer.prev = None;
        timer.next = old_head;
        list.head = Some(index);
    }

    /// Takes the timer at `index` out of `list`, which must be the list it is on.
    pub(super) fn unlink(&mut self, list: &mut List, index: u32) {
        let timer = self.timer_mut(index);
        let prev = timer.prev;
        let next = timer.next;
        timer.list = ListId::Detached;
        timer.prev = None;
        timer.next = None;
        match prev {
            Some(prev) => self.timer_mut(prev).next = next,
            None => list.head = next,
        }
        if let Some(next) = next {
            self.timer_mut(next).prev = prev;
        }
    }

    /// Marks a timer as on no list, after its whole list was taken (see `Wheel::advance_to`).
    pub(super) fn detach(&mut self, index: u32) {
        let timer = self.timer_mut(index);
        timer.list = ListId::Detached;
        timer.prev = None;
        timer.next = None;
    }
}

impl std::fmt::Debug for Slab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slab")
            .field("live", &self.live)
            .field("entries", &self.entries.len())
            .field("free_head", &self.free_head)
            .finish()
    }
}

// === impl TimerKey ===

impl TimerKey {
    /// The slab index of this key's entry (for debugging and tracing; not a stable identity).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The entry's generation when this key was handed out.
    pub fn generation(&self) -> u32 {
        self.generation
    }
}
