//! `Sleep`: a future that is ready once a deadline has passed.
//!
//! With the `tracing` feature, each `Sleep` is also a timer resource for tokio-console, with
//! the spans and events tokio's own `Sleep` emits (`trace/console.rs`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use clockwork_timer::TimerKey;

use crate::runtime::context;
use crate::runtime::settings::Drivers;
use crate::task::coop;
use crate::time::Instant;
#[cfg(feature = "tracing")]
use crate::trace::console::TimerSpans;

/// Waits until `duration` has passed on the runtime's clock.
///
/// A zero duration is ready on the first poll. `Duration::MAX` (or any duration whose end does
/// not fit in an `Instant`) sleeps until about 30 years from now: effectively never.
///
/// Cancel safety: dropping a `Sleep` removes its timer; nothing is lost.
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    // `Instant::now()` and `Drivers::check_time` in one look-up of the context, not two.
    let found = context::clock_and_drivers();
    if found.is_some_and(|(_, drivers)| !drivers.time) {
        Drivers::refuse_time("sleep");
    }
    let now = found.and_then(|(now, _)| now).unwrap_or_else(std::time::Instant::now);
    Sleep::new(Instant::from_std(now).saturating_add(duration))
}

/// Waits until `deadline` on the runtime's clock. A deadline in the past is ready at once.
///
/// # Panics
///
/// Inside a runtime built without timers (`enable_time`), as tokio's does.
#[track_caller]
pub fn sleep_until(deadline: Instant) -> Sleep {
    Drivers::check_time("sleep");
    Sleep::new(deadline)
}

/// The future returned by [`sleep`] and [`sleep_until`].
///
/// It files its timer on its first `Pending` poll, not when created, so a `Sleep` that is never
/// polled costs nothing. Unlike tokio's, Clockwork's `Sleep` is `Unpin` (it keeps a key into the
/// wheel rather than a node linked into it), but its methods take `Pin<&mut Self>` like tokio's,
/// so the same code compiles on both.
pub struct Sleep {
    deadline: Instant,
    entry: Option<Entry>,
    /// This sleep has returned `Ready` since it was created or last reset.
    completed: bool,
    /// The sleep as tokio-console sees it: a timer resource and the operation that made it.
    #[cfg(feature = "tracing")]
    spans: TimerSpans,
}

impl Sleep {
    /// A sleep until `deadline`, not yet filed. (At the caller's line, for tokio-console.)
    #[track_caller]
    fn new(deadline: Instant) -> Sleep {
        Sleep {
            deadline,
            entry: None,
            completed: false,
            #[cfg(feature = "tracing")]
            spans: TimerSpans::new(),
        }
    }
}

/// Where this sleep's timer is filed: which runtime's wheel, and under which key.
#[derive(Debug, Clone, Copy)]
struct Entry {
    runtime: u64,
    key: TimerKey,
}

impl Sleep {
    /// The instant this sleep waits for.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// True once this sleep has completed: it returned `Ready`, or its timer fired in the
    /// wheel. As tokio's, this says what the runtime has done, not what the clock says: a sleep
    /// whose deadline has passed but which was never polled is not elapsed yet.
    pub fn is_elapsed(&self) -> bool {
        if self.completed {
            return true;
        }
        let Some(entry) = self.entry else { return false };
        let fired = context::with_core(|core| {
            core.runtime_id() == entry.runtime && !core.time().is_live(entry.key)
        });
        fired == Some(true)
    }

    /// Moves the deadline, earlier or later; the sleep can be awaited again afterwards.
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        let this = self.get_mut();
        this.deadline = deadline;
        this.completed = false;
        #[cfg(feature = "tracing")]
        this.spans.reset(deadline.saturating_duration_since(Instant::now()));
        if let Some(entry) = &mut this.entry {
            let moved = context::with_core(|core| {
                core.runtime_id() == entry.runtime
                    && core.time().reset(&mut entry.key, deadline.into())
            });
            if moved != Some(true) {
                // The timer fired already (or lives in another runtime): file a new one on the
                // next poll.
                this.cancel_entry();
            }
        }
    }

    fn cancel_entry(&mut self) {
        let Some(entry) = self.entry.take() else { return };
        // Outside the runtime that holds the entry there is nothing to do: the entry fires one
        // day and wakes a waker nobody listens to, or goes away with its runtime.
        context::with_core(|core| {
            if core.runtime_id() == entry.runtime {
                core.time().cancel(entry.key);
            }
        });
    }
}

// ANCHOR: poll
impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // With the `tracing` feature, tokio-console sees the poll (`trace/console.rs`).
        #[cfg(feature = "tracing")]
        let console = this.spans.enter();
        // A sleep that is over spends a unit of the task's budget (`task::coop`).
        let budget = ready!(coop::poll_proceed(cx));
        let poll = this.poll_deadline(cx);
        if poll.is_ready() {
            budget.made_progress();
            this.completed = true;
        }
        #[cfg(feature = "tracing")]
        console.polled(poll.is_ready());
        poll
    }
}
// ANCHOR_END: poll

impl Sleep {
    /// Whether the deadline has passed; if not, files (or updates) the timer.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let this = self;
        context::expect_core("Sleep::poll", |core| {
            // Asked of the core already at hand: no second look-up of the context per poll.
            if !core.config.settings.drivers.time {
                Drivers::refuse_time("Sleep::poll");
            }
            let time = core.time();
            // 1. The deadline has passed: done. Remove the entry if it has not fired yet.
            if time.clock.now() >= this.deadline.into_std() {
                this.cancel_entry();
                return Poll::Ready(());
            }
            // 2. Filed in this runtime. Still in the wheel: keep the waker current (the task may
            //    have moved into another future, e.g. a JoinSet, with another waker). Gone from
            //    the wheel: it fired, so the deadline has passed as far as the wheel can tell.
            //    The two clocks differ only at the end of the wheel's range (2^64 ms), where every
            //    later deadline counts as reached; re-filing there would fire again at once, and
            //    spin forever.
            if let Some(entry) = this.entry.filter(|entry| entry.runtime == core.runtime_id()) {
                if time.set_waker(entry.key, cx.waker()) {
                    return Poll::Pending;
                }
                this.entry = None;
                return Poll::Ready(());
            }
            // 3. Not filed yet (or filed elsewhere): file it now.
            #[cfg(feature = "tracing")]
            this.spans.filed(this.deadline.into_std().saturating_duration_since(time.clock.now()));
            let key = time.insert(this.deadline.into_std(), cx.waker().clone());
            this.entry = Some(Entry { runtime: core.runtime_id(), key });
            Poll::Pending
        })
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.cancel_entry();
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("filed", &self.entry.is_some())
            .finish()
    }
}
