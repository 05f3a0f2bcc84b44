//! The cooperative budget (`task::coop`): a task over always-ready resources yields after 128
//! of them, so the others run; inside `unconstrained` it never does.

mod util;

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::task::coop::{self, BUDGET};
use clockwork::time::{interval, sleep};

/// Polls ready futures made by `make`, one after another inside one poll of the task, and
/// returns how many were ready before one said `Pending`.
async fn ready_in_one_poll<F: Future>(mut make: impl FnMut() -> F) -> usize {
    poll_fn(|cx| {
        let mut ready = 0;
        loop {
            let future = pin!(make());
            if future.poll(cx).is_pending() {
                return Poll::Ready(ready);
            }
            ready += 1;
            assert!(ready < 10_000, "a ready resource never made the task yield");
        }
    })
    .await
}

#[clockwork::test]
async fn a_task_is_turned_away_after_128_ready_sleeps_and_gets_a_fresh_budget_next_poll() {
    assert_eq!(ready_in_one_poll(|| sleep(Duration::ZERO)).await, usize::from(BUDGET));
    // The budget is spent for the rest of this poll...
    assert_eq!(ready_in_one_poll(|| sleep(Duration::ZERO)).await, 0);
    // ...and the `Pending` woke the task: once it yields, it goes to the back of the queue,
    // and its next poll starts with a fresh budget.
    clockwork::task::yield_now().await;
    assert_eq!(ready_in_one_poll(|| sleep(Duration::ZERO)).await, usize::from(BUDGET));
}

#[clockwork::test]
async fn joining_finished_tasks_spends_the_budget() {
    let finished: Vec<_> = (0..300).map(|_| clockwork::spawn(async {})).collect();
    while !finished.iter().all(|task| task.is_finished()) {
        clockwork::task::yield_now().await;
    }
    let mut finished = finished.into_iter();
    let joined = ready_in_one_poll(|| finished.next().expect("enough tasks")).await;
    assert_eq!(joined, usize::from(BUDGET));
}

#[clockwork::test]
async fn inside_unconstrained_nothing_is_turned_away() {
    let ready = coop::unconstrained(async {
        poll_fn(|cx| {
            for _ in 0..1_000 {
                assert!(pin!(sleep(Duration::ZERO)).poll(cx).is_ready());
            }
            Poll::Ready(1_000)
        })
        .await
    })
    .await;
    assert_eq!(ready, 1_000);
}

#[clockwork::test]
async fn consume_budget_and_has_budget_remaining() {
    assert!(coop::has_budget_remaining());
    let spent = poll_fn(|cx| {
        let mut spent = 0;
        while coop::has_budget_remaining() {
            assert!(pin!(coop::consume_budget()).poll(cx).is_ready());
            spent += 1;
        }
        Poll::Ready(spent)
    })
    .await;
    assert_eq!(spent, usize::from(BUDGET));
    coop::consume_budget().await; // yields, then spends one unit of the next poll's budget
    assert!(coop::has_budget_remaining());
}

#[clockwork::test]
async fn cooperative_makes_a_foreign_future_spend_the_budget() {
    let ready = ready_in_one_poll(|| coop::cooperative(std::future::ready(()))).await;
    assert_eq!(ready, usize::from(BUDGET));
}

#[test]
fn an_always_ready_interval_no_longer_starves_the_task_that_stops_it() {
    // Before the budget this ran 50 million ticks in 8 s and never stopped: the task that sets
    // `stop` after its 50 ms sleep was never polled.
    util::within_10s(|| {
        let runtime = Builder::new_current_thread().warnings(false).build().unwrap();
        runtime.block_on(async {
            let stop = Arc::new(AtomicBool::new(false));
            let stopper = {
                let stop = stop.clone();
                clockwork::spawn(async move {
                    sleep(Duration::from_millis(50)).await;
                    stop.store(true, Ordering::SeqCst);
                })
            };
            let mut ticks = interval(Duration::from_nanos(1));
            while !stop.load(Ordering::SeqCst) {
                ticks.tick().await;
            }
            stopper.await.unwrap();
        });
    });
}

#[test]
fn a_panic_mid_budget_does_not_leave_the_next_task_short() {
    util::quiet_intentional_panics();
    let runtime = Builder::new_current_thread().warnings(false).build().unwrap();
    runtime.block_on(async {
        let panicky = clockwork::spawn(async {
            for _ in 0..100 {
                sleep(Duration::ZERO).await;
            }
            panic!("{} mid-budget", util::INTENTIONAL);
        });
        let next = clockwork::spawn(ready_in_one_poll(|| sleep(Duration::ZERO)));
        assert!(panicky.await.unwrap_err().is_panic());
        assert_eq!(next.await.unwrap(), usize::from(BUDGET));
    });
}
