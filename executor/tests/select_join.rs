//! `join!`, `try_join!` and `select!`: outputs, short-circuiting, patterns, preconditions,
//! `else`, `biased;`, the fairness of the unbiased start, and the drop of losing branches.

mod util;

use clockwork::sync::mpsc;
use util::{DropCounter, rt};

#[test]
fn join_waits_for_every_future_and_keeps_their_order() {
    rt().block_on(async {
        let (a, b, c) = clockwork::join!(
            async {
                clockwork::task::yield_now().await;
                1
            },
            async { "two" },
            async { 3.0 },
        );
        assert_eq!((a, b, c), (1, "two", 3.0));
    });
}

#[test]
fn try_join_returns_the_first_error_and_drops_the_rest() {
    rt().block_on(async {
        let drops = DropCounter::new();
        let token = drops.token();
        let result: Result<((), ()), &str> = clockwork::try_join!(
            async move {
                let _token = token;
                std::future::pending::<()>().await;
                Ok(())
            },
            async { Err("failed") },
        );
        assert_eq!(result, Err("failed"));
        assert_eq!(drops.count(), 1, "the pending future was dropped");
        let ok: Result<(u8, u8), ()> = clockwork::try_join!(async { Ok(1) }, async { Ok(2) });
        assert_eq!(ok, Ok((1, 2)));
    });
}

#[test]
fn select_runs_the_ready_branch_and_drops_the_losers() {
    rt().block_on(async {
        let drops = DropCounter::new();
        let token = drops.token();
        let loser = async move {
            let _token = token;
            std::future::pending::<u8>().await
        };
        let winner = clockwork::select! {
            n = loser => n,
            n = async { 7 } => {
                // The losing future is already dropped when the handler runs.
                assert_eq!(drops.count(), 1);
                n
            }
        };
        assert_eq!(winner, 7);
    });
}

#[test]
fn a_pattern_that_does_not_match_disables_its_branch() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel::<u8>();
        drop(tx); // `recv` returns `None`, which does not match `Some(_)`
        let result = clockwork::select! {
            biased;
            Some(n) = rx.recv() => n,
            n = async { 42 } => n,
        };
        assert_eq!(result, 42);
    });
}

#[test]
fn preconditions_and_else() {
    rt().block_on(async {
        let enabled = false;
        let result = clockwork::select! {
            n = async { 1 }, if enabled => n,
            else => 0,
        };
        assert_eq!(result, 0, "with every branch disabled, else runs");

        let (tx, mut rx) = mpsc::unbounded_channel::<u8>();
        drop(tx);
        let result = clockwork::select! {
            Some(n) = rx.recv() => n,
            else => { 99 }
        };
        assert_eq!(result, 99, "a branch whose pattern failed also counts as disabled");
    });
}

#[test]
#[should_panic(expected = "all branches are disabled and there is no else branch")]
fn select_without_else_panics_when_every_branch_is_disabled() {
    rt().block_on(async {
        clockwork::select! {
            n = async { 1 }, if false => n,
        }
    });
}

#[test]
fn biased_polls_in_order_and_unbiased_varies_the_start() {
    rt().block_on(async {
        for _ in 0..50 {
            let first = clockwork::select! {
                biased;
                n = async { 0 } => n,
                n = async { 1 } => n,
            };
            assert_eq!(first, 0, "biased always polls the first branch first");
        }
        let mut wins = [0u32; 3];
        for _ in 0..300 {
            let winner = clockwork::select! {
                n = async { 0 } => n,
                n = async { 1 } => n,
                n = async { 2 } => n,
            };
            wins[winner] += 1;
        }
        // Every branch is ready at once, so the start decides; each must win sometimes.
        assert!(wins.iter().all(|&count| count > 30), "unbalanced wins: {wins:?}");
    });
}

#[test]
fn select_in_a_loop_with_break_and_continue() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(8);
        for n in 1..=4 {
            tx.send(n).await.unwrap();
        }
        drop(tx);
        let mut sum = 0;
        loop {
            clockwork::select! {
                Some(n) = rx.recv() => {
                    if n % 2 == 0 {
                        continue;
                    }
                    sum += n;
                }
                else => break,
            }
        }
        assert_eq!(sum, 1 + 3);
    });
}

#[test]
fn select_compiles_the_same_under_tokio() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let got = runtime.block_on(async {
        let (tx, mut rx) = mpsc::channel(1);
        tx.send(5).await.unwrap();
        clockwork::select! {
            Some(n) = rx.recv() => n,
            _ = tokio::task::yield_now() => 0,
        }
    });
    assert!(got == 5 || got == 0);
}

#[clockwork::test]
async fn select_accepts_mut_bindings_like_tokio() {
    // Review finding: the pattern test matched through a reference, which refused `mut`.
    let (tx, mut rx) = clockwork::sync::mpsc::unbounded_channel::<Vec<i32>>();
    tx.send(vec![1]).unwrap();
    let length = clockwork::select! {
        Some(mut v) = rx.recv() => {
            v.push(2);
            v.len()
        }
        _ = std::future::pending::<()>() => 0,
    };
    assert_eq!(length, 2);
}

