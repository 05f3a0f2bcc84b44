//! The guards of a `Mutex`: plain, owned, and mapped to a part of the data.
//!
//! Every guard holds the mutex's one permit; dropping the guard gives it back, which unlocks.
//! A borrowed guard holds it as a `SemaphorePermit`, an owned guard as a [`Locked`] (an `Arc`
//! of the mutex that unlocks on drop). Neither guard type has a `Drop` of its own, so `map`
//! can move the permit out of a guard into the mapped guard, with nothing to forget.
//!
//! A mapped guard points at a part of the data (a field, an element): the pointer came from
//! the `&mut T` that the permit made unique, and stays valid while the permit is held.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::sync::SemaphorePermit;
use crate::sync::mutex::Mutex;

/// Exclusive access to a [`Mutex`]'s data; unlocks when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    /// The mutex's one permit: given back (unlocking) when the guard is dropped.
    permit: SemaphorePermit<'a>,
    /// Makes the guard `Sync` only when `T` is: sharing the guard shares `&T`.
    _shares: PhantomData<&'a mut T>,
}

/// Exclusive access to a part of a [`Mutex`]'s data, made by [`MutexGuard::map`].
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct MappedMutexGuard<'a, T: ?Sized> {
    data: *mut T,
    permit: SemaphorePermit<'a>,
    _shares: PhantomData<&'a mut T>,
}

/// Exclusive access to the data of an `Arc<Mutex>`; `'static`, so a task can own it.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedMutexGuard<T: ?Sized> {
    locked: Locked<T>,
    /// Makes the guard `Sync` only when `T` is: sharing the guard shares `&T`.
    _shares: PhantomData<Box<T>>,
}

/// Exclusive access to a part `U` of the data `T` of an `Arc<Mutex<T>>`, made by
/// [`OwnedMutexGuard::map`].
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedMappedMutexGuard<T: ?Sized, U: ?Sized = T> {
    locked: Locked<T>,
    data: *mut U,
    _shares: PhantomData<Box<U>>,
}

/// An `Arc` of a locked mutex whose permit is held: dropping it unlocks.
pub(super) struct Locked<T: ?Sized>(Arc<Mutex<T>>);

// SAFETY: a mapped guard is a `&mut T` that also owns the permit; it can move to another
// thread when `&mut T` can (`T: Send`) and be shared when `&T` can (`T: Sync`).
unsafe impl<T: ?Sized + Send> Send for MappedMutexGuard<'_, T> {}
// SAFETY: as for `Send` above.
unsafe impl<T: ?Sized + Sync> Sync for MappedMutexGuard<'_, T> {}
// SAFETY: the guard owns an `Arc<Mutex<T>>` (sendable when `T: Send`) and a `&mut U` into it.
unsafe impl<T: ?Sized + Send, U: ?Sized + Send> Send for OwnedMappedMutexGuard<T, U> {}
// SAFETY: sharing the guard shares `&U`, and the `Arc<Mutex<T>>`, which needs `T: Send + Sync`.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync for OwnedMappedMutexGuard<T, U> {}

// === impl MutexGuard ===

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    pub(super) fn new(mutex: &'a Mutex<T>, permit: SemaphorePermit<'a>) -> MutexGuard<'a, T> {
        MutexGuard { mutex, permit, _shares: PhantomData }
    }

    /// Narrows the guard to a part of the data, keeping the lock. An associated function
    /// (`MutexGuard::map(guard, ..)`), so that it cannot shadow a method of `T`.
    pub fn map<U: ?Sized>(this: Self, f: impl FnOnce(&mut T) -> &mut U) -> MappedMutexGuard<'a, U> {
        let MutexGuard { mutex, permit, .. } = this;
        // SAFETY: `permit` is the mutex's only one, so this is the only reference to the data.
        let data: *mut U = f(unsafe { &mut *mutex.data.get() });
        MappedMutexGuard { data, permit, _shares: PhantomData }
    }

    /// Like [`map`](Self::map), when the part may be missing: gives the guard back if `f`
    /// returns `None`.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<MappedMutexGuard<'a, U>, Self> {
        // SAFETY: as in `map`; the borrow ends before `this` is returned or taken apart.
        let Some(data) = f(unsafe { &mut *this.mutex.data.get() }) else { return Err(this) };
        let data: *mut U = data;
        let MutexGuard { permit, .. } = this;
        Ok(MappedMutexGuard { data, permit, _shares: PhantomData })
    }

    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &'a Mutex<T> {
        this.mutex
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard holds the mutex's only permit, so no other reference to the data
        // exists while it lives.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this borrow unique among the guard's own.
        unsafe { &mut *self.mutex.data.get() }
    }
}

// === impl MappedMutexGuard ===

