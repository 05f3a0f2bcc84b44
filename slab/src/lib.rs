//! The one slab of Clockwork: values kept in a `Vec`, each named by its index and a generation.
//!
//! A runtime files things it must find again quickly: the live tasks, the sources registered
//! with the reactor, the timers of the wheel, the futures waiting on a lock or a channel. Each
//! of those wants the same three things:
//!
//! 1. **O(1) insert and remove, without an allocation per value.** Values live in one `Vec`;
//!    a removed value leaves a vacant entry, and vacant entries are chained into a *free list*
//!    through their own storage, so the next insert reuses one instead of growing the `Vec`.
//! 2. **A small name that survives being copied around.** A [`Key`] is two `u32`s: the index of
//!    the entry, and the entry's *generation*. It fits in the `u64` that `epoll` carries back as
//!    an event's user data, in a waker-free future, or in a debugger's watch window.
//! 3. **Stale names that fail safely.** A key may outlive its value: an `epoll` event may be
//!    queued for a socket that was just closed, a `Sleep` may keep the key of a timer that fired.
//!    Meanwhile the entry may hold somebody else's value. So every removal bumps the entry's
//!    generation, and a key whose generation no longer matches names nothing (mio#219 is the
//!    bug this prevents: an event for a dead socket woke the task that reused its slot).
//!
//! ```
//! use clockwork_slab::Slab;
//!
//! let mut slab = Slab::new();
//! let first = slab.insert("first");
//! assert_eq!(slab.remove(first), Some("first"));
//!
//! // The entry is reused, under a new generation...
//! let second = slab.insert("second");
//! assert_eq!(second.index(), first.index());
//! assert_ne!(second.generation(), first.generation());
//!
//! // ...so the old key no longer reaches it.
//! assert_eq!(slab.get(first), None);
//! assert_eq!(slab.get(second), Some(&"second"));
//! ```
//!
//! The waiter lists thread intrusive linked lists through the slab: their
//! values carry the *indices* of their neighbours, and they reach a neighbour with
//! [`Slab::at`] and [`Slab::at_mut`], which skip the generation check because a linked entry is
//! live by construction.

#![forbid(unsafe_code)]

use std::fmt;

/// The name of one value in a [`Slab`]: where it is, and which occupant of that entry it is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key {
    index: u32,
    generation: u32,
}

/// Values of type `T`, each reachable by the [`Key`] its insert returned.
pub struct Slab<T> {
    entries: Vec<Entry<T>>,
    /// The most recently vacated entry, or [`NONE`]; the vacant ones are chained through
    /// `Entry::next_free`.
    free_head: u32,
    /// How many entries are occupied.
    len: usize,
}

/// One entry: a value or a gap in the `Vec`.
#[derive(Debug)]
struct Entry<T> {
    /// `Some` while occupied.
    value: Option<T>,
    /// Bumped each time the entry is vacated, so that keys handed out before stop matching.
    generation: u32,
    /// While vacant, the next vacant entry of the free list, or [`NONE`].
    next_free: u32,
}

/// The end of the free list. A plain `u32` rather than an `Option<u32>` keeps an entry to its
/// value plus 8 bytes; index `u32::MAX` itself is never handed out (see [`Slab::insert`]).
const NONE: u32 = u32::MAX;

// === impl Key ===

impl Key {
    /// The position of the entry in the slab.
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many times the entry had been vacated when this key was handed out.
    pub fn generation(self) -> u32 {
        self.generation
    }

    /// Both halves in one `u64` (generation high, index low): what `epoll` carries as user data.
    pub fn to_u64(self) -> u64 {
        (u64::from(self.generation) << 32) | u64::from(self.index)
    }

    /// The inverse of [`Key::to_u64`].
    pub fn from_u64(packed: u64) -> Key {
        Key { index: packed as u32, generation: (packed >> 32) as u32 }
    }
}

// === impl Slab ===

impl<T> Slab<T> {
    /// An empty slab; it allocates on the first insert.
    pub const fn new() -> Slab<T> {
        Slab { entries: Vec::new(), free_head: NONE, len: 0 }
    }

    /// An empty slab with room for `capacity` values before it grows.
    pub fn with_capacity(capacity: usize) -> Slab<T> {
        Slab { entries: Vec::with_capacity(capacity), free_head: NONE, len: 0 }
    }

