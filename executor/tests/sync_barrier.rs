//! `Barrier`: nobody passes until the group is complete, exactly one leader per round, and
//! the barrier can be used round after round.

mod util;

use std::sync::Arc;

use clockwork::sync::Barrier;
use futures::poll;
use util::rt;

#[test]
fn nobody_passes_until_the_last_arrives_who_is_the_only_leader() {
    rt().block_on(async {
        let barrier = Barrier::new(3);
        let mut first = Box::pin(barrier.wait());
        let mut second = Box::pin(barrier.wait());
        assert!(poll!(first.as_mut()).is_pending());
        assert!(poll!(second.as_mut()).is_pending());
        let third = barrier.wait().await;
        assert!(third.is_leader(), "the last to arrive completes the group");
        assert!(!first.await.is_leader());
        assert!(!second.await.is_leader());
    });
}

#[test]
fn a_barrier_is_reused_round_after_round_by_tasks() {
    rt().block_on(async {
        let barrier = Arc::new(Barrier::new(4));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let barrier = barrier.clone();
                clockwork::spawn(async move {
                    let mut led = 0;
                    for _ in 0..10 {
                        led += usize::from(barrier.wait().await.is_leader());
                    }
                    led
                })
            })
            .collect();
        let mut leaders = 0;
        for task in tasks {
            leaders += task.await.unwrap();
        }
        assert_eq!(leaders, 10, "one leader per round");
    });
}

#[test]
fn a_barrier_of_zero_behaves_like_one() {
    rt().block_on(async {
        assert!(Barrier::new(0).wait().await.is_leader());
    });
}
