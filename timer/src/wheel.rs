//! The hierarchical timing wheel: files wakers by deadline and hands them back once the deadline
//! has passed.
//!
//! A runtime with thousands of timers needs three cheap operations: file a timer, cancel it (most
//! timeouts never fire), and find out when the next one is due. A sorted structure makes one of
//! them cost O(log n). A timing wheel makes all three O(1), by giving up exact ordering within a
//! slot. The hierarchical version is scheme 7 of George Varghese and Tony Lauck, "Hashed and
//! Hierarchical Timing Wheels: Data Structures for the Efficient Implementation of a Timer
//! Facility" (SOSP 1987): like the hands of a clock, each level counts in units 64 times larger
//! than the level below, and a timer drops down a level each time the hand gets close.
//!
//! # The picture
//!
//! Read a time in milliseconds as base-64 digits, one digit per level (level 0 is the lowest).
//! Here the wheel's hand is at 0 and a timer is inserted for 9_000 ms.
//!
//! ```text
// ANCHOR: picture
//!  deadline_ms = 9_000 = 2*4096 + 12*64 + 40     base-64 digits (levels 2, 1, 0): 2, 12, 40
//!  hand_ms     =     0                           base-64 digits (levels 2, 1, 0): 0,  0,  0
//!
//!                 slot:  0   1   2     12     40     63    occupied bitmap
//!                      +---+---+---+..+---+..+---+..+---+
//!  level 5 (2^30 ms)   |   |   |   |  |   |  |   |  |   |  0
//!   ...
//!  level 2 (4096 ms)   |   |   | o |  |   |  |   |  |   |  1 << 2        (1) insert
//!                      +---+---+-|-+..+---+..+---+..+---+
//!                                '-----.
//!                                      v                                 (2) hand at 8_192
//!  level 1 (64 ms)     |   |   |   |  | o |  |   |  |   |  1 << 12
//!                      +---+---+---+..+-|-+..+---+..+---+
//!                                       '------.
//!                                              v                         (3) hand at 8_960
//!  level 0 (1 ms)      |   |   |   |  |   |  | o |  |   |  1 << 40
//!                      +---+---+---+..+---+..+-|-+..+---+
//!                                              v                         (4) hand at 9_000
//!                                       fired: Vec<Waker>
// ANCHOR_END: picture
//! ```
//!
//! 1. [`Wheel::insert`]: the hand (0) and the deadline (9_000) first differ in the level-2 digit, so
//!    the timer goes to level 2, in the slot named by the deadline's level-2 digit: slot 2, which
//!    covers 8_192..12_288 ms. Bit 2 of level 2's bitmap is set. [`Wheel::next_expiry`] now answers
//!    8_192: the lowest set bit of the lowest non-empty level, turned back into a time.
//! 2. [`Wheel::advance_to`] reaches 8_192: the hand enters slot 2 of level 2, so the whole slot is
//!    taken and each timer in it is filed again, relative to the new hand. 8_192 and 9_000 first
//!    differ in the level-1 digit, so the timer cascades to level 1, slot 12 (8_960..9_024 ms).
//! 3. At 8_960 the same happens one level lower: the timer cascades to level 0, slot 40.
//! 4. At 9_000 the deadline is no longer ahead of the hand, so the timer is due: its entry is freed
//!    and its waker pushed onto the caller's `fired` list.
//!
//! A timer therefore moves at most once per level, and each move is O(1). Between moves it costs
//! nothing at all. The slots hold small notes of the timers rather than the timers themselves,
//! and cancelling leaves the note behind, retired; the `list` module says why.
//!
//! # Why six levels
//!
//! Six levels of 64 slots cover 64^6 ms = 2^36 ms, about 795 days, which is beyond any timeout a
//! program sets in earnest. Five levels would stop at 2^30 ms, about 12 days, which a monthly job
//! or a long session expiry exceeds. A seventh level would cost 64 more slot heads and one more
//! cascade for deadlines of more than two years. Deadlines beyond the top level's current rotation
//! (including [`u64::MAX`], "never") wait on one overflow list and are filed again when the hand
//! reaches the next rotation. Tokio clamps such deadlines to the horizon; keeping the true deadline
//! instead costs one list, and guarantees that no timer ever fires before its deadline.
//!
//! # Why wakers are returned, not called
//!
//! [`Wheel::advance_to`] pushes wakers onto a `Vec` and never calls them. Waking runs foreign code
//! (the executor's wake path, or a user's custom waker) that may well want to use the wheel itself:
//! a woken task that is polled at once may drop its `Sleep`, which cancels a timer. If the wheel
//! called the waker while it was borrowed mutably, that would be a second borrow (a `RefCell`
//! panic, or a deadlock behind a lock). Returning the wakers lets the caller end the borrow first.

