//! Unit tests of the wheel: where deadlines are filed, how `next_expiry` narrows down across the
//! levels, and the edge cases (past deadlines, `u64::MAX`, resets, stale keys, a clock that goes
//! backwards).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};

use super::level::{HORIZON_BITS, placement};
use super::list::ListId;
use super::{SetWaker, TimerKey, Wheel};

/// A waker that counts how often it was woken.
#[derive(Debug, Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

impl CountingWaker {
    fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

fn noop() -> Waker {
    Waker::noop().clone()
}

/// Advances `wheel` to `now_ms` and returns how many timers fired.
fn advance(wheel: &mut Wheel, now_ms: u64) -> usize {
    let mut fired = Vec::new();
    wheel.advance_to(now_ms, &mut fired);
    fired.len()
}

fn slot(level: u8, slot: u8) -> ListId {
    ListId::Slot { level, slot }
}

#[test]
fn placement_follows_the_highest_differing_base_64_digit() {
    // Deadline 9_000 has base-64 digits 2, 12, 40: the module docs' example.
    assert_eq!(placement(0, 9_000), slot(2, 2));
    assert_eq!(placement(8_192, 9_000), slot(1, 12));
    assert_eq!(placement(8_960, 9_000), slot(0, 40));
    assert_eq!(placement(9_000, 9_000), ListId::Due);
    assert_eq!(placement(9_001, 9_000), ListId::Due);
    // The boundaries between levels 0 and 1.
    assert_eq!(placement(0, 63), slot(0, 63));
    assert_eq!(placement(0, 64), slot(1, 1));
    // A deadline near but across a level-0 boundary still needs level 1.
    assert_eq!(placement(63, 64), slot(1, 1));
    // The top level, and beyond it.
    let horizon_ms = 1u64 << HORIZON_BITS;
    assert_eq!(placement(0, horizon_ms - 1), slot(5, 63));
    assert_eq!(placement(0, horizon_ms), ListId::Overflow);
    assert_eq!(placement(0, u64::MAX), ListId::Overflow);
    assert_eq!(placement(u64::MAX - 1, u64::MAX), slot(0, 63));
}

#[test]
fn next_expiry_narrows_down_once_per_level_and_never_overshoots() {
    for level in 0..6u32 {
        let slot_span_ms = 1u64 << (6 * level);
        let deadline_ms = 5 * slot_span_ms + 3;
        let mut wheel = Wheel::new();
        wheel.insert(deadline_ms, noop());

        let mut answers = Vec::new();
        while let Some(next_ms) = wheel.next_expiry() {
            answers.push(next_ms);
            assert!(next_ms <= deadline_ms, "level {level}: {answers:?} passed the deadline");
            let fired = advance(&mut wheel, next_ms);
            assert_eq!(fired == 1, next_ms == deadline_ms, "level {level}: {answers:?}");
        }
        assert_eq!(answers.last(), Some(&deadline_ms));
        assert!(answers.is_sorted(), "answers only move forward: {answers:?}");
        assert!(answers.len() <= level as usize + 1, "one answer per level: {answers:?}");
    }
}

#[test]
fn next_expiry_picks_the_earliest_of_several_levels() {
    let mut wheel = Wheel::new();
    wheel.insert(100_000, noop());
    wheel.insert(70, noop());
    wheel.insert(5_000, noop());
    // 70 is on level 1 (slot 1 starts at 64); the others are on higher levels.
    assert_eq!(wheel.next_expiry(), Some(64));
    assert_eq!(advance(&mut wheel, 70), 1);
    // 5_000 = 1*4096 + 14*64 + 8 sits on level 2, slot 1, which starts at 4_096.
    assert_eq!(wheel.next_expiry(), Some(4_096));
}

#[test]
fn a_deadline_in_the_past_fires_on_the_next_advance() {
    let mut wheel = Wheel::new();
    assert_eq!(advance(&mut wheel, 100), 0);
    wheel.insert(50, noop());
    wheel.insert(100, noop());
    assert_eq!(wheel.next_expiry(), Some(100), "due now");
    assert_eq!(advance(&mut wheel, 100), 2, "advancing to the same time fires them");
    assert!(wheel.is_empty());
}

#[test]
fn u64_max_means_never_but_is_accepted() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(u64::MAX, noop());
    assert!(wheel.next_expiry().is_some(), "the overflow list is revisited each rotation");
    assert_eq!(advance(&mut wheel, 1 << 40), 0);
    assert_eq!(advance(&mut wheel, u64::MAX - 1), 0, "skips 2^28 empty rotations at once");
    assert!(wheel.is_live(key));
    assert_eq!(wheel.deadline_ms(key), Some(u64::MAX));
    assert_eq!(advance(&mut wheel, u64::MAX), 1);
}

