//! Unit tests of the lifecycle transitions, one arrow of the diagram at a time.

use super::*;

#[test]
fn a_new_task_is_scheduled_with_a_join_handle() {
    let state = State::new();
    let s = state.load();
    assert!(s.is_scheduled() && s.has_join_interest());
    assert!(!s.is_running() && !s.is_complete());
    assert_eq!(s.name(), "scheduled");
}

#[test]
fn arrows_2_and_4_poll_then_go_idle() {
    let state = State::new();
    assert_eq!(state.transition_to_running(), Start::Poll);
    assert_eq!(state.load().name(), "running");
    assert_eq!(state.transition_to_idle(), AfterPoll::Idle);
    assert_eq!(state.load().name(), "idle");
}

#[test]
fn arrow_3_a_wake_of_an_idle_task_submits_it_once() {
    let state = State::new();
    state.transition_to_running();
    state.transition_to_idle();
    assert_eq!(state.transition_to_notified(), WakeAction::Submit);
    assert_eq!(state.transition_to_notified(), WakeAction::DoNothing, "already queued");
}

#[test]
fn arrows_5_and_6_a_wake_during_poll_requeues_after_it() {
    let state = State::new();
    state.transition_to_running();
    assert_eq!(state.transition_to_notified(), WakeAction::DoNothing, "the poller requeues");
    assert_eq!(state.transition_to_notified(), WakeAction::DoNothing);
    assert_eq!(state.load().name(), "running+notified");
    assert_eq!(state.transition_to_idle(), AfterPoll::Requeue);
    assert!(state.load().is_scheduled());
}

#[test]
fn arrows_7_and_8_abort_an_idle_task() {
    let state = State::new();
    state.transition_to_running();
    state.transition_to_idle();
    assert_eq!(state.transition_to_cancelled(), WakeAction::Submit, "the run loop must drop it");
    assert_eq!(state.transition_to_cancelled(), WakeAction::DoNothing);
    assert_eq!(state.transition_to_running(), Start::Cancel);
}

#[test]
fn abort_during_poll_cancels_after_it() {
    let state = State::new();
    state.transition_to_running();
    assert_eq!(state.transition_to_cancelled(), WakeAction::DoNothing);
    assert_eq!(state.transition_to_idle(), AfterPoll::Cancel);
}

#[test]
fn arrow_9_complete_reports_the_join_side() {
    let state = State::new();
    state.transition_to_running();
    let before = state.transition_to_complete();
    assert!(before.has_join_interest() && !before.has_join_waker());
    let after = state.load();
    assert!(after.is_complete() && !after.is_running() && !after.is_scheduled());
    assert_eq!(
        state.transition_to_notified(),
        WakeAction::DoNothing,
        "a complete task is never queued"
    );
    assert_eq!(state.transition_to_cancelled(), WakeAction::DoNothing);
    assert_eq!(state.transition_to_running(), Start::Skip);
}

#[test]
fn the_join_waker_protocol() {
    let state = State::new();
    assert!(state.set_join_waker().is_ok());
    assert!(state.unset_join_waker().is_ok(), "the handle may take the slot back");
    assert!(state.set_join_waker().is_ok());
    state.transition_to_running();
    assert!(state.transition_to_complete().has_join_waker());
    assert!(state.unset_join_waker().is_err(), "after completion the slot is read-only");
    assert!(state.unset_join_interest().is_err(), "the handle must drop the output");
}

#[test]
fn shutdown_claims_only_unfinished_idle_tasks() {
    let state = State::new();
    assert!(state.transition_to_shutdown());
    state.transition_to_complete();
    assert!(!state.transition_to_shutdown());
}