// Reading order: where a deadline goes, then how timers are stored.
mod level;
mod list;

#[cfg(test)]
mod tests;

use std::task::Waker;

use level::{LEVELS, Level};
use list::{Filed, List, ListId, Store};

pub use list::TimerKey;

/// A hierarchical timing wheel with 1 ms resolution.
///
/// Times are `u64` milliseconds since the wheel's epoch (the start of the [`Clock`](crate::Clock)
/// that drives it). The wheel's own notion of now, [`hand_ms`](Self::hand_ms), moves only
/// when [`advance_to`](Self::advance_to) is called, and only forwards.
pub struct Wheel {
    /// The hand: every deadline at or before it has been handed back, or sits on `due`.
    hand_ms: u64,
    /// Level `n` has slots of 64^n ms each.
    levels: [Level; LEVELS],
    /// Timers whose deadline was already at or before the hand when they were filed.
    due: List<u64>,
    /// Timers whose deadline is beyond the top level's current rotation.
    overflow: List<u64>,
    /// The wakers; the lists above hold only notes of where they are.
    timers: Store,
    /// Scratch space for putting one advance's due timers in deadline order, kept between
    /// advances so that firing allocates nothing in the steady state.
    due_order: Vec<Filed<u64>>,
    /// Scratch space for the slab indices of the entries a firing frees.
    freeing: Vec<u32>,
}

/// Retired entries are swept out once they are more than this many and outnumber the live
/// timers: below it, sweeping would cost more than the memory it gives back.
const SWEEP_AT_LEAST: usize = 1024;

/// The next place where the hand has work to do, and when it gets there.
#[derive(Debug, Clone, Copy)]
struct NextWork {
    list: ListId,
    start_ms: u64,
}

