//! The waiter list: the one pattern every primitive in `sync` is built on.
//!
//! A future that cannot finish yet (the lock is taken, the channel is empty, no permits are
//! left) puts its `Waker` in a list and returns `Pending`. Whoever changes the state (unlocks,
//! sends, adds permits) takes wakers out of that list and wakes them. Each primitive keeps its
//! list next to its state, behind the same [`std::sync::Mutex`], so "check the state" and "join
//! the list" happen atomically and no wakeup can fall between them.
//!
//! ```text
// ANCHOR: diagram
//!               1: poll finds the state busy          2: state changes
//!   future ────────────────────────────────► list ──────────────────────► grant(front)
//!     ▲          push (id, waker, data)        │        (unlock, send, add_permits)
//!     │                                        │ 3: waker.wake()
//!     └──────── 4: poll again, sees Granted ◄──┘
//!
//!   5: future dropped while waiting  -> cancel(id) removes it;
//!      dropped after being granted   -> cancel(id) returns the grant, and the primitive
//!                                       passes it on to the next waiter.
// ANCHOR_END: diagram
//! ```
//!
//! Legend: 1 is [`WaitList::push`] from a primitive's `poll`; 2 and 3 are [`WaitList::grant_front`]
//! (or `wake_all`) followed by [`WakeList::wake_all`] once the lock is released; 4 is
//! [`WaitList::poll_status`]; 5 is [`WaitList::cancel`] from the future's `Drop`.
//!
//! The list lives in the workspace's one slab (`clockwork-slab`), with the waiting entries
//! linked front to back by index. Joining the back, leaving from the middle (a cancelled
//! future) and granting the front are all `O(1)` and allocate nothing once the slab has grown
//! to the largest number of waiters seen. A [`WaiterId`] is the slab's key, which carries the
//! entry's generation, so the id of a waiter that is gone can never name the entry's next
//! occupant.

use std::fmt;
use std::task::Waker;

use clockwork_slab::{Key, Slab};

use crate::contain;

/// Names one waiter in one [`WaitList`]: its entry, and which occupant of that entry it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct WaiterId(Key);

// ANCHOR: wait_list
/// Waiters in arrival order, each with the data its primitive needs (how many permits it asks
/// for, whether it wants to read or to write), and the waiters already granted what they asked
/// for but not yet polled.
pub(crate) struct WaitList<T> {
    entries: Slab<Entry<T>>,
    /// The oldest and the newest waiting entry.
    head: Option<u32>,
    tail: Option<u32>,
    waiting: usize,
}

/// One waiter: what its primitive needs to know, and where it stands.
struct Entry<T> {
    data: T,
    place: Place,
}

/// Where a waiter stands.
enum Place {
    /// In the queue, linked to its neighbours.
    Waiting { waker: Waker, prev: Option<u32>, next: Option<u32> },
    /// Taken off the queue by `grant_front`; the future collects its grant on its next poll, or
    /// gives it back in `cancel` if it is dropped first.
    Granted,
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
/// could start running on another thread and block on that very lock. Most operations wake
/// one waiter, so the first waker is kept inline and only a second one allocates.
#[derive(Default)]
#[must_use = "wakers are only woken by `wake_all`"]
pub(crate) struct WakeList {
    first: Option<Waker>,
    rest: Vec<Waker>,
}

impl<T> WaitList<T> {
    pub(crate) const fn new() -> WaitList<T> {
        WaitList { entries: Slab::new(), head: None, tail: None, waiting: 0 }
    }

    /// Joins the back of the queue.
    pub(crate) fn push(&mut self, waker: &Waker, data: T) -> WaiterId {
        let place = Place::Waiting { waker: waker.clone(), prev: self.tail, next: None };
        let key = self.entries.insert(Entry { data, place });
        let index = key.index();
        match self.tail {
            Some(tail) => self.set_next(tail, Some(index)),
            None => self.head = Some(index),
        }
        self.tail = Some(index);
        self.waiting += 1;
        WaiterId(key)
    }

    /// What a future learns when it is polled again: still waiting (and its waker is updated),
    /// granted (the grant is collected), or gone.
    pub(crate) fn poll_status(&mut self, id: WaiterId, waker: &Waker) -> Status<T> {
        let mut replaced = None;
        let status = self.poll_status_replacing(id, waker, &mut replaced);
        drop(replaced);
        status
    }

    /// [`poll_status`](Self::poll_status), handing the waker it replaces to the caller, who
    /// drops it once the primitive's lock is released: a waker's `Drop` is user code, and may
    /// use the primitive (tokio's `send_in_waker_drop`).
    pub(crate) fn poll_status_replacing(
        &mut self,
        id: WaiterId,
        waker: &Waker,
        replaced: &mut Option<Waker>,
    ) -> Status<T> {
        let Some(entry) = self.entries.get_mut(id.0) else { return Status::Gone };
        match &mut entry.place {
            Place::Waiting { waker: stored, .. } => {
                if !stored.will_wake(waker) {
                    *replaced = Some(std::mem::replace(stored, waker.clone()));
                }
                Status::Waiting
            }
            Place::Granted => Status::Granted(self.entries.remove_at(id.0.index()).data),
        }
    }

    /// The waiter's future was dropped: forget it, and say what it held.
    pub(crate) fn cancel(&mut self, id: WaiterId) -> Cancelled<T> {
        let Some(entry) = self.entries.get(id.0) else { return Cancelled::Gone };
        let index = id.0.index();
        match entry.place {
            Place::Granted => Cancelled::WasGranted(self.entries.remove_at(index).data),
            Place::Waiting { .. } => {
                self.unlink(index);
                Cancelled::WasWaiting(self.entries.remove_at(index).data)
            }
        }
    }

