//! One level of the wheel (64 slots and their occupied-slot bitmap), and the arithmetic that decides
//! in which level and slot a deadline is filed.
//!
//! The whole trick of the hierarchical wheel is in [`placement`]: write the wheel's current time and
//! the deadline in base 64, one digit per level, and the deadline goes to the level of the highest
//! digit where the two differ, in the slot named by the deadline's digit at that level.

use super::list::{Filed, List, ListId};

/// Each level is one base-64 digit of a time in milliseconds: 6 bits.
pub(super) const BITS_PER_LEVEL: u32 = 6;

/// 64 slots per level, so one `u64` is exactly the occupied-slot bitmap of a level.
pub(super) const SLOTS_PER_LEVEL: usize = 1 << BITS_PER_LEVEL;

/// Six levels cover 64^6 ms = 2^36 ms, about 795 days; see the crate docs for why six.
pub(super) const LEVELS: usize = 6;

/// The number of low bits of a time that the six levels cover together.
pub(super) const HORIZON_BITS: u32 = BITS_PER_LEVEL * LEVELS as u32;

/// The span of one full rotation of the top level, minus one: a mask of the low 36 bits.
pub(super) const HORIZON_MASK_MS: u64 = (1 << HORIZON_BITS) - 1;

const SLOT_MASK: u64 = SLOTS_PER_LEVEL as u64 - 1;

// ANCHOR: placement
/// Decides where a timer with `deadline_ms` is filed when the wheel's hand is at `hand_ms`.
pub(super) fn placement(hand_ms: u64, deadline_ms: u64) -> ListId {
    // Step 1: a deadline at or before the hand is already due; the next advance fires it.
    if deadline_ms <= hand_ms {
        return ListId::Due;
    }
    // Step 2: the highest bit in which the deadline differs from now says how far away it is, in
    // powers of 64. Dividing that bit's position by six names the base-64 digit, which is the level.
    let differing_bits = hand_ms ^ deadline_ms;
    let highest_differing_bit = u64::BITS - 1 - differing_bits.leading_zeros();
    let level = highest_differing_bit / BITS_PER_LEVEL;
    // Step 3: a digit above the top level means the deadline is beyond this rotation of the wheel.
    if level as usize >= LEVELS {
        return ListId::Overflow;
    }
    // Step 4: the slot is the deadline's own digit at that level.
    let slot = (deadline_ms >> (level * BITS_PER_LEVEL)) & SLOT_MASK;
    ListId::Slot { level: level as u8, slot: slot as u8 }
}
// ANCHOR_END: placement

/// The time at which the hand reaches slot `slot` of level `level`, given that it is now at
/// `hand_ms` and that the slot lies ahead in the level's current rotation.
pub(super) fn slot_start_ms(hand_ms: u64, level: usize, slot: usize) -> u64 {
    let level_shift = level as u32 * BITS_PER_LEVEL;
    let slot_span_ms = 1u64 << level_shift;
    let rotation_span_ms = slot_span_ms << BITS_PER_LEVEL;
    let rotation_start_ms = hand_ms & !(rotation_span_ms - 1);
    rotation_start_ms + slot as u64 * slot_span_ms
}

/// The first millisecond of the top level's next rotation, where the overflow list is filed again.
///
/// Returns `None` when the hand is already in the last rotation that a `u64` can express, which
/// can only hold while the overflow list is empty.
pub(super) fn next_rotation_start_ms(hand_ms: u64) -> Option<u64> {
    let rotation_end_ms = hand_ms | HORIZON_MASK_MS;
    rotation_end_ms.checked_add(1)
}

/// The first millisecond of the top level's rotation that contains `time_ms`.
pub(super) fn rotation_start_ms(time_ms: u64) -> u64 {
    time_ms & !HORIZON_MASK_MS
}

/// The part of `deadline_ms` that a note in a slot of `level` keeps: the base-64 digits below the
/// level. The digits from the level up are the slot's own, so the slot's start plus this part is
/// the deadline again. Below level 6 that is at most 30 bits, so it fits a `u32`.
pub(super) fn below_level(deadline_ms: u64, level: usize) -> u32 {
    let mask = (1u64 << (level as u32 * BITS_PER_LEVEL)) - 1;
    (deadline_ms & mask) as u32
}

/// One level: 64 slot lists and a bitmap with bit `s` set exactly when slot `s` holds a live timer.
pub(super) struct Level {
    pub(super) occupied: u64,
    pub(super) slots: [List<u32>; SLOTS_PER_LEVEL],
}

// === impl Level ===

impl Level {
    pub(super) fn new() -> Self {
        Level { occupied: 0, slots: [const { List::new() }; SLOTS_PER_LEVEL] }
    }

    /// The lowest-numbered occupied slot, found with one bit operation instead of a scan.
    ///
    /// The lowest slot is also the earliest: every timer on a level sits in a slot ahead of the
    /// hand within the level's current rotation (see `Wheel::advance_to`), so slots never wrap.
    pub(super) fn first_occupied(&self) -> Option<usize> {
        if self.occupied == 0 {
            return None;
        }
        Some(self.occupied.trailing_zeros() as usize)
    }

    /// Files a note in slot `slot` and marks the slot occupied.
    pub(super) fn push(&mut self, slot: usize, below_level: u32, index: u32) {
        self.slots[slot].push(below_level, index);
        self.occupied |= 1 << slot;
    }

    /// Clears slot `slot`'s bit if no live timer is left in it (after a cancel).
    pub(super) fn clear_if_empty(&mut self, slot: usize) {
        if !self.slots[slot].has_live() {
            self.occupied &= !(1 << slot);
        }
    }

    /// Empties slot `slot` in one step and returns its notes, for cascading.
    pub(super) fn take(&mut self, slot: usize) -> Vec<Filed<u32>> {
        self.occupied &= !(1 << slot);
        self.slots[slot].take()
    }

    /// The numbers of the occupied slots, lowest first.
    pub(super) fn occupied_slots(&self) -> Vec<usize> {
        let mut slots = Vec::new();
        let mut remaining = self.occupied;
        while remaining != 0 {
            let slot = remaining.trailing_zeros() as usize;
            slots.push(slot);
            remaining &= remaining - 1;
        }
        slots
    }
}

impl std::fmt::Debug for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Level").field("occupied_slots", &self.occupied_slots()).finish()
    }
}