#[test]
fn reset_moves_a_timer_earlier_and_later() {
    let mut wheel = Wheel::new();
    let mut key = wheel.insert(10_000, noop());
    assert!(wheel.reset(&mut key, 20));
    assert_eq!(wheel.next_expiry(), Some(20));
    assert_eq!(advance(&mut wheel, 19), 0);

    assert!(wheel.reset(&mut key, 300));
    assert_eq!(advance(&mut wheel, 299), 0, "moved later, so 20 ms no longer fires it");
    assert_eq!(advance(&mut wheel, 300), 1);
    assert!(!wheel.reset(&mut key, 400), "a fired key is stale");
}

#[test]
fn reset_into_the_past_fires_on_the_next_advance() {
    let mut wheel = Wheel::new();
    let mut key = wheel.insert(1_000, noop());
    advance(&mut wheel, 500);
    assert!(wheel.reset(&mut key, 10));
    assert_eq!(wheel.next_expiry(), Some(500));
    assert_eq!(advance(&mut wheel, 500), 1);
}

#[test]
fn a_stale_key_cannot_touch_the_timer_that_reuses_its_entry() {
    let mut wheel = Wheel::new();
    let old = wheel.insert(10, noop());
    assert!(wheel.cancel(old));
    let new = wheel.insert(20, noop());
    assert_eq!(old.index(), new.index(), "the freed entry is reused");
    assert_ne!(old, new, "but the generation differs");

    assert!(!wheel.cancel(old));
    assert!(!wheel.reset(&mut old.clone(), 5));
    assert!(!wheel.set_waker(old, &noop()).is_live());
    assert!(!wheel.is_live(old));
    assert_eq!(wheel.deadline_ms(old), None);
    assert!(wheel.is_live(new));
    assert_eq!(advance(&mut wheel, 20), 1);
}

#[test]
fn cancelling_the_newest_timer_of_a_slot_frees_its_entry_at_once() {
    let mut wheel = Wheel::new();
    let older = wheel.insert(5_000, noop());
    let newest = wheel.insert(5_000, noop());
    assert!(wheel.cancel(newest));
    assert_eq!(wheel.timers.retired_count, 0, "popped, not retired");
    assert_eq!(wheel.timers.wakers.len(), 1);
    assert!(wheel.is_live(older));
}

#[test]
fn cancel_from_the_middle_of_a_slot() {
    let mut wheel = Wheel::new();
    let keys: Vec<TimerKey> = (0..3).map(|_| wheel.insert(7, noop())).collect();
    assert!(wheel.cancel(keys[1]));
    assert!(!wheel.cancel(keys[1]), "a second cancel is a no-op");
    assert_eq!(advance(&mut wheel, 7), 2);
    assert!(wheel.is_empty());
    assert_eq!(wheel.next_expiry(), None, "the slot's bit is clear");
}

#[test]
fn a_reset_key_names_the_moved_timer_and_the_old_key_goes_stale() {
    let mut wheel = Wheel::new();
    let old = wheel.insert(10_000, noop());
    let mut key = old;
    assert!(wheel.reset(&mut key, 20));
    assert!(!wheel.is_live(old), "the timer was filed anew, under a new key");
    assert!(wheel.is_live(key));
    assert_eq!(wheel.deadline_ms(key), Some(20));
    assert!(!wheel.cancel(old));
    assert_eq!(wheel.len(), 1);
}

#[test]
fn a_slot_whose_last_live_timer_is_cancelled_is_freed_at_once() {
    let mut wheel = Wheel::new();
    let keys: Vec<TimerKey> = (0..10).map(|_| wheel.insert(5_000, noop())).collect();
    for key in &keys[..9] {
        assert!(wheel.cancel(*key));
    }
    assert_eq!(wheel.timers.wakers.len(), 10, "retired entries wait while the slot is live");
    assert!(wheel.cancel(keys[9]));
    assert_eq!(wheel.timers.wakers.len(), 0, "the emptied slot gave back all ten");
    assert_eq!(wheel.timers.retired_count, 0);
    assert_eq!(wheel.next_expiry(), None, "and its bit is clear");
}

#[test]
fn retired_entries_never_outnumber_the_live_ones_for_long() {
    // One long timer keeps a far slot live while 100,000 timeouts in that slot come and go:
    // without the sweep, every one of them would keep its entry until the hand got there.
    let mut wheel = Wheel::new();
    wheel.insert(10_000, noop());
    let mut peak = 0;
    for _ in 0..100_000 {
        // Cancelled in filing order: the first of the two is not its slot's last note, so it
        // is retired in place (the second is simply popped).
        let first = wheel.insert(10_000, noop());
        let second = wheel.insert(10_000, noop());
        assert!(wheel.cancel(first));
        assert!(wheel.cancel(second));
        peak = peak.max(wheel.timers.wakers.len());
    }
    assert!(peak <= 3 + super::SWEEP_AT_LEAST, "entries peaked at {peak}");
    assert_eq!(wheel.len(), 1);
    assert_eq!(advance(&mut wheel, 10_000), 1, "the live timer still fires");
    assert_eq!(wheel.timers.wakers.len(), 0);
}

