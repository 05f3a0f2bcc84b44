//! `Notify`: the waiter list with no other state than one stored permit.
//!
//! `notify_one` grants the oldest waiter, or, if nobody waits, stores a permit that the next
//! `notified().await` consumes at once. `notify_last` does the same from the newest end.
//! `notify_waiters` wakes everyone waiting now and stores nothing. It is the bare pattern of
//! this module, so it is the one to read first.
//!
//! The two futures, `Notified` (which borrows the `Notify`) and `OwnedNotified` (which holds
//! an `Arc` of it), share one `Waiting` record and differ only in how they reach the `Notify`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

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
    /// Each waiter's data is how a `notify_one` or `notify_last` chose it, so that a waiter
    /// dropped before it collects the notification passes it on the same way.
    waiters: WaitList<End>,
}

/// Which end of the list a notification is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The oldest waiter: `notify_one`.
    Oldest,
    /// The newest waiter: `notify_last`.
    Newest,
}

/// The future returned by [`Notify::notified`].
#[must_use = "futures do nothing unless polled"]
pub struct Notified<'a> {
    notify: &'a Notify,
    waiting: Waiting,
}

/// The future returned by [`Notify::notified_owned`]: a [`Notified`] that holds an `Arc` of
/// its `Notify`, so it is `'static` and can be stored or moved into a task.
#[must_use = "futures do nothing unless polled"]
pub struct OwnedNotified {
    notify: Arc<Notify>,
    waiting: Waiting,
}

/// Where one `Notified` stands: what both futures keep.
#[derive(Debug)]
struct Waiting {
    /// `notify_waiters` calls seen when the future was created.
    generation: u64,
    /// Its entry in the list, once polled or enabled.
    waiter: Option<WaiterId>,
    /// It was notified; every later poll returns `Ready`.
    done: bool,
}

impl Notify {
    /// A `Notify` with no stored permit.
    pub fn new() -> Notify {
        let state = State { stored_permit: false, generation: 0, waiters: WaitList::new() };
        Notify { state: Mutex::new(state) }
    }

    /// A `Notify` with no stored permit, in a `const` context (a `static`, say).
    ///
    /// Not available under `--cfg loom`, whose mutex cannot be built in a `const`.
    #[cfg(not(loom))]
    pub const fn const_new() -> Notify {
        let state = State { stored_permit: false, generation: 0, waiters: WaitList::new() };
        Notify { state: Mutex::new(state) }
    }

    /// A future that completes at the next notification.
    ///
    /// Cancel safety: a `Notified` that is dropped after `notify_one` chose it passes that
    /// notification on to the next waiter (or stores it), so no `notify_one` is lost.
    pub fn notified(&self) -> Notified<'_> {
        Notified { notify: self, waiting: Waiting::new(self) }
    }

    /// Like [`notified`](Self::notified), but the future owns an `Arc` of the `Notify`.
    ///
    /// Cancel safety: as [`notified`](Self::notified).
    pub fn notified_owned(self: Arc<Self>) -> OwnedNotified {
        let waiting = Waiting::new(&self);
        OwnedNotified { notify: self, waiting }
    }

    // ANCHOR: notify_one
    /// Wakes the oldest waiter; if nobody waits, stores one permit for the next one.
    pub fn notify_one(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.notify(End::Oldest, &mut wakes);
        }
        wakes.wake_all();
    }
    // ANCHOR_END: notify_one

    /// Wakes the newest waiter; if nobody waits, stores one permit for the next one.
    pub fn notify_last(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.notify(End::Newest, &mut wakes);
        }
        wakes.wake_all();
    }

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
    /// Grants the waiter at `end`, recording how it was chosen; with nobody waiting, stores
    /// the permit.
    fn notify(&mut self, end: End, wakes: &mut WakeList) {
        let chosen = match end {
            End::Oldest => self.waiters.front_mut(),
            End::Newest => self.waiters.back_mut(),
        };
        let Some(how) = chosen else {
            self.stored_permit = true;
            return;
        };
        *how = end;
        match end {
            End::Oldest => self.waiters.grant_front(wakes),
            End::Newest => self.waiters.grant_back(wakes),
        };
    }
}

// === impl Waiting ===

impl Waiting {
    fn new(notify: &Notify) -> Waiting {
        Waiting { generation: lock(&notify.state).generation, waiter: None, done: false }
    }

    /// Checks for a notification, joining the list with `waker` if there is none yet.
    /// Returns true once notified.
    fn poll(&mut self, notify: &Notify, waker: &Waker) -> bool {
        if self.done {
            return true;
        }
        let mut state = lock(&notify.state);
        let status = match self.waiter {
            Some(id) => state.waiters.poll_status(id, waker),
            None => Status::Gone,
        };
        let notified = match status {
            Status::Waiting => false,
            Status::Granted(_) => true,
            // Not queued (first poll, or woken by `notify_waiters`): check the state.
            Status::Gone if state.generation != self.generation => true,
            Status::Gone if state.stored_permit => {
                state.stored_permit = false;
                true
            }
            Status::Gone => {
                self.waiter = Some(state.waiters.push(waker, End::Oldest));
                false
            }
        };
        drop(state);
        if notified {
            self.waiter = None;
            self.done = true;
        }
        notified
    }

    /// `enable`: a poll that registers no waker. A future already queued keeps the waker it
    /// was polled with; a new entry gets a no-op waker, replaced at the first real poll.
    fn enable(&mut self, notify: &Notify) -> bool {
        let queued = self.waiter.is_some_and(|id| lock(&notify.state).waiters.is_waiting(id));
        if queued {
            return false;
        }
        self.poll(notify, Waker::noop())
    }

    /// The future is dropped: leave the list, passing on a notification meant for it to the
    /// waiter at the same end (or storing it).
    fn cancel(&mut self, notify: &Notify) {
        let Some(id) = self.waiter.take() else { return };
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&notify.state);
            if let Cancelled::WasGranted(end) = state.waiters.cancel(id) {
                state.notify(end, &mut wakes);
            }
        }
        wakes.wake_all_contained();
    }
}

// === impl Notified and OwnedNotified ===

impl Notified<'_> {
    /// Joins the list of waiters without polling, so that a `notify_one` from now on is meant
    /// for this future (and not stored as a permit for somebody else). Returns true if it is
    /// already notified: then every poll returns `Ready` at once. A stored permit is consumed.
    pub fn enable(self: Pin<&mut Self>) -> bool {
        let this = self.get_mut();
        this.waiting.enable(this.notify)
    }
}

impl OwnedNotified {
    /// As [`Notified::enable`].
    pub fn enable(self: Pin<&mut Self>) -> bool {
        let this = self.get_mut();
        this.waiting.enable(&this.notify)
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.waiting.poll(this.notify, cx.waker()) { Poll::Ready(()) } else { Poll::Pending }
    }
}

impl Future for OwnedNotified {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.waiting.poll(&this.notify, cx.waker()) { Poll::Ready(()) } else { Poll::Pending }
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        self.waiting.cancel(self.notify);
    }
}

impl Drop for OwnedNotified {
    fn drop(&mut self) {
        self.waiting.cancel(&self.notify);
    }
}

// === impl Default and Debug ===

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
        f.debug_struct("Notified").field("waiting", &self.waiting).finish()
    }
}

impl fmt::Debug for OwnedNotified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedNotified").field("waiting", &self.waiting).finish()
    }
}
