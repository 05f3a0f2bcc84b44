//! Where timers are kept: each waker in one [`Slab`] entry, and in the wheel's lists only a small
//! note of it (its deadline and its slab index).
//!
//! The wheel must insert and cancel in O(1) without allocating per timer, and it must move timers
//! from list to list as the hand approaches them (the cascade), a million at a time if need be.
//! Two choices make that cheap:
//!
//! 1. **A list is a `Vec` of notes, not a chain through the timers.** A note ([`Filed`]) is 8
//!    bytes in a slot: the slab index and the part of the deadline below the slot. Cascading a
//!    slot reads its notes in order and appends them to other lists, so it never touches the
//!    wakers, which may lie anywhere in memory. (An intrusive linked list would visit every timer
//!    at a random address, once per level: a cache miss each time.)
//! 2. **Cancelling leaves the note where it is.** Finding a note inside a `Vec` would cost a
//!    search, so a cancelled timer is only marked *retired*: its waker is handed back, a bit is
//!    set, and the note stays until its list is next walked, which frees the entry. (A note at
//!    the end of its list, as a timeout's usually is when it is cancelled, is simply popped.) Each list
//!    counts its live notes, so a list whose last live timer is cancelled is freed at once (its
//!    slot stops counting as occupied), and when retired entries outnumber live ones the wheel
//!    sweeps them all out: memory stays within twice what the live timers need.
//!
//! A [`TimerKey`] is the slab's key (index plus generation) and the timer's deadline. The key
//! is stale once the timer fired or was cancelled, even after the entry holds a newer timer, and
//! the deadline tells the wheel which list holds the note (see `Wheel::remove`).

use std::task::Waker;

use clockwork_slab::{Key, Slab};

/// The name of one timer in a [`Wheel`](super::Wheel): its slab key and its deadline.
///
/// Keys are cheap to copy and compare. A key outlives its timer harmlessly: once the timer has
/// fired or been cancelled, the wheel treats the key as naming nothing, even after the same slab
/// entry is handed to a new timer (its generation has moved on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey {
    pub(super) key: Key,
    pub(super) deadline_ms: u64,
}

/// Which list of the wheel holds a timer's note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ListId {
    /// The deadline is at or before the wheel's current time; the next advance fires it.
    Due,
    /// Slot `slot` (0..64) of level `level` (0..6).
    Slot { level: u8, slot: u8 },
    /// The deadline lies beyond the top level's current rotation (about 795 days ahead).
    Overflow,
}

/// One timer's note in a list: when it is due, and which slab entry holds its waker.
///
/// In a slot of level `n`, `deadline` is a `u32`: only the deadline's base-64 digits below `n`
/// (the higher ones are the slot's own, so the slot's start plus this gives the deadline back).
/// The due and overflow lists hold any deadline, so theirs is a `u64`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Filed<D> {
    pub(super) deadline: D,
    pub(super) index: u32,
}

/// A list of notes, in filing order, and how many of them are live (not retired).
///
/// Notes join at the back and a list is always walked from the front, so timers due at the same
/// millisecond fire in the order they were filed (see `Wheel::advance_to`).
#[derive(Debug)]
pub(super) struct List<D> {
    pub(super) filed: Vec<Filed<D>>,
    pub(super) live: u32,
}

impl<D> List<D> {
    pub(super) const fn new() -> Self {
        List { filed: Vec::new(), live: 0 }
    }

    /// Whether a live timer is on this list.
    pub(super) fn has_live(&self) -> bool {
        self.live > 0
    }

    pub(super) fn push(&mut self, deadline: D, index: u32) {
        self.filed.push(Filed { deadline, index });
        self.live += 1;
    }

    /// Takes every note out, leaving the list empty (with its allocation, for the next pushes).
    pub(super) fn take(&mut self) -> Vec<Filed<D>> {
        self.live = 0;
        std::mem::take(&mut self.filed)
    }

    /// Gives back an emptied `Vec` that [`take`](Self::take) returned, so that its allocation is
    /// reused, unless notes were pushed meanwhile.
    pub(super) fn give_back(&mut self, mut emptied: Vec<Filed<D>>) {
        if self.filed.is_empty() {
            emptied.clear();
            self.filed = emptied;
        }
    }
}

/// The wakers of every timer in the wheel, and which entries are retired.
#[derive(Debug, Default)]
pub(super) struct Store {
    /// One waker per filed timer, live or retired. A retired entry holds a no-op waker.
    pub(super) wakers: Slab<Waker>,
    /// Bit `i` is set while entry `i` is retired: cancelled, with its note still in a list.
    retired: Vec<u64>,
    /// How many bits of `retired` are set.
    pub(super) retired_count: usize,
}