#[test]
fn cascading_frees_retired_timers_and_keeps_the_live_ones() {
    let mut wheel = Wheel::new();
    let keys: Vec<TimerKey> = (0..100).map(|n| wheel.insert(5_000 + n, noop())).collect();
    for key in keys.iter().step_by(2) {
        assert!(wheel.cancel(*key));
    }
    assert_eq!(wheel.len(), 50);
    assert_eq!(advance(&mut wheel, 4_096), 0, "the level-2 slot cascades");
    assert_eq!(wheel.timers.retired_count, 0, "and its retired notes are gone");
    assert_eq!(wheel.timers.wakers.len(), 50);
    assert_eq!(advance(&mut wheel, 5_100), 50);
}

#[test]
fn cancelling_the_only_timer_clears_next_expiry() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(5_000, noop());
    assert!(wheel.cancel(key));
    assert_eq!(wheel.next_expiry(), None);
    assert!(wheel.is_empty());
}

#[test]
fn a_clock_that_goes_backwards_fires_nothing_and_does_not_panic() {
    let mut wheel = Wheel::new();
    advance(&mut wheel, 100);
    wheel.insert(150, noop());
    assert_eq!(advance(&mut wheel, 50), 0);
    assert_eq!(wheel.hand_ms(), 100, "the hand never moves back");
    assert_eq!(advance(&mut wheel, 0), 0);
    assert_eq!(advance(&mut wheel, 149), 0);
    assert_eq!(advance(&mut wheel, 150), 1);
}

#[test]
fn advance_hands_wakers_back_without_calling_them() {
    let counter = Arc::new(CountingWaker::default());
    let mut wheel = Wheel::new();
    wheel.insert(3, Waker::from(counter.clone()));
    let mut fired = Vec::new();
    wheel.advance_to(3, &mut fired);
    assert_eq!(fired.len(), 1);
    assert_eq!(counter.wakes(), 0, "the wheel never calls a waker");
    fired.drain(..).for_each(Waker::wake);
    assert_eq!(counter.wakes(), 1);
}

#[test]
fn set_waker_replaces_only_a_different_waker() {
    let first = Arc::new(CountingWaker::default());
    let second = Arc::new(CountingWaker::default());
    let mut wheel = Wheel::new();
    let key = wheel.insert(1, Waker::from(first.clone()));

    assert!(wheel.set_waker(key, &Waker::from(first.clone())).is_live());
    assert_eq!(Arc::strong_count(&first), 2, "same task: the stored waker is kept");
    let update = wheel.set_waker(key, &Waker::from(second.clone()));
    assert!(matches!(update, SetWaker::Replaced(_)), "different task: replaced");
    assert_eq!(Arc::strong_count(&first), 2, "the old waker is handed back, not dropped inside");
    drop(update);
    assert_eq!(Arc::strong_count(&first), 1);

    let mut fired = Vec::new();
    wheel.advance_to(1, &mut fired);
    fired.drain(..).for_each(Waker::wake);
    assert_eq!((first.wakes(), second.wakes()), (0, 1));
}

#[test]
fn remove_returns_the_waker_for_the_caller_to_drop() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(1, noop());
    assert!(wheel.remove(key).is_some());
    assert!(wheel.remove(key).is_none());
}

#[test]
fn debug_output_names_the_state() {
    let mut wheel = Wheel::new();
    wheel.insert(9_000, noop());
    let text = format!("{wheel:?}");
    assert!(text.contains("hand_ms: 0"), "{text}");
    assert!(text.contains("len: 1"), "{text}");
    assert!(text.contains("occupied_slots: [2]"), "{text}");
    assert!(text.contains("next_expiry: Some(8192)"), "{text}");
}

#[test]
fn a_note_is_eight_bytes_and_a_waker_entry_twenty_four() {
    // The wheel's cost per timer: its note in a slot, and its waker in the slab, whose entries
    // are the value plus 8 bytes (generation and free link; see `clockwork-slab`). An
    // `Option<Waker>` is 16 bytes: the waker's vtable pointer is never null.
    assert_eq!(std::mem::size_of::<super::list::Filed<u32>>(), 8);
    assert_eq!(std::mem::size_of::<Option<Waker>>() + 8, 24);
}