    /// The oldest waiter's data, to decide whether it can be granted.
    pub(crate) fn front_mut(&mut self) -> Option<&mut T> {
        let head = self.head?;
        Some(&mut self.entries.at_mut(head).data)
    }

    /// The newest waiter's data (`Notify::notify_last` records in it how it was chosen).
    pub(crate) fn back_mut(&mut self) -> Option<&mut T> {
        let tail = self.tail?;
        Some(&mut self.entries.at_mut(tail).data)
    }

    /// Moves the oldest waiter to the granted part and queues its waker.
    pub(crate) fn grant_front(&mut self, wakes: &mut WakeList) -> bool {
        let Some(head) = self.head else { return false };
        self.grant(head, wakes);
        true
    }

    /// Moves the newest waiter to the granted part and queues its waker (`Notify::notify_last`).
    pub(crate) fn grant_back(&mut self, wakes: &mut WakeList) -> bool {
        let Some(tail) = self.tail else { return false };
        self.grant(tail, wakes);
        true
    }

    /// True while the waiter is still queued: neither granted nor woken.
    pub(crate) fn is_waiting(&self, id: WaiterId) -> bool {
        self.entries.get(id.0).is_some_and(|entry| matches!(entry.place, Place::Waiting { .. }))
    }

    fn grant(&mut self, index: u32, wakes: &mut WakeList) {
        self.unlink(index);
        let place = std::mem::replace(&mut self.entries.at_mut(index).place, Place::Granted);
        let Place::Waiting { waker, .. } = place else {
            unreachable!("linked entries are waiting");
        };
        wakes.push(waker);
    }

    /// Wakes every waiter without granting anything; each will re-check the state (as `Gone`).
    pub(crate) fn wake_all(&mut self, wakes: &mut WakeList) {
        self.wake_all_and(wakes, drop);
    }

    /// Like `wake_all`, handing each waiter's data to `give_back` first: a semaphore that closes
    /// returns the permits its head waiter had already collected.
    pub(crate) fn wake_all_and(&mut self, wakes: &mut WakeList, mut give_back: impl FnMut(T)) {
        while let Some(head) = self.head {
            self.unlink(head);
            let entry = self.entries.remove_at(head);
            give_back(entry.data);
            if let Place::Waiting { waker, .. } = entry.place {
                wakes.push(waker);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.waiting == 0
    }

    pub(crate) fn len(&self) -> usize {
        self.waiting
    }

    /// Visits the waiting entries' data, oldest first.
    pub(crate) fn iter_data(&self) -> impl Iterator<Item = &T> {
        let mut cursor = self.head;
        std::iter::from_fn(move || {
            let entry = self.entries.at(cursor?);
            cursor = entry.links().1;
            Some(&entry.data)
        })
    }

    /// Takes a waiting entry out of the queue's links (it stays in the slab).
    fn unlink(&mut self, index: u32) {
        let (prev, next) = self.entries.at(index).links();
        match prev {
            Some(prev) => self.set_next(prev, next),
            None => self.head = next,
        }
        match next {
            Some(next) => self.set_prev(next, prev),
            None => self.tail = prev,
        }
        self.waiting -= 1;
    }

    fn set_next(&mut self, index: u32, new_next: Option<u32>) {
        if let Place::Waiting { next, .. } = &mut self.entries.at_mut(index).place {
            *next = new_next;
        }
    }

    fn set_prev(&mut self, index: u32, new_prev: Option<u32>) {
        if let Place::Waiting { prev, .. } = &mut self.entries.at_mut(index).place {
            *prev = new_prev;
        }
    }
}

impl<T> Entry<T> {
    /// The neighbours of a waiting entry, (previous, next).
    fn links(&self) -> (Option<u32>, Option<u32>) {
        match self.place {
            Place::Waiting { prev, next, .. } => (prev, next),
            Place::Granted => unreachable!("only waiting entries are linked"),
        }
    }
}

impl WakeList {
    pub(crate) fn new() -> WakeList {
        WakeList::default()
    }

    fn push(&mut self, waker: Waker) {
        match self.first {
            None => self.first = Some(waker),
            Some(_) => self.rest.push(waker),
        }
    }

    /// Wakes everyone collected, after an operation that gives something (a send, an unlock):
    /// a waker that panics does not stop the others, and the first panic is raised again in
    /// the caller once all are woken (see `contain.rs`). Call it after the primitive's lock is
    /// released, with the operation complete.
    #[inline]
    pub(crate) fn wake_all(self) {
        // Most operations wake nobody (no one was waiting): that case costs one test.
        if self.first.is_some() {
            contain::raise(contain::wake_each(self.first.into_iter().chain(self.rest)));
        }
    }

    /// Wakes everyone collected, from a receive or a drop: a panicking waker is contained, so
    /// that the value being received reaches the caller and no panic leaves a `Drop`.
    #[inline]
    pub(crate) fn wake_all_contained(self) {
        if self.first.is_some() {
            contain::forget_panic(contain::wake_each(self.first.into_iter().chain(self.rest)));
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for WaitList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let waiting: Vec<&T> = self.iter_data().collect();
        f.debug_struct("WaitList")
            .field("waiting", &waiting)
            .field("slab_len", &self.entries.len())
            .finish()
    }
}

impl fmt::Debug for WakeList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wakers = usize::from(self.first.is_some()) + self.rest.len();
        f.debug_struct("WakeList").field("wakers", &wakers).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests;