#[test]
fn join_starts_with_the_next_future_each_poll_unless_biased() {
    rt().block_on(async {
        let order = std::cell::RefCell::new(Vec::new());
        let record = |n| {
            let order = &order;
            async move {
                for _ in 0..3 {
                    order.borrow_mut().push(n);
                    clockwork::task::yield_now().await;
                }
            }
        };
        clockwork::join!(record(1), record(2), record(3));
        assert_eq!(*order.borrow(), [1, 2, 3, 2, 3, 1, 3, 1, 2]);
        order.borrow_mut().clear();
        clockwork::join!(biased; record(1), record(2), record(3));
        assert_eq!(*order.borrow(), [1, 2, 3, 1, 2, 3, 1, 2, 3]);
    });
}

#[test]
fn try_join_accepts_biased_and_stops_at_the_first_error() {
    rt().block_on(async {
        let polled_second = std::cell::Cell::new(false);
        let result: Result<((), ()), &str> = clockwork::try_join!(
            biased;
            async { Err("first") },
            async {
                polled_second.set(true);
                Ok(())
            },
        );
        assert_eq!(result, Err("first"));
        assert!(!polled_second.get(), "biased: the first future failed before the second ran");
    });
}

#[test]
fn empty_joins_and_an_else_only_select_are_values() {
    rt().block_on(async {
        assert_eq!(clockwork::join!(), ());
        assert_eq!(clockwork::join!(biased;), ());
        let value = clockwork::select! {
            else => 3,
        };
        assert_eq!(value, 3);
    });
}

#[test]
fn the_macros_take_into_future_values() {
    struct Later(u8);
    impl std::future::IntoFuture for Later {
        type Output = u8;
        type IntoFuture = std::future::Ready<u8>;
        fn into_future(self) -> Self::IntoFuture {
            std::future::ready(self.0)
        }
    }
    rt().block_on(async {
        assert_eq!(clockwork::join!(Later(1), Later(2)), (1, 2));
        let picked = clockwork::select! {
            n = Later(9) => n,
        };
        assert_eq!(picked, 9);
        // A borrowed temporary lives as long as the select.
        clockwork::select! {
            () = &mut std::future::ready(()) => {}
        }
    });
}

#[test]
fn select_binds_by_ref_mut() {
    rt().block_on(async {
        let length = clockwork::select! {
            Some(ref mut text) = async { Some(String::from("ab")) } => {
                text.push('c');
                text.len()
            }
        };
        assert_eq!(length, 3);
    });
}

/// Sixty-four futures: `$future` sixty-three times, then `$last`.
macro_rules! sixty_four {
    ($macro:ident, $future:expr, $last:expr) => {
        clockwork::$macro!(
            $future, $future, $future, $future, $future, $future, $future, $future, $future,
            $future, $future, $future, $future, $future, $future, $future, $future, $future,
            $future, $future, $future, $future, $future, $future, $future, $future, $future,
            $future, $future, $future, $future, $future, $future, $future, $future, $future,
            $future, $future, $future, $future, $future, $future, $future, $future, $future,
            $future, $future, $future, $future, $future, $future, $future, $future, $future,
            $future, $future, $future, $future, $future, $future, $future, $future, $future, $last,
        )
    };
}

/// Tokio promises 64 futures in `join!` and `try_join!`; so does Clockwork.
#[test]
fn sixty_four_futures_join() {
    rt().block_on(async {
        let outputs = sixty_four!(join, async { 1 }, async { 64 });
        assert_eq!(outputs.63, 64, "the last future's output is in the last place");
        let ok: Result<_, ()> = sixty_four!(try_join, async { Ok(1) }, async { Ok(64) });
        assert_eq!(ok.map(|outputs| outputs.0 + outputs.63), Ok(65));
    });
}

/// And 64 branches in `select!`.
#[test]
fn sixty_four_branches_select() {
    rt().block_on(async {
        let picked = clockwork::select! {
            biased;
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = std::future::pending::<u8>() => n,
            n = std::future::pending::<u8>() => n, n = async { 64 } => n,
        };
        assert_eq!(picked, 64, "the sixty-fourth branch won");
    });
}

#[test]
fn select_yields_when_the_budget_is_spent() {
    rt().block_on(async {
        let mut polls = 0;
        // Both branches are always ready; without the budget this loop would never yield.
        let yielded = std::future::poll_fn(|cx| {
            for _ in 0..1_000 {
                polls += 1;
                let select = std::pin::pin!(async {
                    clockwork::select! {
                        biased;
                        () = clockwork::task::coop::consume_budget() => {}
                        () = std::future::ready(()) => {}
                    }
                });
                if select.poll(cx).is_pending() {
                    return std::task::Poll::Ready(true);
                }
            }
            std::task::Poll::Ready(false)
        })
        .await;
        assert!(yielded, "a select! stopped once the poll's budget was spent");
        assert_eq!(polls, 129, "after 128 units, the 129th select! yields");
    });
}
