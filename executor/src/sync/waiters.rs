//! The waiter list: the one pattern every primitive in `sync` is built on.
//!
//! A future that cannot finish yet (the lock is taken, the channel is empty, no permits are
//! left) puts its `Waker` in a list and returns `Pending`. Whoever changes the state (unlocks,
//! sends, adds permits) takes wakers out of that list and wakes them. Each primitive keeps its
//! list next to its state, behind the same `std::sync::Mutex`, so "check the state" and "join
//! the list" happen atomically and no wakeup can fall between them.
//!
//! ```text
//! ANCHOR: diagram
//!               1: poll finds the state busy          2: state changes
//!   future ────────────────────────────────► list ──────────────────────► grant(front)
//!     ▲          push (id, waker, data)        │        (unlock, send, add_permits)
//!     │                                        │ 3: waker.wake()
//!     └──────── 4: poll again, sees Granted ◄──┘
//!
//!   5: future dropped while waiting  -> cancel(id) removes it;
//!      dropped after being granted   -> cancel(id) returns the grant, and the primitive
//!                                       passes it on to the next waiter.
//! ANCHOR_END: diagram
//! ```
//!
//! Legend: 1 is `WaitList::push` from a primitive's `poll`; 2 and 3 are `WaitList::grant_front`
//! (or `wake_all`) followed by `WakeList::wake_all` once the lock is released; 4 is
//! `WaitList::poll_status`; 5 is `WaitList::cancel` from the future's `Drop`.
//!
//! Ids grow by one per waiter, so a `BTreeMap` keyed by id is also a FIFO queue: the first
//! entry is the oldest waiter. Removing a cancelled waiter from the middle is `O(log n)`.

use std::collections::BTreeMap;
use std::fmt;
use std::task::Waker;

/// Names one waiter in one `WaitList`. Ids are never reused within a list.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) struct WaiterId(u64);

// ANCHOR: wait_list
/// Waiters in arrival order, each with the data its primitive needs (how many permits it asks
/// for, whether it wants to read or to write), and the waiters already granted what they asked
/// for but not yet polled.
pub(crate) struct WaitList<T> {
    /// Still waiting, oldest first.
    waiting: BTreeMap<WaiterId, Waiter<T>>,
    /// Taken off `waiting` by `grant_front` or `grant`; the future collects its grant on its
    /// next poll, or gives it back in `cancel` if it is dropped first.
    granted: BTreeMap<WaiterId, T>,
    next_id: u64,
}

struct Waiter<T> {
    waker: Waker,
    data: T,
}

/// Where a waiter stands, as its future sees it on a poll or a drop.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Status<T> {
    /// Still in the queue; its waker is now the latest one it was polled with.
    Waiting,
    /// It was granted what it waited for; here is its data back.
    Granted(T),
    /// It is in neither part of the list: `wake_all` or `close` woke it without a grant.
    Gone,
}

/// What a dropped waiter held, so that its primitive can pass it on.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cancelled<T> {
    /// It was still queued; the data may record a partial grant (the semaphore's
    /// `acquire_many` collects permits while it waits at the head).
    WasWaiting(T),
    /// It had been granted, but never polled to collect the grant: the grant must go on.
    WasGranted(T),
    /// It had been woken without a grant.
    Gone,
}
// ANCHOR_END: wait_list

/// Wakers collected while a lock was held, to be woken after it is released.
///
/// Waking while holding the primitive's lock would be correct but wasteful: the woken task
/// could start running on another thread and block on that very lock.
#[derive(Default)]
#[must_use = "wakers are only woken by `wake_all`"]
pub(crate) struct WakeList {
    wakers: Vec<Waker>,
}

impl<T> WaitList<T> {
    pub(crate) fn new() -> WaitList<T> {
        WaitList { waiting: BTreeMap::new(), granted: BTreeMap::new(), next_id: 0 }
    }

    /// Joins the back of the queue.
    pub(crate) fn push(&mut self, waker: &Waker, data: T) -> WaiterId {
        let id = WaiterId(self.next_id);
        self.next_id += 1;
        self.waiting.insert(id, Waiter { waker: waker.clone(), data });
        id
    }

    /// What a future learns when it is polled again: still waiting (and its waker is updated),
    /// granted (the grant is collected), or gone.
    pub(crate) fn poll_status(&mut self, id: WaiterId, waker: &Waker) -> Status<T> {
        if let Some(waiter) = self.waiting.get_mut(&id) {
            if !waiter.waker.will_wake(waker) {
                waiter.waker = waker.clone();
            }
            return Status::Waiting;
        }
        match self.granted.remove(&id) {
            Some(data) => Status::Granted(data),
            None => Status::Gone,
        }
    }

    /// The waiter's future was dropped: forget it, and say what it held.
    pub(crate) fn cancel(&mut self, id: WaiterId) -> Cancelled<T> {
        if let Some(waiter) = self.waiting.remove(&id) {
            return Cancelled::WasWaiting(waiter.data);
        }
        match self.granted.remove(&id) {
            Some(data) => Cancelled::WasGranted(data),
            None => Cancelled::Gone,
        }
    }

    /// The oldest waiter's data, to decide whether it can be granted.
    pub(crate) fn front_mut(&mut self) -> Option<&mut T> {
        self.waiting.values_mut().next().map(|waiter| &mut waiter.data)
    }

    /// Moves the oldest waiter to the granted part and queues its waker.
    pub(crate) fn grant_front(&mut self, wakes: &mut WakeList) -> bool {
        let Some((id, waiter)) = self.waiting.pop_first() else {
            return false;
        };
        self.granted.insert(id, waiter.data);
        wakes.wakers.push(waiter.waker);
        true
    }

    /// Wakes every waiter without granting anything; each will re-check the state (as `Gone`).
    pub(crate) fn wake_all(&mut self, wakes: &mut WakeList) {
        let waiting = std::mem::take(&mut self.waiting);
        wakes.wakers.extend(waiting.into_values().map(|waiter| waiter.waker));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }

    /// Visits the waiting entries' data, oldest first.
    pub(crate) fn iter_data(&self) -> impl Iterator<Item = &T> {
        self.waiting.values().map(|waiter| &waiter.data)
    }
}

impl WakeList {
    pub(crate) fn new() -> WakeList {
        WakeList::default()
    }

    /// Wakes everyone collected. Call it after the primitive's lock is released.
    pub(crate) fn wake_all(self) {
        for waker in self.wakers {
            waker.wake();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for WaitList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let waiting: Vec<&T> = self.iter_data().collect();
        f.debug_struct("WaitList")
            .field("waiting", &waiting)
            .field("granted", &self.granted.len())
            .finish()
    }
}

impl fmt::Debug for WakeList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WakeList").field("wakers", &self.wakers.len()).finish()
    }
}
