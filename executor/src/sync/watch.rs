//! `watch`: one value that many receivers observe; only the latest is kept.
//!
//! The state is the value plus a *version*, a number that grows by one with each send. Each
//! receiver remembers the version it has seen; `changed()` waits in a waiter list until the
//! channel's version differs from that. The list is woken in full at each send (every
//! receiver cares), so a woken waiter re-checks rather than being granted anything.

use std::fmt;
use std::ops::Deref;
use std::sync::{RwLock, RwLockReadGuard};
use std::task::{Context, Poll};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Arc, Mutex};
use crate::sync::waiters::{Status, WaitList, WaiterId, WakeList};
use crate::task::coop;

/// The error types of `watch`.
pub mod error {
    use std::fmt;

    /// Every receiver is gone; the value comes back in `.0`.
    #[derive(PartialEq, Eq, Clone, Copy)]
    pub struct SendError<T>(pub T);

    /// The sender is gone (and the receiver has seen the last value).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RecvError(pub(super) ());

    impl<T> fmt::Debug for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("SendError").finish_non_exhaustive()
        }
    }

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed")
        }
    }

    impl<T> std::error::Error for SendError<T> {}

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed")
        }
    }

    impl std::error::Error for RecvError {}
}

use error::{RecvError, SendError};

/// Creates a watch channel holding `initial`. The receiver counts `initial` as seen.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, mut rx) = clockwork::sync::watch::channel("idle");
/// tx.send("busy").unwrap();
/// rx.changed().await.unwrap();
/// assert_eq!(*rx.borrow_and_update(), "busy");
/// # });
/// ```
pub fn channel<T>(initial: T) -> (Sender<T>, Receiver<T>) {
    let shared = Shared::new(initial, 1);
    (Sender { shared: shared.clone() }, Receiver { shared, seen_version: 0 })
}

/// Replaces the value.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// Observes the value. Clone it, or call [`Sender::subscribe`], for more observers.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// The version this receiver last marked as seen.
    seen_version: u64,
}

/// A borrow of the current value; holds a read lock, so do not keep it across `.await`.
pub struct Ref<'a, T> {
    guard: RwLockReadGuard<'a, T>,
    has_changed: bool,
}

struct Shared<T> {
    /// The value itself. A std `RwLock`: `borrow()` returns its guard.
    value: RwLock<T>,
    state: Mutex<State>,
}

// ANCHOR: state
struct State {
    /// Grows by one per send; a receiver compares it with the version it has seen.
    version: u64,
    senders: usize,
    receivers: usize,
    /// Receivers in `changed()`; all of them are woken by each send.
    changed_waiters: WaitList<()>,
    /// Senders in `closed()`; woken when the last receiver goes.
    closed_waiters: WaitList<()>,
}
// ANCHOR_END: state

// === impl Sender ===

impl<T> Sender<T> {
    /// A sender of a new channel holding `initial`, with no receiver yet (see
    /// [`subscribe`](Self::subscribe)).
    pub fn new(initial: T) -> Sender<T> {
        Sender { shared: Shared::new(initial, 0) }
    }

