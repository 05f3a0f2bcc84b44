//! Tokio-style tests on Clockwork renamed to `tokio`: the attributes and every exported macro.
//!
//! Each test uses the macro the way a tokio user would and asserts what it did, so a macro
//! that expands to a path starting `::clockwork` fails to compile here, and one that expands
//! to something that compiles but misbehaves fails at run time.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

#[tokio::test]
async fn the_test_attribute_runs_on_a_runtime() {
    let task = tokio::spawn(async { 6 * 7 });
    assert_eq!(task.await.unwrap(), 42);
    assert!(tokio::runtime::Handle::try_current().is_ok());
}

#[tokio::test(start_paused = true)]
async fn with_paused_time_an_hour_passes_at_once() {
    let wall_clock = std::time::Instant::now();
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(3600)).await;
    // The runtime's clock jumped to the sleep's deadline: exactly one hour later.
    assert_eq!(Instant::now() - start, Duration::from_secs(3600));
    // And no real hour went by (a minute is a generous bound for a slow machine).
    assert!(wall_clock.elapsed() < Duration::from_secs(60));
}

#[tokio::test(flavor = "current_thread")]
async fn the_current_thread_flavor_is_accepted() {
    assert_eq!(tokio::spawn(async { "ok" }).await.unwrap(), "ok");
}

#[tokio::test]
async fn select_picks_the_branch_that_is_ready() {
    let (tx, mut rx) = mpsc::unbounded_channel::<u32>();
    tx.send(7).unwrap();
    let never = std::future::pending::<u32>();
    let got = tokio::select! {
        Some(n) = rx.recv() => n,
        n = never => n + 100,
    };
    assert_eq!(got, 7);
}

#[tokio::test]
async fn select_with_a_mut_binding_and_else() {
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u32>>();
    drop(tx);
    // The channel is closed, so `Some(..)` does not match and the `else` branch runs.
    let got = tokio::select! {
        Some(mut v) = rx.recv() => { v.push(1); v.len() }
        else => 0,
    };
    assert_eq!(got, 0);
}

#[tokio::test]
async fn join_waits_for_every_future() {
    let (a, b, c) = tokio::join!(async { 1 }, async { "two" }, async { 3.0 });
    assert_eq!((a, b, c), (1, "two", 3.0));
}

#[tokio::test]
async fn try_join_stops_at_the_first_error() {
    let ok: Result<(u8, u8), &str> = tokio::try_join!(async { Ok(1) }, async { Ok(2) });
    assert_eq!(ok, Ok((1, 2)));
    let (tx, rx) = oneshot::channel::<()>();
    let failed: Result<((), u8), &str> = tokio::try_join!(
        async {
            // Never completes on its own: the other future's error must end the join.
            let _ = rx.await;
            Ok(())
        },
        async { Err("no") },
    );
    assert_eq!(failed, Err("no"));
    // The losing future was dropped, and with it the receiver.
    assert!(tx.is_closed());
}

#[tokio::test(start_paused = true)]
async fn pin_lets_a_future_be_polled_again_after_losing_a_select() {
    let sleep = tokio::time::sleep(Duration::from_secs(10));
    tokio::pin!(sleep);
    let mut ticks = 0;
    loop {
        tokio::select! {
            () = &mut sleep => break,
            () = tokio::time::sleep(Duration::from_secs(1)) => ticks += 1,
        }
    }
    // The one-second sleeps won nine times (at 1 s .. 9 s); at 10 s the two deadlines tie,
    // and either may win, so the pinned sleep ends the loop on the 10th or 11th round.
    assert!((9..=10).contains(&ticks), "ticks = {ticks}");
    assert!(sleep.is_elapsed());
}

#[tokio::test]
async fn pin_declares_and_pins_in_one_step() {
    tokio::pin! {
        let first = async { 1 };
        let second = async { 2 };
    }
    assert_eq!(first.as_mut().await + second.as_mut().await, 3);
}
