//! `Semaphore`: strict FIFO (with `acquire_many` at the head), cancellation giving permits
//! back, closing, `forget`, owned permits, `split` and `merge`, `blocking_acquire` (and its
//! panic inside a runtime), and a run under the futures executor.

mod util;

use std::sync::Arc;

use clockwork::sync::{Semaphore, TryAcquireError};
use futures::poll;
use util::rt;

#[test]
fn acquire_many_at_the_head_is_not_overtaken_by_smaller_requests() {
    rt().block_on(async {
        let semaphore = Semaphore::new(2);
        let first = semaphore.acquire().await.unwrap();
        let second = semaphore.acquire().await.unwrap();
        let mut big = Box::pin(semaphore.acquire_many(2));
        let mut small = Box::pin(semaphore.acquire());
        assert!(poll!(&mut big).is_pending());
        assert!(poll!(&mut small).is_pending());

        drop(first);
        // The one free permit goes to the head (`big`), which still needs one more.
        assert!(poll!(&mut small).is_pending(), "small must not overtake big");
        assert_eq!(semaphore.available_permits(), 0);
        assert_eq!(semaphore.try_acquire().unwrap_err(), TryAcquireError::NoPermits);

        drop(second);
        let big_permit = match poll!(&mut big) {
            std::task::Poll::Ready(permit) => permit.unwrap(),
            std::task::Poll::Pending => panic!("big has both permits now"),
        };
        assert_eq!(big_permit.num_permits(), 2);
        assert!(poll!(&mut small).is_pending());
        drop(big_permit);
        assert!(poll!(&mut small).is_ready(), "small is next in line");
    });
}

#[test]
fn a_cancelled_acquire_gives_back_the_permits_it_collected() {
    rt().block_on(async {
        let semaphore = Semaphore::new(2);
        let first = semaphore.acquire().await.unwrap();
        let second = semaphore.acquire().await.unwrap();
        let mut big = Box::pin(semaphore.acquire_many(2));
        assert!(poll!(&mut big).is_pending());
        let mut behind = Box::pin(semaphore.acquire());
        assert!(poll!(&mut behind).is_pending());
        drop(first); // `big` collects this one
        assert_eq!(semaphore.available_permits(), 0);
        drop(big); // cancelled: its collected permit goes to `behind`
        assert!(poll!(&mut behind).is_ready(), "the returned permit went to the next waiter");
        drop(behind);
        drop(second);
        assert_eq!(semaphore.available_permits(), 2, "no permit was lost");
    });
}

#[test]
fn a_cancelled_acquire_that_was_already_granted_passes_the_permit_on() {
    rt().block_on(async {
        let semaphore = Semaphore::new(1);
        let held = semaphore.acquire().await.unwrap();
        let mut granted = Box::pin(semaphore.acquire());
        let mut next = Box::pin(semaphore.acquire());
        assert!(poll!(&mut granted).is_pending());
        assert!(poll!(&mut next).is_pending());
        drop(held); // handed to `granted`, which is never polled again
        drop(granted);
        assert!(poll!(&mut next).is_ready());
    });
}

#[test]
fn close_fails_waiters_and_later_acquires() {
    rt().block_on(async {
        let semaphore = Arc::new(Semaphore::new(0));
        let waiter = clockwork::spawn({
            let semaphore = semaphore.clone();
            async move { semaphore.acquire().await.is_err() }
        });
        clockwork::task::yield_now().await;
        semaphore.close();
        assert!(waiter.await.unwrap(), "a waiting acquire fails on close");
        assert!(semaphore.is_closed());
        assert_eq!(semaphore.try_acquire().unwrap_err(), TryAcquireError::Closed);
    });
}

#[test]
fn forget_and_owned_permits() {
    rt().block_on(async {
        let semaphore = Arc::new(Semaphore::new(3));
        semaphore.acquire().await.unwrap().forget();
        assert_eq!(semaphore.available_permits(), 2);
        let owned = semaphore.clone().acquire_many_owned(2).await.unwrap();
        assert_eq!(semaphore.available_permits(), 0);
        let task = clockwork::spawn(async move { owned.num_permits() });
        assert_eq!(task.await.unwrap(), 2);
        assert_eq!(semaphore.available_permits(), 2, "the owned permits went back on drop");
        semaphore.add_permits(1);
        assert_eq!(semaphore.available_permits(), 3);
    });
}

#[test]
fn semaphore_runs_under_the_futures_executor() {
    let semaphore = Semaphore::new(1);
    futures::executor::block_on(async {
        let permit = semaphore.acquire().await.unwrap();
        let (second, _) = futures::join!(semaphore.acquire(), async move { drop(permit) });
        assert!(second.is_ok());
    });
}

#[clockwork::test]
async fn close_gives_back_the_permits_a_waiter_had_collected() {
    // Review finding: `close` dropped the head waiter's partial grant of `acquire_many`.
    let semaphore = clockwork::sync::Semaphore::new(2);
    let held = semaphore.acquire().await.unwrap();
    let mut big = Box::pin(semaphore.acquire_many(2)); // collects the free permit, waits for one more
    assert!(futures::poll!(big.as_mut()).is_pending());
    semaphore.close();
    assert!(big.await.is_err());
    drop(held);
    assert_eq!(semaphore.available_permits(), 2, "no permit was lost");
}

#[test]
fn permits_split_and_merge_and_give_back_exactly_what_they_hold() {
    let semaphore = Semaphore::new(5);
    let mut permit = semaphore.try_acquire_many(4).unwrap();
    let part = permit.split(3).expect("four permits hold three");
    assert!(permit.split(2).is_none(), "one permit cannot give two");
    assert_eq!((permit.num_permits(), part.num_permits()), (1, 3));
    drop(part);
    assert_eq!(semaphore.available_permits(), 4);
    let other = semaphore.try_acquire_many(2).unwrap();
    permit.merge(other);
    assert_eq!(permit.num_permits(), 3);
    assert!(std::ptr::eq(permit.semaphore(), &semaphore));
    drop(permit);
    assert_eq!(semaphore.available_permits(), 5);
}

#[test]
#[should_panic(expected = "merging permits from different semaphore instances")]
fn merging_permits_of_two_semaphores_panics() {
    let (first, second) = (Arc::new(Semaphore::new(1)), Arc::new(Semaphore::new(1)));
    let mut permit = first.try_acquire_owned().unwrap();
    permit.merge(second.try_acquire_owned().unwrap());
}

#[test]
fn blocking_acquire_waits_on_a_plain_thread_for_a_permit_given_back() {
    static SEMAPHORE: Semaphore = Semaphore::const_new(0);
    let waiter = std::thread::spawn(|| SEMAPHORE.blocking_acquire().map(|p| p.num_permits()));
    while SEMAPHORE.available_permits() == 0 && !waiter.is_finished() {
        SEMAPHORE.add_permits(1);
    }
    assert_eq!(waiter.join().unwrap(), Ok(1));
    let shared = Arc::new(Semaphore::new(2));
    let owned = shared.clone().blocking_acquire_many_owned(2).unwrap();
    assert_eq!((owned.num_permits(), shared.available_permits()), (2, 0));
}

#[test]
#[should_panic(expected = "Cannot block the current thread from within a runtime")]
fn blocking_acquire_inside_a_runtime_panics() {
    rt().block_on(async {
        let _ = Semaphore::new(1).blocking_acquire();
    });
}
