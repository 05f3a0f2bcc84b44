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
//! The list is a slab: a `Vec` of entries, reused through a free list, with the waiting
//! entries linked front to back by index. Joining the back, leaving from the middle (a
//! cancelled future) and granting the front are all `O(1)` and allocate nothing once the
//! vector has grown to the largest number of waiters seen. A `WaiterId` carries the entry's
//! generation, so the id of a waiter that is gone can never name the entry's next occupant.

use std::fmt;
use std::task::Waker;

/// Names one waiter in one `WaitList`: its entry, and which occupant of that entry it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct WaiterId {
    index: u32,
    generation: u32,
}

// ANCHOR: wait_list
/// Waiters in arrival order, each with the data its primitive needs (how many permits it asks
/// for, whether it wants to read or to write), and the waiters already granted what they asked
/// for but not yet polled.
pub(crate) struct WaitList<T> {
    entries: Vec<Entry<T>>,
    /// The oldest and the newest waiting entry.
    head: Option<u32>,
    tail: Option<u32>,
    /// Entries free for reuse.
    free: Vec<u32>,
    waiting: usize,
}

struct Entry<T> {
    /// Bumped every time the entry is freed.
    generation: u32,
    state: EntryState<T>,
}

enum EntryState<T> {
    Free,
    /// In the queue, linked to its neighbours.
    Waiting {
        waker: Waker,
        data: T,
        prev: Option<u32>,
        next: Option<u32>,
    },
    /// Taken off the queue by `grant_front`; the future collects its grant on its next poll, or
    /// gives it back in `cancel` if it is dropped first.
    Granted(T),
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
    pub(crate) fn new() -> WaitList<T> {
        WaitList { entries: Vec::new(), head: None, tail: None, free: Vec::new(), waiting: 0 }
    }

    /// Joins the back of the queue.
    pub(crate) fn push(&mut self, waker: &Waker, data: T) -> WaiterId {
        let state = EntryState::Waiting { waker: waker.clone(), data, prev: self.tail, next: None };
        let index = match self.free.pop() {
            Some(index) => {
                self.entries[index as usize].state = state;
                index
            }
            None => {
                let index = u32::try_from(self.entries.len()).expect("fewer than 2^32 waiters");
                self.entries.push(Entry { generation: 0, state });
                index
            }
        };
        match self.tail {
            Some(tail) => self.set_next(tail, Some(index)),
            None => self.head = Some(index),
        }
        self.tail = Some(index);
        self.waiting += 1;
        WaiterId { index, generation: self.entries[index as usize].generation }
    }

    /// What a future learns when it is polled again: still waiting (and its waker is updated),
    /// granted (the grant is collected), or gone.
    pub(crate) fn poll_status(&mut self, id: WaiterId, waker: &Waker) -> Status<T> {
        let Some(entry) = self.entry_mut(id) else { return Status::Gone };
        match &mut entry.state {
            EntryState::Waiting { waker: stored, .. } => {
                if !stored.will_wake(waker) {
                    *stored = waker.clone();
                }
                Status::Waiting
            }
            EntryState::Granted(_) => match self.release(id.index) {
                EntryState::Granted(data) => Status::Granted(data),
                _ => unreachable!("the entry was just seen granted"),
            },
            EntryState::Free => Status::Gone,
        }
    }

    /// The waiter's future was dropped: forget it, and say what it held.
    pub(crate) fn cancel(&mut self, id: WaiterId) -> Cancelled<T> {
        let Some(entry) = self.entry_mut(id) else { return Cancelled::Gone };
        match entry.state {
            EntryState::Free => Cancelled::Gone,
            EntryState::Granted(_) => match self.release(id.index) {
                EntryState::Granted(data) => Cancelled::WasGranted(data),
                _ => unreachable!("the entry was just seen granted"),
            },
            EntryState::Waiting { .. } => {
                self.unlink(id.index);
                match self.release(id.index) {
                    EntryState::Waiting { data, .. } => Cancelled::WasWaiting(data),
                    _ => unreachable!("the entry was just seen waiting"),
                }
            }
        }
    }

    /// The oldest waiter's data, to decide whether it can be granted.
    pub(crate) fn front_mut(&mut self) -> Option<&mut T> {
        let head = self.head?;
        match &mut self.entries[head as usize].state {
            EntryState::Waiting { data, .. } => Some(data),
            _ => unreachable!("linked entries are waiting"),
        }
    }

    /// Moves the oldest waiter to the granted part and queues its waker.
    pub(crate) fn grant_front(&mut self, wakes: &mut WakeList) -> bool {
        let Some(head) = self.head else { return false };
        self.unlink(head);
        let entry = &mut self.entries[head as usize];
        let EntryState::Waiting { waker, data, .. } =
            std::mem::replace(&mut entry.state, EntryState::Free)
        else {
            unreachable!("linked entries are waiting");
        };
        entry.state = EntryState::Granted(data);
        wakes.push(waker);
        true
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
            if let EntryState::Waiting { waker, data, .. } = self.release(head) {
                give_back(data);
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
            let index = cursor?;
            match &self.entries[index as usize].state {
                EntryState::Waiting { data, next, .. } => {
                    cursor = *next;
                    Some(data)
                }
                _ => unreachable!("linked entries are waiting"),
            }
        })
    }

    /// The entry `id` names, if it still belongs to that waiter.
    fn entry_mut(&mut self, id: WaiterId) -> Option<&mut Entry<T>> {
        self.entries.get_mut(id.index as usize).filter(|entry| entry.generation == id.generation)
    }

    /// Takes a waiting entry out of the queue's links (it stays allocated).
    fn unlink(&mut self, index: u32) {
        let EntryState::Waiting { prev, next, .. } = self.entries[index as usize].state else {
            unreachable!("only waiting entries are linked");
        };
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

    /// Frees an (unlinked) entry for reuse and returns what it held.
    fn release(&mut self, index: u32) -> EntryState<T> {
        let entry = &mut self.entries[index as usize];
        entry.generation = entry.generation.wrapping_add(1);
        self.free.push(index);
        std::mem::replace(&mut entry.state, EntryState::Free)
    }

    fn set_next(&mut self, index: u32, new_next: Option<u32>) {
        if let EntryState::Waiting { next, .. } = &mut self.entries[index as usize].state {
            *next = new_next;
        }
    }

    fn set_prev(&mut self, index: u32, new_prev: Option<u32>) {
        if let EntryState::Waiting { prev, .. } = &mut self.entries[index as usize].state {
            *prev = new_prev;
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

    /// Wakes everyone collected. Call it after the primitive's lock is released.
    pub(crate) fn wake_all(self) {
        self.first.into_iter().chain(self.rest).for_each(Waker::wake);
    }
}

impl<T: fmt::Debug> fmt::Debug for WaitList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let waiting: Vec<&T> = self.iter_data().collect();
        f.debug_struct("WaitList")
            .field("waiting", &waiting)
            .field("entries", &self.entries.len())
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