    /// How many values the slab holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the slab holds no value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    // ANCHOR: insert
    /// Stores `value` in a vacant entry, or in a new one, and returns its key. O(1).
    pub fn insert(&mut self, value: T) -> Key {
        self.len += 1;
        // Reuse the entry vacated last: it is the most likely to still be in the cache.
        if self.free_head != NONE {
            let index = self.free_head;
            let entry = &mut self.entries[index as usize];
            debug_assert!(entry.value.is_none(), "the free list links only vacant entries");
            self.free_head = std::mem::replace(&mut entry.next_free, NONE);
            entry.value = Some(value);
            return Key { index, generation: entry.generation };
        }
        let index = u32::try_from(self.entries.len())
            .ok()
            .filter(|&index| index != NONE)
            .expect("a slab holds fewer than 2^32 - 1 values");
        self.entries.push(Entry { value: Some(value), generation: 0, next_free: NONE });
        Key { index, generation: 0 }
    }
    // ANCHOR_END: insert

    /// Takes the value `key` names out of the slab; `None` if the key is stale. O(1).
    pub fn remove(&mut self, key: Key) -> Option<T> {
        self.contains(key).then(|| self.remove_at(key.index))
    }

    /// True while `key` names a value: it was handed out by this entry's current occupant.
    pub fn contains(&self, key: Key) -> bool {
        self.get(key).is_some()
    }

    /// The value `key` names, or `None` if the key is stale.
    pub fn get(&self, key: Key) -> Option<&T> {
        let entry = self.entries.get(key.index as usize)?;
        let current = entry.generation == key.generation;
        entry.value.as_ref().filter(|_| current)
    }

    /// The value `key` names, mutably, or `None` if the key is stale.
    pub fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        let entry = self.entries.get_mut(key.index as usize)?;
        let current = entry.generation == key.generation;
        entry.value.as_mut().filter(|_| current)
    }

    /// The key of the value at `index`, if that entry is occupied.
    pub fn key_at(&self, index: u32) -> Option<Key> {
        let entry = self.entries.get(index as usize)?;
        entry.value.as_ref().map(|_| Key { index, generation: entry.generation })
    }

    /// The value at `index`, for code that reached the index through a link of its own.
    ///
    /// # Panics
    ///
    /// Panics if the entry is vacant: a link to a vacant entry is a bug in the list.
    pub fn at(&self, index: u32) -> &T {
        match &self.entries[index as usize].value {
            Some(value) => value,
            None => panic!("a linked slab entry is occupied (entry {index} is vacant)"),
        }
    }

    /// The value at `index`, mutably; see [`Slab::at`].
    pub fn at_mut(&mut self, index: u32) -> &mut T {
        match &mut self.entries[index as usize].value {
            Some(value) => value,
            None => panic!("a linked slab entry is occupied (entry {index} is vacant)"),
        }
    }

    // ANCHOR: remove_at
    /// Takes the value at `index` out, vacates the entry and bumps its generation. O(1).
    ///
    /// # Panics
    ///
    /// Panics if the entry is already vacant.
    pub fn remove_at(&mut self, index: u32) -> T {
        let entry = &mut self.entries[index as usize];
        let Some(value) = entry.value.take() else {
            panic!("a slab entry is removed once (entry {index} is already vacant)");
        };
        // The bump is what makes every key handed out for this occupant stale.
        entry.generation = entry.generation.wrapping_add(1);
        entry.next_free = self.free_head;
        self.free_head = index;
        self.len -= 1;
        value
    }
    // ANCHOR_END: remove_at

    /// The values with their keys, in index order.
    pub fn iter(&self) -> impl Iterator<Item = (Key, &T)> {
        self.entries.iter().zip(0..).filter_map(|(entry, index)| {
            let key = Key { index, generation: entry.generation };
            entry.value.as_ref().map(|value| (key, value))
        })
    }

    /// The values, mutably, in index order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.entries.iter_mut().filter_map(|entry| entry.value.as_mut())
    }

    /// Empties the slab and returns its values, in index order. Every key becomes stale; the
    /// entries stay, vacant, with their generations bumped, so no old key can match a value
    /// inserted later.
    pub fn take_all(&mut self) -> Vec<T> {
        let occupied: Vec<u32> = self.iter().map(|(key, _)| key.index).collect();
        occupied.into_iter().map(|index| self.remove_at(index)).collect()
    }
}

impl<T> Default for Slab<T> {
    fn default() -> Slab<T> {
        Slab::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for Slab<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slab")
            .field("len", &self.len)
            .field("entries", &self.entries.len())
            .field("free_head", &self.free_head)
            .finish()
    }
}

#[cfg(test)]
mod tests;
