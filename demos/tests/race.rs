//! The `race` pattern's deposits: first come, first served keeps the money, `explore` finds an
//! order that loses some within 100 runs, and the fix keeps it in 1,000 orders.
//!
//! The explorations go through the demos' wrapper (`explore.rs`), the one the pattern uses, so
//! these also check that a failure comes back as an outcome rather than a panic.

use clockwork_demos::explore::{Explored, explore};
use clockwork_demos::on_clockwork::race::{Locking, no_money_lost, two_deposits};

/// Runs `future` on a clockwork runtime with real time.
fn block_on<T>(future: impl Future<Output = T>) -> T {
    let runtime = clockwork::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(future)
}

#[test]
fn first_come_first_served_keeps_the_money_with_paused_time() {
    // With paused time both timers are due at exactly 10 ms: the tie that explore breaks the
    // other way. First come, first served breaks it in filing order, Alice's write first.
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    assert_eq!(runtime.block_on(two_deposits(Locking::PerStep)), 130);
}

#[test]
fn explore_finds_the_lost_deposit_within_100_runs() {
    let explored = block_on(explore(100, || no_money_lost(Locking::PerStep)));
    let Explored::Failed { run, runs, message } = explored else {
        panic!("no order lost money: {explored:?}");
    };
    assert_eq!(runs, 100);
    assert!((1..=100).contains(&run), "the failing run is one of the 100: {run}");
    assert_eq!(message, "money was lost: balance 120, not 130", "Alice's 10 was written over");
}

#[test]
fn the_fix_keeps_the_money_in_1000_orders() {
    let explored = block_on(explore(1_000, || no_money_lost(Locking::Across)));
    assert_eq!(explored, Explored::Passed { runs: 1_000 });
}
