//! Loom models of the task state word: wakes from other threads racing the run loop.
//!
//! Run with `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test -p clockwork --release
//! --lib loom`. The run queue is modelled by a counter of how many times the task is in it; the
//! invariant checked at the end is the one the executor relies on: a task is in the run queue
//! exactly once when it is SCHEDULED and not RUNNING, and never otherwise.

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;

use super::*;

/// `queued` must be 1 exactly when the task is scheduled and idle, 0 otherwise.
fn assert_queue_matches_state(state: &State, queued: usize) {
    let s = state.load();
    let should_be_queued = s.is_scheduled() && !s.is_running() && !s.is_complete();
    assert_eq!(queued, usize::from(should_be_queued), "queue count {queued} for {s:?}");
}

#[test]
fn loom_wake_from_another_thread_races_a_poll() {
    loom::model(|| {
        let state = Arc::new(State::new());
        let queued = Arc::new(AtomicUsize::new(1)); // a new task sits in the queue
        let poll_started = Arc::new(AtomicBool::new(false));

        let waker = {
            let (state, queued, poll_started) =
                (state.clone(), queued.clone(), poll_started.clone());
            thread::spawn(move || {
                // If the poll had visibly started, this wake must not be lost.
                let after_poll_started = poll_started.load(Ordering::SeqCst);
                if state.transition_to_notified() == WakeAction::Submit {
                    queued.fetch_add(1, Ordering::SeqCst);
                }
                after_poll_started
            })
        };

        // The run loop: pop, poll, go idle (requeueing if woken meanwhile).
        queued.fetch_sub(1, Ordering::SeqCst);
        assert_eq!(state.transition_to_running(), Start::Poll);
        poll_started.store(true, Ordering::SeqCst);
        if state.transition_to_idle() == AfterPoll::Requeue {
            queued.fetch_add(1, Ordering::SeqCst);
        }

        let wake_came_after_poll_started = waker.join().unwrap();
        assert_queue_matches_state(&state, queued.load(Ordering::SeqCst));
        if wake_came_after_poll_started {
            assert!(state.load().is_scheduled(), "a wake during or after the poll is kept");
        }
    });
}

#[test]
fn loom_two_threads_wake_an_idle_task_once() {
    loom::model(|| {
        let state = Arc::new(State::new());
        // Make the task idle: polled once, nobody woke it.
        state.transition_to_running();
        state.transition_to_idle();
        let queued = Arc::new(AtomicUsize::new(0));

        let wakers: Vec<_> = (0..2)
            .map(|_| {
                let (state, queued) = (state.clone(), queued.clone());
                thread::spawn(move || {
                    if state.transition_to_notified() == WakeAction::Submit {
                        queued.fetch_add(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for waker in wakers {
            waker.join().unwrap();
        }
        assert_eq!(queued.load(Ordering::SeqCst), 1, "queued exactly once, never twice");
        assert_queue_matches_state(&state, 1);
    });
}

#[test]
fn loom_abort_from_another_thread_races_a_wake() {
    loom::model(|| {
        let state = Arc::new(State::new());
        state.transition_to_running();
        state.transition_to_idle();
        let queued = Arc::new(AtomicUsize::new(0));

        let aborter = {
            let (state, queued) = (state.clone(), queued.clone());
            thread::spawn(move || {
                if state.transition_to_cancelled() == WakeAction::Submit {
                    queued.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        if state.transition_to_notified() == WakeAction::Submit {
            queued.fetch_add(1, Ordering::SeqCst);
        }
        aborter.join().unwrap();

        assert_queue_matches_state(&state, queued.load(Ordering::SeqCst));
        // Whoever queued it, the run loop will see the cancellation when it pops the task.
        assert_eq!(state.transition_to_running(), Start::Cancel);
    });
}
