//! Pitfall 10, a race across `.await`: read a balance, await the database, write it back.
//!
//! On one thread there are no data races, but there are still races: another task may run at
//! every `.await`. Two deposits that each read the balance, wait for the database, and write
//! back what they read plus their amount lose one deposit if both read before either writes.
//! In first-come-first-served order they happen not to; in some other order of the same ready
//! tasks they do. Clockwork's `explore` tries other orders and finds it; tokio cannot.

use super::rt;
use super::schedules::{self, Explored};
use crate::{aside, say};
use rt::sync::Mutex;
use rt::time::{Duration, sleep};
use std::sync::Arc;

/// One round trip to the "database".
const DATABASE: Duration = Duration::from_millis(10);

/// The balance before the deposits, and what they add.
const OPENING: u32 = 100;
const ALICE: u32 = 10;
const BOB: u32 = 20;

/// How the deposits use the lock on the balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locking {
    /// The bug: lock to read, let go for the database call, lock again to write.
    PerStep,
    /// The fix: hold the lock from the read, across the database call, to the write.
    Across,
}

pub async fn run() {
    let balance = two_deposits(Locking::PerStep).await;
    say!("in the runtime's own order: balance {balance} (expected {})", OPENING + ALICE + BOB);
    let explored = schedules::explore(100, || no_money_lost(Locking::PerStep)).await;
    aside!("{}", describe("the bug", explored));
    let balance = two_deposits(Locking::Across).await;
    say!("holding the lock across the database call: balance {balance}");
    let explored = schedules::explore(1_000, || no_money_lost(Locking::Across)).await;
    aside!("{}", describe("the fix", explored));
}

// ANCHOR: deposits
/// Alice deposits at once; Bob's request arrives one database call later, just as Alice's
/// call returns. Returns the balance after both.
pub async fn two_deposits(locking: Locking) -> u32 {
    let balance = Arc::new(Mutex::new(OPENING));
    let alice = rt::spawn(deposit(balance.clone(), ALICE, locking));
    let bob_balance = balance.clone();
    let bob = rt::spawn(async move {
        sleep(DATABASE).await;
        deposit(bob_balance, BOB, locking).await;
    });
    alice.await.unwrap();
    bob.await.unwrap();
    *balance.lock().await
}

/// Reads the balance, waits for the database, and writes back what it read plus `amount`.
async fn deposit(balance: Arc<Mutex<u32>>, amount: u32, locking: Locking) {
    match locking {
        Locking::PerStep => {
            let read = *balance.lock().await;
            sleep(DATABASE).await; // Another task may run here, and change the balance.
            *balance.lock().await = read + amount;
        }
        Locking::Across => {
            let mut guard = balance.lock().await;
            let read = *guard;
            sleep(DATABASE).await; // Another deposit waits for the lock meanwhile.
            *guard = read + amount;
        }
    }
}
// ANCHOR_END: deposits

/// The test `explore` runs: the two deposits, and a panic if money was lost.
pub async fn no_money_lost(locking: Locking) {
    let expected = OPENING + ALICE + BOB;
    let balance = two_deposits(locking).await;
    assert!(balance == expected, "money was lost: balance {balance}, not {expected}");
}

/// One line about what the exploration found, or that there was none.
fn describe(what: &str, explored: Option<Explored>) -> String {
    match explored {
        Some(Explored::Failed { run, runs, message }) => format!(
            "clockwork::explore, {what}: run {run} of {runs} failed ({message}); its replay line is on stderr"
        ),
        Some(Explored::Passed { runs }) => {
            format!("clockwork::explore, {what}: {runs} of {runs} orders kept the money")
        }
        None => format!("{what}: tokio has no mode that tries other orders of polls"),
    }
}
