//! The wheel alone, at scale: a million timers inserted then cancelled, and a million inserted
//! then fired by one advance.
//!
//! One wheel is reused across iterations, so its storage has already grown: the figures measure
//! filing, unlinking and cascading, not the allocator. Wakers are `Waker::noop()` clones, which
//! cost nothing to clone or drop; a real task waker adds one reference-count update each way.
//!
//! Firing is measured twice. With deadlines scattered over the slab, every cascade of a timer lands
//! on a random slab entry, so the figure is dominated by cache misses. With deadlines in insertion
//! order, each slot's list walks the slab in order and the same work runs several times faster.

use std::hint::black_box;
use std::task::Waker;

use clockwork_timer::{TimerKey, Wheel};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const TIMERS: u64 = 1_000_000;

/// Deadlines scattered over the next ~17 minutes of wheel time, visiting levels 0 to 3.
fn scattered_distance_ms(timer: u64) -> u64 {
    (timer * 7_919) % TIMERS + 1
}

fn insert_then_cancel(c: &mut Criterion) {
    let mut wheel = Wheel::with_capacity(TIMERS as usize);
    let mut keys: Vec<TimerKey> = Vec::with_capacity(TIMERS as usize);
    let mut group = c.benchmark_group("wheel");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TIMERS));
    group.bench_function("insert+cancel 1M", |b| {
        b.iter(|| {
            let now_ms = wheel.hand_ms();
            for timer in 0..TIMERS {
                let deadline_ms = now_ms + scattered_distance_ms(timer);
                keys.push(wheel.insert(deadline_ms, Waker::noop().clone()));
            }
            for key in keys.drain(..) {
                black_box(wheel.cancel(key));
            }
        });
    });
    group.finish();
}

/// Deadlines in insertion order, one per millisecond, like timeouts set at a steady rate.
fn ordered_distance_ms(timer: u64) -> u64 {
    timer + 1
}

fn insert_then_fire(c: &mut Criterion) {
    bench_insert_then_fire(c, "insert+fire 1M", scattered_distance_ms);
    bench_insert_then_fire(c, "insert+fire 1M, deadlines in order", ordered_distance_ms);
}

/// Inserts a million timers at `distance_ms(timer)` from now, then fires them all in one advance.
fn bench_insert_then_fire(c: &mut Criterion, name: &str, distance_ms: fn(u64) -> u64) {
    let mut wheel = Wheel::with_capacity(TIMERS as usize);
    let mut fired: Vec<Waker> = Vec::with_capacity(TIMERS as usize);
    let mut group = c.benchmark_group("wheel");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TIMERS));
    group.bench_function(name, |b| {
        b.iter(|| {
            let now_ms = wheel.hand_ms();
            for timer in 0..TIMERS {
                let deadline_ms = now_ms + distance_ms(timer);
                wheel.insert(deadline_ms, Waker::noop().clone());
            }
            wheel.advance_to(now_ms + TIMERS, &mut fired);
            assert_eq!(fired.len(), TIMERS as usize);
            fired.clear();
        });
    });
    group.finish();
}

criterion_group!(benches, insert_then_cancel, insert_then_fire);
criterion_main!(benches);
