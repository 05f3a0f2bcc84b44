//! `timeout`: run a future, but give up at a deadline.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::task::coop;
use crate::time::{Elapsed, Instant, Sleep, sleep, sleep_until};

/// Runs `future` for at most `duration`: `Ok(output)` if it finished first, `Err(Elapsed)` if
/// the time ran out (the future is then dropped with the `Timeout`).
///
/// The future is polled before the clock is looked at, so a future that is ready at once
/// succeeds even with a zero duration, and a `timeout` around a ready future never files a timer.
///
/// # Panics
///
/// Inside a runtime built without timers (`enable_time`), as tokio's does. (With the `tracing`
/// feature, tokio-console also shows the timer where `timeout` was called.)
#[track_caller]
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    Timeout { value: future.into_future(), delay: sleep(duration) }
}

/// Like [`timeout`], with an absolute deadline.
#[track_caller]
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Timeout<F::IntoFuture> {
    Timeout { value: future.into_future(), delay: sleep_until(deadline) }
}

pin_project_lite::pin_project! {
    /// The future returned by [`timeout`] and [`timeout_at`].
    pub struct Timeout<F> {
        #[pin]
        value: F,
        delay: Sleep,
    }
}

impl<F> Timeout<F> {
    /// The wrapped future.
    pub fn get_ref(&self) -> &F {
        &self.value
    }

    /// The wrapped future, mutably.
    pub fn get_mut(&mut self) -> &mut F {
        &mut self.value
    }

    /// The wrapped future, giving up the deadline.
    pub fn into_inner(self) -> F {
        self.value
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // The future first: if it is ready, the deadline does not matter.
        let had_budget = coop::has_budget_remaining();
        if let Poll::Ready(output) = this.value.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        // If the future itself spent the last of the budget, the deadline is still checked (with
        // no budget), as tokio does: a timeout must fire even around a future that keeps
        // exhausting the budget.
        let delay = Pin::new(this.delay);
        let elapsed = if had_budget && !coop::has_budget_remaining() {
            Pin::new(&mut coop::unconstrained(delay)).poll(cx)
        } else {
            delay.poll(cx)
        };
        elapsed.map(|()| Err(Elapsed::new()))
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout").field("delay", &self.delay).finish_non_exhaustive()
    }
}