    /// Stores `value` and wakes every receiver, or gives it back if no receiver is left.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if lock(&self.shared.state).receivers == 0 {
            return Err(SendError(value));
        }
        // The old value's `Drop` is user code: it may panic, after the send is done.
        contain::drop_value(self.send_replace(value));
        Ok(())
    }

    /// Stores `value` even with no receiver left, and returns the old one. Counts as a change:
    /// the version grows by one.
    pub fn send_replace(&self, value: T) -> T {
        let mut slot = self.shared.value.write().unwrap_or_else(|poison| poison.into_inner());
        let old = std::mem::replace(&mut *slot, value);
        drop(slot);
        self.shared.publish();
        old
    }

    /// Changes the value in place and always counts it as a change.
    pub fn send_modify(&self, modify: impl FnOnce(&mut T)) {
        self.send_if_modified(|value| {
            modify(value);
            true
        });
    }

    /// Changes the value in place; counts as a change only when `modify` returns true.
    pub fn send_if_modified(&self, modify: impl FnOnce(&mut T) -> bool) -> bool {
        let mut slot = self.shared.value.write().unwrap_or_else(|poison| poison.into_inner());
        let modified = modify(&mut slot);
        drop(slot);
        if modified {
            self.shared.publish();
        }
        modified
    }

    /// Borrows the current value.
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref { guard: self.shared.read(), has_changed: false }
    }

    /// A new receiver that counts the current value as seen.
    pub fn subscribe(&self) -> Receiver<T> {
        let mut state = lock(&self.shared.state);
        state.receivers += 1;
        let seen_version = state.version;
        drop(state);
        Receiver { shared: self.shared.clone(), seen_version }
    }

    /// Receivers alive now.
    pub fn receiver_count(&self) -> usize {
        lock(&self.shared.state).receivers
    }

    /// Senders alive now, this one included.
    pub fn sender_count(&self) -> usize {
        lock(&self.shared.state).senders
    }

    /// True if both senders send on the same channel.
    pub fn same_channel(&self, other: &Sender<T>) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// True when no receiver is left.
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Waits until every receiver is gone.
    ///
    /// Cancel safety: cancel-safe.
    pub async fn closed(&self) {
        let mut entry = Entry { state: &self.shared.state, list: closed_list, waiter: None };
        // Ready spends a unit of the task's budget, as every ready resource does (`task::coop`).
        std::future::poll_fn(|cx| {
            coop::budgeted(cx, |cx| {
                let mut state = lock(&self.shared.state);
                if state.receivers == 0 {
                    return Poll::Ready(());
                }
                entry.wait(&mut state, cx);
                Poll::Pending
            })
        })
        .await
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        lock(&self.shared.state).senders += 1;
        Sender { shared: self.shared.clone() }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.shared.state);
            state.senders -= 1;
            if state.senders == 0 {
                // Receivers in `changed()` must learn that nothing more will come.
                state.changed_waiters.wake_all(&mut wakes);
            }
        }
        wakes.wake_all_contained();
    }
}

impl<T> Shared<T> {
    /// A channel holding `initial`, with one sender and `receivers` receivers.
    fn new(initial: T, receivers: usize) -> Arc<Shared<T>> {
        let state = State {
            version: 0,
            senders: 1,
            receivers,
            changed_waiters: WaitList::new(),
            closed_waiters: WaitList::new(),
        };
        Arc::new(Shared { value: RwLock::new(initial), state: Mutex::new(state) })
    }

    // ANCHOR: publish
    /// A new value is in place: bump the version and wake every waiting receiver.
    fn publish(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.version += 1;
            state.changed_waiters.wake_all(&mut wakes);
        }
        wakes.wake_all();
    }
    // ANCHOR_END: publish

    fn read(&self) -> RwLockReadGuard<'_, T> {
        self.value.read().unwrap_or_else(|poison| poison.into_inner())
    }
}

// === impl Receiver ===