impl Wheel {
    /// An empty wheel whose hand is at 0 ms.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty wheel with room for `capacity` timers before its storage grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Wheel {
            hand_ms: 0,
            levels: std::array::from_fn(|_| Level::new()),
            due: List::new(),
            overflow: List::new(),
            timers: Store::with_capacity(capacity),
            due_order: Vec::new(),
            freeing: Vec::new(),
        }
    }

    /// The wheel's current time: the `now_ms` of the latest forward [`advance_to`](Self::advance_to).
    pub fn hand_ms(&self) -> u64 {
        self.hand_ms
    }

    /// How many timers are live (inserted, not yet fired or cancelled).
    pub fn len(&self) -> usize {
        self.timers.live()
    }

    /// Whether no timer is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The occupied slots of level `level` (0 to 5), lowest first: for pictures and debuggers.
    pub fn occupied_slots(&self, level: usize) -> Vec<usize> {
        self.levels.get(level).map(Level::occupied_slots).unwrap_or_default()
    }

    /// Whether `key` names a timer that has neither fired nor been cancelled.
    pub fn is_live(&self, key: TimerKey) -> bool {
        self.timers.is_live(key)
    }

    /// The deadline of the live timer `key`, or `None` if the key is stale.
    pub fn deadline_ms(&self, key: TimerKey) -> Option<u64> {
        self.is_live(key).then_some(key.deadline_ms)
    }

    // ANCHOR: insert
    /// Files `waker` to be handed back by the first [`advance_to`](Self::advance_to) whose `now_ms`
    /// is at or past `deadline_ms`. O(1).
    ///
    /// A deadline at or before [`hand_ms`](Self::hand_ms) fires on the next advance. Any
    /// `u64` is accepted; [`u64::MAX`] means "effectively never".
    pub fn insert(&mut self, deadline_ms: u64, waker: Waker) -> TimerKey {
        let key = self.timers.wakers.insert(waker);
        self.file(deadline_ms, key.index());
        TimerKey { key, deadline_ms }
    }
    // ANCHOR_END: insert

    /// Cancels the timer `key`, dropping its waker. O(1).
    ///
    /// Returns `false`, and does nothing, if the key is stale: the timer already fired or was
    /// cancelled, even if its entry now holds a newer timer.
    ///
    /// The waker is dropped while the wheel is borrowed. If dropping a waker could re-enter the
    /// wheel, use [`remove`](Self::remove) and drop the waker after the borrow ends.
    pub fn cancel(&mut self, key: TimerKey) -> bool {
        self.remove(key).is_some()
    }

    // ANCHOR: remove
    /// Cancels the timer `key` and returns its waker, or `None` if the key is stale. O(1)
    /// amortized.
    ///
    /// The list that holds the timer's note is found again from the deadline alone: the hand
    /// has not reached that list since the timer was filed (or it would have been moved on), so
    /// filing it now would pick the same list.
    pub fn remove(&mut self, key: TimerKey) -> Option<Waker> {
        if !self.is_live(key) {
            return None;
        }
        let index = key.index();
        let waker = match level::placement(self.hand_ms, key.deadline_ms) {
            ListId::Due => remove_from(&mut self.timers, &mut self.due, index),
            ListId::Overflow => remove_from(&mut self.timers, &mut self.overflow, index),
            ListId::Slot { level, slot } => {
                let (level, slot) = (&mut self.levels[usize::from(level)], usize::from(slot));
                let waker = remove_from(&mut self.timers, &mut level.slots[slot], index);
                level.clear_if_empty(slot);
                waker
            }
        };
        if self.timers.retired_count > SWEEP_AT_LEAST.max(self.timers.live()) {
            self.sweep();
        }
        Some(waker)
    }
    // ANCHOR_END: remove

    /// Moves the live timer `key` to `deadline_ms`, earlier or later, and updates `key` to name
    /// it there. O(1) amortized.
    ///
    /// Returns `false`, and does nothing, if the key is stale. Moving is a cancel and a new
    /// filing, so among timers due at the same millisecond a moved one fires after those filed
    /// before the move.
    pub fn reset(&mut self, key: &mut TimerKey, deadline_ms: u64) -> bool {
        let Some(waker) = self.remove(*key) else {
            return false;
        };
        *key = self.insert(deadline_ms, waker);
        true
    }

    /// Replaces the waker of the live timer `key`, unless the stored one already
    /// [`will_wake`](Waker::will_wake) the same task.
    ///
    /// A future polled by a different task than last time (it was moved, or is polled through a
    /// combinator) must be woken through the new waker; the `will_wake` check skips the clone in
    /// the common case where nothing changed. The old waker is handed back rather than dropped
    /// here: dropping a waker runs foreign code, which must not run while the caller still
    /// borrows the wheel (the same reason `advance_to` hands wakers back).
    pub fn set_waker(&mut self, key: TimerKey, waker: &Waker) -> SetWaker {
        if !self.is_live(key) {
            return SetWaker::Stale;
        }
        let stored = self.timers.wakers.at_mut(key.index());
        if stored.will_wake(waker) {
            return SetWaker::Unchanged;
        }
        SetWaker::Replaced(std::mem::replace(stored, waker.clone()))
    }

    // ANCHOR: next_expiry
    /// The earliest time at which [`advance_to`](Self::advance_to) has work to do, or `None` if the
    /// wheel is empty.
    ///
    /// This is never later than the earliest deadline, so a runtime can sleep until then. It can be
    /// earlier: when the earliest timer sits on level 1 or above, the answer is the start of its
    /// slot, where the timer cascades down and the true deadline becomes visible. After advancing
    /// to that time, ask again; each answer is exact within 64^level ms and at most one per level.
    pub fn next_expiry(&self) -> Option<u64> {
        // Timers filed in the past are due right now.
        if self.due.has_live() {
            return Some(self.hand_ms);
        }
        let next_work = self.next_work()?;
        Some(next_work.start_ms)
    }

    /// Like [`next_expiry`](Self::next_expiry), but never a mere refiling point: when the only
    /// timers left wait on the overflow list, the answer is the earliest of their true deadlines
    /// (found by walking that list) rather than the start of the next rotation, where they would
    /// only be filed again. A paused clock that jumps to the next timer needs this: jumping to a
    /// rotation start would move time by up to 2^36 ms and fire nothing.
    pub fn next_deadline_ms(&self) -> Option<u64> {
        let next = self.next_expiry()?;
        let levels_are_empty =
            !self.due.has_live() && self.levels.iter().all(|l| l.first_occupied().is_none());
        if !levels_are_empty {
            return Some(next);
        }
        let live = self.overflow.filed.iter().filter(|f| !self.timers.is_retired(f.index));
        live.map(|filed| filed.deadline).min()
    }

    /// Finds the next slot the hand will enter, using the bitmaps only.
    ///
    /// Every timer on level `n` lies within the hand's current rotation of level `n + 1`, so any
    /// timer on a lower level is earlier than every timer on a higher one. The first occupied
    /// level therefore holds the answer, and its lowest set bit names the slot.
    fn next_work(&self) -> Option<NextWork> {
        for (level_number, level) in self.levels.iter().enumerate() {
            let Some(slot) = level.first_occupied() else {
                continue;
            };
            let start_ms = level::slot_start_ms(self.hand_ms, level_number, slot);
            debug_assert!(
                start_ms > self.hand_ms,
                "an occupied slot always lies ahead of the hand"
            );
            let list = ListId::Slot { level: level_number as u8, slot: slot as u8 };
            return Some(NextWork { list, start_ms });
        }
        if !self.overflow.has_live() {
            return None;
        }
        let start_ms = level::next_rotation_start_ms(self.hand_ms)
            .expect("an overflowing deadline implies a later rotation exists");
        Some(NextWork { list: ListId::Overflow, start_ms })
    }
    // ANCHOR_END: next_expiry

    // ANCHOR: advance
    /// Moves the hand to `now_ms`, removing every timer whose deadline is at or before `now_ms` and
    /// pushing its waker onto `fired`: earliest deadline first, and among timers due at the same
    /// millisecond, in the order they were filed (inserted, or last reset).
    ///
    /// The wakers are not called: the caller calls them after this borrow of the wheel ends, so a
    /// woken task may insert or cancel timers (see the module docs).
    ///
    /// If `now_ms` is earlier than [`hand_ms`](Self::hand_ms) (a clock went backwards), this
    /// does nothing: the hand never moves back, and nothing fires early.
    pub fn advance_to(&mut self, now_ms: u64, fired: &mut Vec<Waker>) {
        if now_ms < self.hand_ms {
            return;
        }
        // Step 1: visit, in time order, every occupied slot that the hand passes on its way to
        // `now_ms`. Entering a slot means its timers are now close enough for a finer level, so the
        // whole slot is taken and each timer is filed again relative to the slot's start: one level
        // down, or onto `due` if its deadline has come.
        while let Some(next_work) = self.next_work_by(now_ms) {
            match next_work.list {
                ListId::Slot { level, slot } => {
                    self.hand_ms = next_work.start_ms;
                    self.cascade(usize::from(level), usize::from(slot));
                }
                // The overflow list is visited only when every level is empty. Rotations that lie
                // wholly before `now_ms` hold no timers then, so the hand skips straight to the
                // rotation that contains `now_ms` rather than stepping through 795-day rotations.
                ListId::Overflow => {
                    self.hand_ms = level::rotation_start_ms(now_ms);
                    self.refile_overflow();
                }
                ListId::Due => unreachable!("next_work names a slot or the overflow list"),
            }
        }
        // Step 2: no occupied slot starts at or before `now_ms`, so the hand can jump there. Every
        // timer left on a level still lies ahead of it, in the hand's current rotation.
        self.hand_ms = now_ms;
        // Step 3: hand back everything that is due, including timers filed in the past.
        self.fire_due(fired);
    }

    /// The next slot the hand enters, if it enters it at or before `now_ms`.
    fn next_work_by(&self, now_ms: u64) -> Option<NextWork> {
        let next_work = self.next_work()?;
        (next_work.start_ms <= now_ms).then_some(next_work)
    }

    /// The hand has entered slot `slot` of level `level`: files each of its timers again, and
    /// frees the retired ones. Only the notes are read; the wakers stay where they are.
    fn cascade(&mut self, level: usize, slot: usize) {
        let mut notes = self.levels[level].take(slot);
        for filed in notes.drain(..) {
            if !self.timers.free_if_retired(filed.index) {
                // The hand is at the slot's start, whose digits from `level` up are the
                // deadline's: adding the digits below gives the deadline back.
                self.file(self.hand_ms + u64::from(filed.deadline), filed.index);
            }
        }
        self.levels[level].slots[slot].give_back(notes);
    }
    // ANCHOR_END: advance

    /// The hand has entered a new rotation of the top level: files the overflow list again.
    fn refile_overflow(&mut self) {
        let mut notes = self.overflow.take();
        for filed in notes.drain(..) {
            if !self.timers.free_if_retired(filed.index) {
                self.file(filed.deadline, filed.index);
            }
        }
        self.overflow.give_back(notes);
    }

    /// Frees every timer on the due list and pushes its waker onto `fired`, earliest deadline
    /// first and, among equal deadlines, in the order they were filed.
    ///
    /// The due list is almost always in that order already: the hand visits slots in time
    /// order, and every list keeps its filing order. Two things break it: timers filed with a
    /// deadline already past (they join the front part of the list in filing order, whatever
    /// their deadlines), and the overflow list, filed again in one go. So the order is checked,
    /// and the batch is sorted (a stable sort, which keeps the filing order) only when needed.
    fn fire_due(&mut self, fired: &mut Vec<Waker>) {
        let mut order = std::mem::take(&mut self.due_order);
        let mut notes = self.due.take();
        order.extend(notes.drain(..).filter(|filed| !self.timers.free_if_retired(filed.index)));
        self.due.give_back(notes);
        if !order.is_sorted_by_key(|filed| filed.deadline) {
            order.sort_by_key(|filed| filed.deadline);
        }
        for filed in order.drain(..) {
            debug_assert!(filed.deadline <= self.hand_ms, "a timer fires once its deadline passed");
            fired.push(self.timers.take_waker(filed.index));
            self.freeing.push(filed.index);
        }
        self.due_order = order;
        self.timers.free_fired(&mut self.freeing);
    }

    /// Files a note of the timer at `index` on the list its deadline calls for.
    fn file(&mut self, deadline_ms: u64, index: u32) {
        match level::placement(self.hand_ms, deadline_ms) {
            ListId::Due => self.due.push(deadline_ms, index),
            ListId::Overflow => self.overflow.push(deadline_ms, index),
            ListId::Slot { level, slot } => {
                let level = usize::from(level);
                let below = level::below_level(deadline_ms, level);
                self.levels[level].push(usize::from(slot), below, index);
            }
        }
    }

    /// Drops every retired note and frees its entry: run when retired entries outnumber the
    /// live ones, so it costs O(1) per cancel, amortized.
    fn sweep(&mut self) {
        for level in &mut self.levels {
            for slot in &mut level.slots {
                self.timers.drop_retired(slot);
            }
        }
        self.timers.drop_retired(&mut self.due);
        self.timers.drop_retired(&mut self.overflow);
        self.timers.free_every_retired();
    }
}

