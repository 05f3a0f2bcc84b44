//! `Notify`: the waiter list with no other state than one stored permit.
//!
//! `notify_one` grants the oldest waiter, or, if nobody waits, stores a permit that the next
//! `notified().await` consumes at once. `notify_waiters` wakes everyone waiting now and stores
//! nothing. It is the bare pattern of this module, so it is the one to read first.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::loom::lock;
use crate::loom::sync::Mutex;
use crate::sync::waiters::{Cancelled, Status, WaitList, WaiterId, WakeList};

/// Wakes tasks that wait for an event, as `tokio::sync::Notify`.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// let notify = Arc::new(clockwork::sync::Notify::new());
/// let waiter = clockwork::spawn({
///     let notify = notify.clone();
///     async move { notify.notified().await; "woken" }
/// });
/// notify.notify_one();
/// assert_eq!(waiter.await.unwrap(), "woken");
/// # });
/// ```
pub struct Notify {
    state: Mutex<State>,
}

struct State {
    /// A `notify_one` that found nobody waiting; the next `notified()` takes it.
    stored_permit: bool,
    /// How many times `notify_waiters` was called: a `Notified` created before a call counts
    /// as notified by it, even if it was never polled.
    generation: u64,
    waiters: WaitList<()>,
}

/// The future returned by [`Notify::notified`].
#[must_use = "futures do nothing unless polled"]
pub struct Notified<'a> {
    notify: &'a Notify,
    /// `notify_waiters` calls seen when this future was created.
    generation: u64,
    waiter: Option<WaiterId>,
    done: bool,
}

impl Notify {
    /// A `Notify` with no stored permit.
    pub fn new() -> Notify {
        let state = State { stored_permit: false, generation: 0, waiters: WaitList::new() };
        Notify { state: Mutex::new(state) }
    }

    /// A future that completes at the next notification.
    ///
    /// Cancel safety: a `Notified` that is dropped after `notify_one` chose it passes that
    /// notification on to the next waiter (or stores it), so no `notify_one` is lost.
    pub fn notified(&self) -> Notified<'_> {
        let generation = lock(&self.state).generation;
        Notified { notify: self, generation, waiter: None, done: false }
    }

    // ANCHOR: notify_one
    /// Wakes the oldest waiter; if nobody waits, stores one permit for the next one.
    pub fn notify_one(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.notify_one(&mut wakes);
        }
        wakes.wake_all();
    }
    // ANCHOR_END: notify_one

    /// Wakes every task waiting now (and every `Notified` created before this call); stores
    /// no permit.
    pub fn notify_waiters(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.generation += 1;
            state.waiters.wake_all(&mut wakes);
        }
        wakes.wake_all();
    }
}

impl State {
    fn notify_one(&mut self, wakes: &mut WakeList) {
        let someone_waited = self.waiters.grant_front(wakes);
        if !someone_waited {
            self.stored_permit = true;
        }
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        debug_assert!(!self.done, "a Notified future was polled after it completed");
        let mut state = lock(&self.notify.state);
        let status = match self.waiter {
            Some(id) => state.waiters.poll_status(id, cx.waker()),
            None => Status::Gone,
        };
        let notified = match status {
            Status::Waiting => false,
            Status::Granted(()) => true,
            // Not queued (first poll, or woken by `notify_waiters`): check the state.
            Status::Gone if state.generation != self.generation => true,
            Status::Gone if state.stored_permit => {
                state.stored_permit = false;
                true
            }
            Status::Gone => {
                let id = state.waiters.push(cx.waker(), ());
                self.waiter = Some(id);
                false
            }
        };
        drop(state);
        if notified {
            self.waiter = None;
            self.done = true;
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        let Some(id) = self.waiter else { return };
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.notify.state);
            // A `notify_one` meant for this future must not vanish with it.
            if let Cancelled::WasGranted(()) = state.waiters.cancel(id) {
                state.notify_one(&mut wakes);
            }
        }
        wakes.wake_all_contained();
    }
}

impl Default for Notify {
    fn default() -> Notify {
        Notify::new()
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Notify")
            .field("stored_permit", &state.stored_permit)
            .field("generation", &state.generation)
            .field("waiters", &state.waiters.len())
            .finish()
    }
}

impl fmt::Debug for Notified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified")
            .field("generation", &self.generation)
            .field("waiter", &self.waiter)
            .field("done", &self.done)
            .finish()
    }
}