impl<T> Receiver<T> {
    /// Borrows the current value without marking it as seen.
    pub fn borrow(&self) -> Ref<'_, T> {
        let has_changed = lock(&self.shared.state).version != self.seen_version;
        Ref { guard: self.shared.read(), has_changed }
    }

    /// Borrows the current value and marks it as seen.
    pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
        // Take the value's read lock first: a send must wait for it before it can bump the
        // version, so the version read next belongs to the value borrowed.
        let guard = self.shared.read();
        let version = lock(&self.shared.state).version;
        let has_changed = version != self.seen_version;
        self.seen_version = version;
        Ref { guard, has_changed }
    }

    /// Whether a value was sent since this receiver last marked one as seen.
    /// `Err` once the sender is gone.
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        let state = lock(&self.shared.state);
        if state.senders == 0 {
            return Err(RecvError(()));
        }
        Ok(state.version != self.seen_version)
    }

    /// True once every sender is gone: no new value can come.
    pub fn is_closed(&self) -> bool {
        lock(&self.shared.state).senders == 0
    }

    /// Marks the current value as seen.
    pub fn mark_unchanged(&mut self) {
        self.seen_version = lock(&self.shared.state).version;
    }

    /// Marks the current value as not seen, so `changed()` returns at once.
    pub fn mark_changed(&mut self) {
        self.seen_version = lock(&self.shared.state).version.wrapping_sub(1);
    }

    // ANCHOR: changed
    /// Waits until a value newer than the last seen one is sent, and marks it as seen.
    /// A change that happened before the sender was dropped is still reported first; after
    /// that, `Err(RecvError)`.
    ///
    /// Cancel safety: cancel-safe. Nothing is consumed until the future completes.
    pub async fn changed(&mut self) -> Result<(), RecvError> {
        let mut entry = Entry { state: &self.shared.state, list: changed_list, waiter: None };
        // A change (or the end) spends a unit of the task's budget (`task::coop`): a loop over a
        // sender that changes the value every time still lets the other tasks run.
        std::future::poll_fn(|cx| {
            coop::budgeted(cx, |cx| {
                let mut state = lock(&self.shared.state);
                if state.version != self.seen_version {
                    self.seen_version = state.version;
                    return Poll::Ready(Ok(()));
                }
                if state.senders == 0 {
                    return Poll::Ready(Err(RecvError(())));
                }
                entry.wait(&mut state, cx);
                Poll::Pending
            })
        })
        .await
    }
    // ANCHOR_END: changed

    /// Waits until `condition` holds for the current value, and marks it as seen.
    ///
    /// Cancel safety: cancel-safe.
    pub async fn wait_for(
        &mut self,
        mut condition: impl FnMut(&T) -> bool,
    ) -> Result<Ref<'_, T>, RecvError> {
        // The whole wait spends a unit of the budget when it ends, as tokio's does: a loop
        // whose condition always holds at once awaits nothing else, and must still yield.
        coop::cooperative(async {
            loop {
                let satisfied = condition(&self.borrow_and_update());
                if satisfied {
                    return Ok(());
                }
                self.changed().await?;
            }
        })
        .await?;
        Ok(self.borrow())
    }

    /// True if both receivers watch the same channel.
    pub fn same_channel(&self, other: &Receiver<T>) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Receiver<T> {
        lock(&self.shared.state).receivers += 1;
        Receiver { shared: self.shared.clone(), seen_version: self.seen_version }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.shared.state);
            state.receivers -= 1;
            if state.receivers == 0 {
                state.closed_waiters.wake_all(&mut wakes);
            }
        }
        wakes.wake_all_contained();
    }
}

// === impl Entry ===

/// One waiter's place in one of the two lists, removed when the waiting future is dropped.
struct Entry<'a> {
    state: &'a Mutex<State>,
    list: fn(&mut State) -> &mut WaitList<()>,
    waiter: Option<WaiterId>,
}

fn changed_list(state: &mut State) -> &mut WaitList<()> {
    &mut state.changed_waiters
}

fn closed_list(state: &mut State) -> &mut WaitList<()> {
    &mut state.closed_waiters
}

impl Entry<'_> {
    /// Keeps this waiter in its list with the latest waker, joining again after a wake.
    fn wait(&mut self, state: &mut State, cx: &Context<'_>) {
        let list = (self.list)(state);
        let status = self.waiter.map(|id| list.poll_status(id, cx.waker()));
        if status != Some(Status::Waiting) {
            self.waiter = Some(list.push(cx.waker(), ()));
        }
    }
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            let mut state = lock(self.state);
            let _ = (self.list)(&mut state).cancel(id);
        }
    }
}

// === impl Ref ===

impl<T> Ref<'_, T> {
    /// Whether this value was new to the receiver that borrowed it.
    pub fn has_changed(&self) -> bool {
        self.has_changed
    }
}

impl<T> Deref for Ref<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

// === impl Debug ===

impl<T: fmt::Debug> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("Sender")
            .field("value", &*self.shared.read())
            .field("version", &state.version)
            .field("receivers", &state.receivers)
            .finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("Receiver")
            .field("value", &*self.shared.read())
            .field("version", &state.version)
            .field("seen_version", &self.seen_version)
            .field("senders", &state.senders)
            .finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ref")
            .field("value", &*self.guard)
            .field("has_changed", &self.has_changed)
            .finish()
    }
}
