//! A task that keeps waking itself cannot starve the other tasks or the `block_on` future:
//! the run queue is FIFO, so a self-wake goes to the back, behind everyone already waiting.

mod util;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use clockwork::task::yield_now;
use util::rt;

#[test]
fn a_self_waking_task_does_not_starve_another_task() {
    let runtime = rt();
    let spins = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    runtime.block_on(async {
        let (spin_count, spin_stop) = (spins.clone(), stop.clone());
        let spinner = clockwork::spawn(async move {
            while !spin_stop.load(Ordering::Relaxed) {
                spin_count.fetch_add(1, Ordering::Relaxed);
                yield_now().await;
            }
        });
        let worker = clockwork::spawn(async {
            for _ in 0..1_000 {
                yield_now().await;
            }
            "worker done"
        });
        assert_eq!(worker.await.unwrap(), "worker done");
        stop.store(true, Ordering::Relaxed);
        spinner.await.unwrap();
    });
    // Round-robin: the spinner ran about once per worker step, not thousands of times more.
    let spins = spins.load(Ordering::Relaxed);
    assert!((900..=1_100).contains(&spins), "spinner ran {spins} times during 1,000 worker yields");
}

#[test]
fn a_self_waking_task_does_not_starve_block_on() {
    let runtime = rt();
    let stop = Arc::new(AtomicBool::new(false));
    runtime.block_on(async {
        let spin_stop = stop.clone();
        // This task never waits for anything: without a batch limit the block_on future,
        // which is woken by nobody but itself here, would still get its turn between batches.
        let spinner = clockwork::spawn(async move {
            while !spin_stop.load(Ordering::Relaxed) {
                yield_now().await;
            }
        });
        for _ in 0..100 {
            yield_now().await;
        }
        stop.store(true, Ordering::Relaxed);
        spinner.await.unwrap();
    });
}
