//! `yield_now`: give the other tasks a turn.
//!
//! [`yield_now`]: fn@crate::task::yield_now

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Returns `Pending` once, after waking itself, so the task goes to the back of the run queue.
///
/// The wake happens during the poll, so the run loop requeues the task exactly once after the
/// poll returns (arrow 6 of the diagram in `state.rs`). Every task already in the queue runs
/// before this one runs again.
pub async fn yield_now() {
    YieldNow { yielded: false }.await
}

/// The future behind [`yield_now`]: two states, "not yet yielded" and "yielded".
struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