impl<'a, T: ?Sized> MappedMutexGuard<'a, T> {
    /// Narrows the guard further, keeping the lock.
    pub fn map<U: ?Sized>(this: Self, f: impl FnOnce(&mut T) -> &mut U) -> MappedMutexGuard<'a, U> {
        let MappedMutexGuard { data, permit, .. } = this;
        // SAFETY: `data` points into the locked data, and the permit still holds the lock.
        let data: *mut U = f(unsafe { &mut *data });
        MappedMutexGuard { data, permit, _shares: PhantomData }
    }

    /// Narrows the guard further if `f` finds the part; gives the guard back otherwise.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<MappedMutexGuard<'a, U>, Self> {
        // SAFETY: as in `map`; the borrow ends before `this` is returned or taken apart.
        let Some(data) = f(unsafe { &mut *this.data }) else { return Err(this) };
        let data: *mut U = data;
        let MappedMutexGuard { permit, .. } = this;
        Ok(MappedMutexGuard { data, permit, _shares: PhantomData })
    }
}

impl<T: ?Sized> Deref for MappedMutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `data` points into the locked data, and `permit` holds the lock.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for MappedMutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes the borrow unique.
        unsafe { &mut *self.data }
    }
}

// === impl OwnedMutexGuard ===

impl<T: ?Sized> Locked<T> {
    /// Wraps a mutex whose permit the caller has taken and forgotten.
    pub(super) fn new(mutex: Arc<Mutex<T>>) -> Locked<T> {
        Locked(mutex)
    }

    /// The locked data.
    fn data(&self) -> *mut T {
        self.0.data.get()
    }
}

impl<T: ?Sized> Drop for Locked<T> {
    fn drop(&mut self) {
        self.0.semaphore.give_back(1);
    }
}

impl<T: ?Sized> OwnedMutexGuard<T> {
    pub(super) fn new(locked: Locked<T>) -> OwnedMutexGuard<T> {
        OwnedMutexGuard { locked, _shares: PhantomData }
    }

    /// Narrows the guard to a part of the data, keeping the lock (and the `Arc`).
    pub fn map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> OwnedMappedMutexGuard<T, U> {
        // SAFETY: the guard holds the mutex's only permit, so this is the only reference.
        let data: *mut U = f(unsafe { &mut *this.locked.data() });
        OwnedMappedMutexGuard { locked: this.locked, data, _shares: PhantomData }
    }

    /// Like [`map`](Self::map), giving the guard back if `f` returns `None`.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<OwnedMappedMutexGuard<T, U>, Self> {
        // SAFETY: as in `map`; the borrow ends before `this` is returned or taken apart.
        let Some(data) = f(unsafe { &mut *this.locked.data() }) else { return Err(this) };
        let data: *mut U = data;
        Ok(OwnedMappedMutexGuard { locked: this.locked, data, _shares: PhantomData })
    }

    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.locked.0
    }
}

impl<T: ?Sized> Deref for OwnedMutexGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard holds the mutex's only permit (see `MutexGuard::deref`).
        unsafe { &*self.locked.data() }
    }
}

impl<T: ?Sized> DerefMut for OwnedMutexGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard holds the mutex's only permit (see `MutexGuard::deref`).
        unsafe { &mut *self.locked.data() }
    }
}

// === impl OwnedMappedMutexGuard ===

impl<T: ?Sized, U: ?Sized> OwnedMappedMutexGuard<T, U> {
    /// Narrows the guard further, keeping the lock.
    pub fn map<S: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut U) -> &mut S,
    ) -> OwnedMappedMutexGuard<T, S> {
        // SAFETY: `data` points into the locked data, and `locked` holds the lock.
        let data: *mut S = f(unsafe { &mut *this.data });
        OwnedMappedMutexGuard { locked: this.locked, data, _shares: PhantomData }
    }

    /// Narrows the guard further if `f` finds the part; gives the guard back otherwise.
    pub fn try_map<S: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut U) -> Option<&mut S>,
    ) -> Result<OwnedMappedMutexGuard<T, S>, Self> {
        // SAFETY: as in `map`; the borrow ends before `this` is returned or taken apart.
        let Some(data) = f(unsafe { &mut *this.data }) else { return Err(this) };
        let data: *mut S = data;
        Ok(OwnedMappedMutexGuard { locked: this.locked, data, _shares: PhantomData })
    }

    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.locked.0
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedMappedMutexGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: `data` points into the locked data, and `locked` holds the lock.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedMappedMutexGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as in `deref`; `&mut self` makes the borrow unique.
        unsafe { &mut *self.data }
    }
}

// === impl Debug and Display ===

// A guard prints as the value it guards, as tokio's guards do (`print_as_target!` is in
// `sync.rs`).

print_as_target!(['a, T: ?Sized] MutexGuard<'a, T>);
print_as_target!(['a, T: ?Sized] MappedMutexGuard<'a, T>);
print_as_target!([T: ?Sized] OwnedMutexGuard<T>);
print_as_target!([T: ?Sized, U: ?Sized] OwnedMappedMutexGuard<T, U>);