impl Store {
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Store { wakers: Slab::with_capacity(capacity), retired: Vec::new(), retired_count: 0 }
    }

    /// How many timers are live.
    pub(super) fn live(&self) -> usize {
        self.wakers.len() - self.retired_count
    }

    pub(super) fn is_retired(&self, index: u32) -> bool {
        let (word, bit) = bit_of(index);
        self.retired.get(word).is_some_and(|bits| bits & bit != 0)
    }

    /// Whether `key` names a live timer: its entry holds it, and it was not cancelled.
    pub(super) fn is_live(&self, key: TimerKey) -> bool {
        self.wakers.contains(key.key) && !self.is_retired(key.key.index())
    }

    /// Marks the live timer at `index` as cancelled and hands back its waker. The entry stays
    /// taken until its note is walked past.
    pub(super) fn retire(&mut self, index: u32) -> Waker {
        let (word, bit) = bit_of(index);
        if self.retired.len() <= word {
            self.retired.resize(word + 1, 0);
        }
        self.retired[word] |= bit;
        self.retired_count += 1;
        std::mem::replace(self.wakers.at_mut(index), Waker::noop().clone())
    }

    /// Frees the entry of a note that a list just let go of, if its timer was retired. Returns
    /// whether it was (the caller then drops the note).
    pub(super) fn free_if_retired(&mut self, index: u32) -> bool {
        if !self.is_retired(index) {
            return false;
        }
        let (word, bit) = bit_of(index);
        self.retired[word] &= !bit;
        self.retired_count -= 1;
        self.wakers.remove_at(index);
        true
    }

    /// Frees every entry of a list whose timers are all retired, leaving it empty.
    pub(super) fn free_all<D>(&mut self, list: &mut List<D>) {
        for filed in list.filed.drain(..) {
            let freed = self.free_if_retired(filed.index);
            debug_assert!(freed, "a list with no live timer holds only retired ones");
        }
    }

    /// Drops the retired notes of `list`; their entries stay taken until
    /// [`free_every_retired`](Self::free_every_retired).
    pub(super) fn drop_retired<D>(&self, list: &mut List<D>) {
        list.filed.retain(|filed| !self.is_retired(filed.index));
    }

    /// Frees every retired entry, once no list holds a note of one (after a sweep). The bitmap
    /// names them, and walking it from the top frees them highest index first, for the reason
    /// [`free_fired`](Self::free_fired) gives.
    pub(super) fn free_every_retired(&mut self) {
        for word in (0..self.retired.len()).rev() {
            let mut bits = std::mem::take(&mut self.retired[word]);
            while bits != 0 {
                let bit = u64::BITS - 1 - bits.leading_zeros();
                bits &= !(1 << bit);
                self.wakers.remove_at(word as u32 * 64 + bit);
            }
        }
        self.retired_count = 0;
    }

    /// Takes the waker of a timer that fires; its entry is freed afterwards, with the others of
    /// its batch ([`free_fired`](Self::free_fired)).
    pub(super) fn take_waker(&mut self, index: u32) -> Waker {
        std::mem::replace(self.wakers.at_mut(index), Waker::noop().clone())
    }

    /// Frees the entries of fired timers, whose wakers were taken, the highest index first.
    ///
    /// The slab hands freed entries out again last-freed first, so the next inserts then walk
    /// the slab upwards, and the processor can fetch ahead. Freed in the order the timers fired
    /// (deadline order, which hops over the slab), a million inserts after a million firings
    /// took three times as long: each insert waited for a cache miss to find the next entry.
    pub(super) fn free_fired(&mut self, indices: &mut Vec<u32>) {
        indices.sort_unstable();
        for index in indices.drain(..).rev() {
            self.wakers.remove_at(index);
        }
    }
}

/// The word of the `retired` bitmap that holds `index`'s bit, and the bit.
fn bit_of(index: u32) -> (usize, u64) {
    ((index / 64) as usize, 1 << (index % 64))
}

// === impl TimerKey ===

impl TimerKey {
    /// The slab index of this key's entry (for debugging and tracing; not a stable identity).
    pub fn index(&self) -> u32 {
        self.key.index()
    }

    /// The entry's generation when this key was handed out.
    pub fn generation(&self) -> u32 {
        self.key.generation()
    }
}
