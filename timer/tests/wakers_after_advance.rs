//! Wakers are called after `advance_to` returns, so a waker that re-enters the wheel is safe.
//!
//! In the runtime, waking a task can lead straight to code that drops or creates timers (a task's
//! `Sleep` is dropped, a `timeout` re-arms). Here the wheel sits behind a `Mutex`, the way an
//! executor might share it, and each waker tries to lock it. If the wheel called a waker during
//! `advance_to`, the lock would still be held, `try_lock` would fail, and the test would see it.

use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

use clockwork_timer::{TimerKey, Wheel};

/// What a re-entrant waker managed to do when woken.
#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    /// It found the wheel locked: it was called during `advance_to`.
    found_wheel_borrowed: bool,
    /// It cancelled its sibling timer.
    cancelled_sibling: bool,
    /// It inserted a follow-up timer.
    inserted_follow_up: bool,
}

/// A waker that, when woken, cancels another timer and inserts a new one.
struct ReentrantWaker {
    wheel: Arc<Mutex<Wheel>>,
    sibling: Mutex<Option<TimerKey>>,
    outcome: Mutex<Outcome>,
}

impl Wake for ReentrantWaker {
    fn wake(self: Arc<Self>) {
        let mut outcome = self.outcome.lock().expect("outcome lock");
        let Ok(mut wheel) = self.wheel.try_lock() else {
            outcome.found_wheel_borrowed = true;
            return;
        };
        let sibling = self.sibling.lock().expect("sibling lock").take();
        if let Some(sibling) = sibling {
            outcome.cancelled_sibling = wheel.cancel(sibling);
        }
        let follow_up_ms = wheel.hand_ms() + 10;
        wheel.insert(follow_up_ms, Waker::noop().clone());
        outcome.inserted_follow_up = true;
    }
}

#[test]
fn a_waker_that_re_enters_the_wheel_runs_after_advance_returns() {
    let wheel = Arc::new(Mutex::new(Wheel::new()));
    let reentrant = Arc::new(ReentrantWaker {
        wheel: wheel.clone(),
        sibling: Mutex::new(None),
        outcome: Mutex::new(Outcome::default()),
    });

    let mut fired = Vec::new();
    {
        let mut locked = wheel.lock().expect("wheel lock");
        locked.insert(5, Waker::from(reentrant.clone()));
        // The sibling is due in the same advance, but cancelling it later must still be harmless.
        let sibling = locked.insert(5, Waker::noop().clone());
        *reentrant.sibling.lock().expect("sibling lock") = Some(sibling);

        locked.advance_to(5, &mut fired);
        assert_eq!(fired.len(), 2);
        assert_eq!(*reentrant.outcome.lock().expect("outcome lock"), Outcome::default());
        // The borrow of the wheel ends here, before any waker runs.
    }
    fired.drain(..).for_each(Waker::wake);

    let outcome = reentrant.outcome.lock().expect("outcome lock");
    let expected = Outcome {
        found_wheel_borrowed: false,
        // The sibling already fired, so its key is stale and the cancel is a no-op.
        cancelled_sibling: false,
        inserted_follow_up: true,
    };
    assert_eq!(*outcome, expected);
    let locked = wheel.lock().expect("wheel lock");
    assert_eq!(locked.len(), 1, "only the follow-up timer is live");
    assert_eq!(locked.next_expiry(), Some(15));
}
