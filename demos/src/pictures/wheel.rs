//! The timing wheel at one moment: six levels of 64 slots, which are occupied, where the hand
//! is, and which slot the hand reaches next.
//!
//! The wheel is a real `clockwork_timer::Wheel`, filled with the timers a small server might
//! hold 90 seconds after it started ([`TIMERS`]), on fixed deadlines: no clock is read, so the
//! picture is the same on every run, and changes only when the wheel files timers differently.
//! Where each timer lands (its level and slot) is the wheel's own decision, read back through
//! `Wheel::occupied_slots`; this file only draws it.

use std::task::Waker;

use clockwork_timer::wheel::Wheel;

use crate::pictures::svg::Svg;

/// Where the hand is when the timers are filed: 90 s after the wheel's epoch.
pub const HAND_MS: u64 = 90_000;

/// The timers, as (delay from the hand in ms, what it could be).
pub const TIMERS: [(u64, &str); 12] = [
    (3, "a retry's backoff"),
    (10, "a sleep(10 ms) in a loop"),
    (40, "a debounce"),
    (150, "a batch flush"),
    (1_000, "a request timeout"),
    (2_500, "a health check"),
    (30_000, "a keepalive ping"),
    (90_000, "an idle connection's timeout"),
    (600_000, "a cache entry's expiry"),
    (3_600_000, "a session's expiry"),
    (86_400_000, "the daily job"),
    (30 * 86_400_000, "the monthly report"),
];

const SLOTS: i64 = 64;
const LEVELS: usize = 6;
const CELL: i64 = 13;
const LABEL_W: i64 = 176;
const ROW_H: i64 = 34;
const TOP: i64 = 56;

const STYLE: &str = "\
.background{fill:#fff}\
text{font-family:sans-serif;font-size:11px;fill:#222}\
.title{font-size:13px;font-weight:bold}\
.small{font-size:9px;fill:#666}\
.slot{fill:#f4f4f4;stroke:#ccc;stroke-width:1}\
.occupied{fill:#6b9bd1;stroke:#3d6ea5;stroke-width:1}\
.next{fill:#ff9800;stroke:#c66900;stroke-width:1}\
.hand{fill:none;stroke:#c62828;stroke-width:2}\
.handmark{fill:#c62828}";

/// The wheel of [`TIMERS`], filed with the hand at [`HAND_MS`].
pub fn filled_wheel() -> Wheel {
    let mut wheel = Wheel::new();
    let mut fired = Vec::new();
    wheel.advance_to(HAND_MS, &mut fired);
    for (delay_ms, _) in TIMERS {
        wheel.insert(HAND_MS + delay_ms, Waker::noop().clone());
    }
    wheel
}

/// The picture of [`filled_wheel`], as an SVG document.
pub fn render() -> String {
    let wheel = filled_wheel();
    let next_ms = wheel.next_expiry().expect("the wheel holds timers");
    // The slot the hand enters next: the lowest occupied slot of the lowest occupied level.
    let next =
        (0..LEVELS).find_map(|level| wheel.occupied_slots(level).first().map(|s| (level, *s)));
    let width = LABEL_W + SLOTS * CELL + 150;
    let height = TOP + LEVELS as i64 * ROW_H + 30 + TIMERS.len() as i64 * 14;
    let mut svg = Svg::new(width, height, STYLE);
    let title =
        format!("The timing wheel with {} timers, hand at {} ms", wheel.len(), pretty(HAND_MS));
    svg.text("title", (8, 18), &title);
    let key = "Blue: an occupied slot. Red: each level's hand (that level's digit of the hand's \
               time in base 64). Orange: the slot the hand reaches next.";
    svg.text("", (8, 36), key);
    for (row, level) in (0..LEVELS).rev().enumerate() {
        let top = TOP + row as i64 * ROW_H;
        let next_slot = next.filter(|(l, _)| *l == level).map(|(_, slot)| slot);
        draw_level(&mut svg, &wheel, level, top, next_slot);
    }
    let below = TOP + LEVELS as i64 * ROW_H + 8;
    let next_text = match next {
        Some((level, slot)) => format!(
            "Next: the hand reaches level {level}, slot {slot} (orange) at {} ms, \
             where its timers fire or move down a level (Wheel::next_expiry). The timers:",
            pretty(next_ms)
        ),
        None => "Next: only the overflow list holds timers.".to_string(),
    };
    svg.text("", (8, below + 4), &next_text);
    for (i, (delay_ms, what)) in TIMERS.iter().enumerate() {
        let line = format!("{} ms + {} ms: {what}", pretty(HAND_MS), pretty(*delay_ms));
        svg.text("small", (16, below + 20 + i as i64 * 14), &line);
    }
    svg.finish()
}

/// One row: the level's name, its 64 slots, the hand and the slot the hand reaches next.
fn draw_level(svg: &mut Svg, wheel: &Wheel, level: usize, top: i64, next_slot: Option<usize>) {
    let slot_ms = 1u64 << (6 * level);
    svg.text("", (8, top + 16), &format!("level {level} ({} ms)", pretty(slot_ms)));
    let occupied = wheel.occupied_slots(level);
    for slot in 0..SLOTS as usize {
        let class = if Some(slot) == next_slot {
            "next"
        } else if occupied.contains(&slot) {
            "occupied"
        } else {
            "slot"
        };
        svg.rect(class, (slot_x(slot), top + 6), (CELL - 1, CELL + 2));
    }
    // The hand of this level: the level's digit of the hand's time.
    let hand_slot = ((wheel.hand_ms() >> (6 * level)) & 63) as usize;
    svg.rect("hand", (slot_x(hand_slot) - 1, top + 5), (CELL + 1, CELL + 4));
    let x = slot_x(hand_slot) + CELL / 2;
    svg.polygon("handmark", &[(x, top + 4), (x - 4, top - 2), (x + 4, top - 2)]);
    let count = format!("{} occupied", occupied.len());
    svg.text("small", (slot_x(SLOTS as usize) + 8, top + 17), &count);
    for slot in [0, 16, 32, 48, 63] {
        svg.text("small", (slot_x(slot), top + 31), &slot.to_string());
    }
}

fn slot_x(slot: usize) -> i64 {
    LABEL_W + slot as i64 * CELL
}

/// A slot's width in ms, with thousands separated: `4_096`.
fn pretty(ms: u64) -> String {
    let digits = ms.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}