/// Takes the live timer at `index` out of `list`, which holds its note, and returns its waker.
///
/// If the note is the list's last (a timeout cancelled before any later timer joined its list,
/// the usual case), it is popped and the entry freed at once. Otherwise the timer is retired,
/// and its note stays. Either way, a list left with no live timer is freed whole.
fn remove_from<D>(timers: &mut Store, list: &mut List<D>, index: u32) -> Waker {
    let waker = if list.filed.last().is_some_and(|filed| filed.index == index) {
        list.filed.pop();
        timers.wakers.remove_at(index)
    } else {
        timers.retire(index)
    };
    list.live -= 1;
    if list.live == 0 {
        timers.free_all(list);
    }
    waker
}

/// What [`Wheel::set_waker`] did.
#[derive(Debug)]
pub enum SetWaker {
    /// The key names no live timer (it fired, or was cancelled).
    Stale,
    /// The stored waker already wakes the same task; nothing changed.
    Unchanged,
    /// The waker was replaced; here is the old one, for the caller to drop.
    Replaced(Waker),
}

impl SetWaker {
    /// True unless the key was stale.
    pub fn is_live(&self) -> bool {
        !matches!(self, SetWaker::Stale)
    }
}

impl Default for Wheel {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Wheel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wheel")
            .field("hand_ms", &self.hand_ms)
            .field("len", &self.len())
            .field("next_expiry", &self.next_expiry())
            .field("levels", &self.levels)
            .field("due", &self.due.live)
            .field("overflow", &self.overflow.live)
            .field("retired", &self.timers.retired_count)
            .finish()
    }
}
