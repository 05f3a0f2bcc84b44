//! The guards of an `RwLock`: read, write, mapped write, each borrowed or owned.
//!
//! A guard is a pointer to the data (or, once mapped, to a part of it) and the permits that
//! make using it safe: one for a reader, all of them for a writer. A borrowed guard holds
//! them as a `SemaphorePermit`, an owned guard as a [`Held`] (an `Arc` of the lock and a
//! count). Neither has a `Drop` of its own, so `map` moves the permits into the new guard.
//!
//! Downgrading a writer to a reader keeps one permit and gives the rest back, so the readers
//! queued behind the writer get in at once, and no writer can slip in between.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::sync::SemaphorePermit;
use crate::sync::rwlock::RwLock;

/// Shared access to an [`RwLock`]'s data (or a part of it, after `map`); releases its read
/// permit when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    data: *const T,
    permit: SemaphorePermit<'a>,
    _shares: PhantomData<&'a T>,
}

/// Exclusive access to an [`RwLock`]'s data; releases every permit when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    data: *mut T,
    permit: SemaphorePermit<'a>,
    _shares: PhantomData<&'a mut T>,
}

/// Exclusive access to a part of an [`RwLock`]'s data, made by [`RwLockWriteGuard::map`].
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockMappedWriteGuard<'a, T: ?Sized> {
    data: *mut T,
    permit: SemaphorePermit<'a>,
    _shares: PhantomData<&'a mut T>,
}

/// Shared access to the data `T` (or a part `U` of it) of an `Arc<RwLock<T>>`; `'static`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedRwLockReadGuard<T: ?Sized, U: ?Sized = T> {
    held: Held<T>,
    data: *const U,
    _shares: PhantomData<Arc<U>>,
}

/// Exclusive access to the data of an `Arc<RwLock>`; `'static`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedRwLockWriteGuard<T: ?Sized> {
    held: Held<T>,
    _shares: PhantomData<Box<T>>,
}

/// Exclusive access to a part `U` of the data of an `Arc<RwLock<T>>`, made by
/// [`OwnedRwLockWriteGuard::map`].
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedRwLockMappedWriteGuard<T: ?Sized, U: ?Sized = T> {
    held: Held<T>,
    data: *mut U,
    _shares: PhantomData<Box<U>>,
}

/// An `Arc` of a lock and the permits taken from it (and forgotten): given back on drop.
pub(super) struct Held<T: ?Sized> {
    lock: Arc<RwLock<T>>,
    permits: u32,
}

// The `Send` and `Sync` of the guards: a guard is a `&T` (reader) or `&mut T` (writer) that
// owns its permits. A read guard may move to another thread when `&T` may (`T: Sync`); a write
// guard when `&mut T` may (`T: Send`) and, since it can downgrade to a reader, `T: Sync`.
// Sharing a guard shares `&T`, which needs `T: Sync`, and an owned guard also shares its `Arc`.

// SAFETY: see above.
unsafe impl<T: ?Sized + Sync> Send for RwLockReadGuard<'_, T> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockReadGuard<'_, T> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockWriteGuard<'_, T> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockWriteGuard<'_, T> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockMappedWriteGuard<'_, T> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockMappedWriteGuard<'_, T> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Sync> Send for OwnedRwLockReadGuard<T, U> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync for OwnedRwLockReadGuard<T, U> {}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Send
    for OwnedRwLockMappedWriteGuard<T, U>
{
}
// SAFETY: see above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync
    for OwnedRwLockMappedWriteGuard<T, U>
{
}

// === impl Held ===

impl<T: ?Sized> Held<T> {
    pub(super) fn new(lock: Arc<RwLock<T>>, permits: u32) -> Held<T> {
        Held { lock, permits }
    }

    fn data(&self) -> *mut T {
        self.lock.data.get()
    }

    /// A writer becomes a reader: keep one permit, give the others back.
    fn keep_one(&mut self) {
        let extra = self.permits - 1;
        self.permits = 1;
        self.lock.semaphore.give_back(extra as usize);
    }
}

impl<T: ?Sized> Drop for Held<T> {
    fn drop(&mut self) {
        self.lock.semaphore.give_back(self.permits as usize);
    }
}

/// A writer's permit becomes a reader's: keep one, give the others back at once.
fn keep_one(mut permit: SemaphorePermit<'_>) -> SemaphorePermit<'_> {
    let extra = permit.num_permits() - 1;
    drop(permit.split(extra));
    permit
}

// === impl RwLockReadGuard ===

impl<'a, T: ?Sized> RwLockReadGuard<'a, T> {
    pub(super) fn new(data: *const T, permit: SemaphorePermit<'a>) -> RwLockReadGuard<'a, T> {
        RwLockReadGuard { data, permit, _shares: PhantomData }
    }

    /// Narrows the guard to a part of the data, keeping the read lock. An associated
    /// function (`RwLockReadGuard::map(guard, ..)`), so that it cannot shadow a method of `T`.
    pub fn map<U: ?Sized>(this: Self, f: impl FnOnce(&T) -> &U) -> RwLockReadGuard<'a, U> {
        // SAFETY: the guard's read permit keeps writers out while the data is borrowed.
        let data: *const U = f(unsafe { &*this.data });
        RwLockReadGuard::new(data, this.permit)
    }

    /// Like [`map`](Self::map), giving the guard back if `f` returns `None`.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&T) -> Option<&U>,
    ) -> Result<RwLockReadGuard<'a, U>, Self> {
        // SAFETY: as in `map`.
        let Some(data) = f(unsafe { &*this.data }) else { return Err(this) };
        let data: *const U = data;
        Ok(RwLockReadGuard::new(data, this.permit))
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a read guard holds one permit, so no writer (which needs all of them) exists.
        unsafe { &*self.data }
    }
}

// === impl RwLockWriteGuard ===

impl<'a, T: ?Sized> RwLockWriteGuard<'a, T> {
    pub(super) fn new(data: *mut T, permit: SemaphorePermit<'a>) -> RwLockWriteGuard<'a, T> {
        RwLockWriteGuard { data, permit, _shares: PhantomData }
    }

    /// Narrows the guard to a part of the data, keeping the write lock.
    pub fn map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> RwLockMappedWriteGuard<'a, U> {
        // SAFETY: a write guard holds every permit, so this is the only reference.
        let data: *mut U = f(unsafe { &mut *this.data });
        RwLockMappedWriteGuard { data, permit: this.permit, _shares: PhantomData }
    }

    /// Like [`map`](Self::map), giving the guard back if `f` returns `None`.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self> {
        // SAFETY: as in `map`.
        let Some(data) = f(unsafe { &mut *this.data }) else { return Err(this) };
        let data: *mut U = data;
        Ok(RwLockMappedWriteGuard { data, permit: this.permit, _shares: PhantomData })
    }

    /// The same write access, as a mapped guard (the whole data).
    pub fn into_mapped(this: Self) -> RwLockMappedWriteGuard<'a, T> {
        RwLockMappedWriteGuard { data: this.data, permit: this.permit, _shares: PhantomData }
    }

    /// Becomes a read guard without letting a writer in between; readers queued behind this
    /// writer get in at once.
    pub fn downgrade(self) -> RwLockReadGuard<'a, T> {
        RwLockReadGuard::new(self.data, keep_one(self.permit))
    }

    /// Narrows to a part of the data and downgrades. `f` runs while the write lock is still
    /// held, so no reader gets in before it returns.
    pub fn downgrade_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&T) -> &U,
    ) -> RwLockReadGuard<'a, U> {
        // SAFETY: the write permits are still held, so no other reference exists.
        let data: *const U = f(unsafe { &*this.data });
        RwLockReadGuard::new(data, keep_one(this.permit))
    }

    /// Like [`downgrade_map`](Self::downgrade_map); if `f` returns `None`, the write guard
    /// comes back, still writing.
    pub fn try_downgrade_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&T) -> Option<&U>,
    ) -> Result<RwLockReadGuard<'a, U>, Self> {
        // SAFETY: as in `downgrade_map`.
        let Some(data) = f(unsafe { &*this.data }) else { return Err(this) };
        let data: *const U = data;
        Ok(RwLockReadGuard::new(data, keep_one(this.permit)))
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &mut *self.data }
    }
}

// === impl RwLockMappedWriteGuard ===

impl<'a, T: ?Sized> RwLockMappedWriteGuard<'a, T> {
    /// Narrows the guard further, keeping the write lock.
    pub fn map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> RwLockMappedWriteGuard<'a, U> {
        // SAFETY: `data` points into the data, and every permit is still held.
        let data: *mut U = f(unsafe { &mut *this.data });
        RwLockMappedWriteGuard { data, permit: this.permit, _shares: PhantomData }
    }

    /// Narrows the guard further if `f` finds the part; gives the guard back otherwise.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self> {
        // SAFETY: as in `map`.
        let Some(data) = f(unsafe { &mut *this.data }) else { return Err(this) };
        let data: *mut U = data;
        Ok(RwLockMappedWriteGuard { data, permit: this.permit, _shares: PhantomData })
    }
}

impl<T: ?Sized> Deref for RwLockMappedWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds every permit, so no other guard exists.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockMappedWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds every permit, so no other guard exists.
        unsafe { &mut *self.data }
    }
}

// === impl OwnedRwLockReadGuard ===

impl<T: ?Sized> OwnedRwLockReadGuard<T> {
    pub(super) fn new(held: Held<T>) -> OwnedRwLockReadGuard<T> {
        let data = held.data();
        OwnedRwLockReadGuard { held, data, _shares: PhantomData }
    }
}

impl<T: ?Sized, U: ?Sized> OwnedRwLockReadGuard<T, U> {
    /// Narrows the guard to a part of the data, keeping the read lock (and the `Arc`).
    pub fn map<V: ?Sized>(this: Self, f: impl FnOnce(&U) -> &V) -> OwnedRwLockReadGuard<T, V> {
        // SAFETY: the guard's read permit keeps writers out while the data is borrowed.
        let data: *const V = f(unsafe { &*this.data });
        OwnedRwLockReadGuard { held: this.held, data, _shares: PhantomData }
    }

    /// Like [`map`](Self::map), giving the guard back if `f` returns `None`.
    pub fn try_map<V: ?Sized>(
        this: Self,
        f: impl FnOnce(&U) -> Option<&V>,
    ) -> Result<OwnedRwLockReadGuard<T, V>, Self> {
        // SAFETY: as in `map`.
        let Some(data) = f(unsafe { &*this.data }) else { return Err(this) };
        let data: *const V = data;
        Ok(OwnedRwLockReadGuard { held: this.held, data, _shares: PhantomData })
    }

    /// The lock this guard reads.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.held.lock
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockReadGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: a read guard holds one permit, so no writer exists.
        unsafe { &*self.data }
    }
}

// === impl OwnedRwLockWriteGuard ===

impl<T: ?Sized> OwnedRwLockWriteGuard<T> {
    pub(super) fn new(held: Held<T>) -> OwnedRwLockWriteGuard<T> {
        OwnedRwLockWriteGuard { held, _shares: PhantomData }
    }

    /// Narrows the guard to a part of the data, keeping the write lock (and the `Arc`).
    pub fn map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> OwnedRwLockMappedWriteGuard<T, U> {
        // SAFETY: a write guard holds every permit, so this is the only reference.
        let data: *mut U = f(unsafe { &mut *this.held.data() });
        OwnedRwLockMappedWriteGuard { held: this.held, data, _shares: PhantomData }
    }

    /// Like [`map`](Self::map), giving the guard back if `f` returns `None`.
    pub fn try_map<U: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, U>, Self> {
        // SAFETY: as in `map`.
        let Some(data) = f(unsafe { &mut *this.held.data() }) else { return Err(this) };
        let data: *mut U = data;
        Ok(OwnedRwLockMappedWriteGuard { held: this.held, data, _shares: PhantomData })
    }

    /// The same write access, as a mapped guard (the whole data).
    pub fn into_mapped(this: Self) -> OwnedRwLockMappedWriteGuard<T> {
        let data = this.held.data();
        OwnedRwLockMappedWriteGuard { held: this.held, data, _shares: PhantomData }
    }

    /// Becomes a read guard without letting a writer in between.
    pub fn downgrade(mut self) -> OwnedRwLockReadGuard<T> {
        self.held.keep_one();
        OwnedRwLockReadGuard::new(self.held)
    }

    /// Narrows to a part of the data and downgrades; `f` runs with the write lock held.
    pub fn downgrade_map<U: ?Sized>(
        mut this: Self,
        f: impl FnOnce(&T) -> &U,
    ) -> OwnedRwLockReadGuard<T, U> {
        // SAFETY: the write permits are still held, so no other reference exists.
        let data: *const U = f(unsafe { &*this.held.data() });
        this.held.keep_one();
        OwnedRwLockReadGuard { held: this.held, data, _shares: PhantomData }
    }

    /// Like [`downgrade_map`](Self::downgrade_map); if `f` returns `None`, the write guard
    /// comes back, still writing.
    pub fn try_downgrade_map<U: ?Sized>(
        mut this: Self,
        f: impl FnOnce(&T) -> Option<&U>,
    ) -> Result<OwnedRwLockReadGuard<T, U>, Self> {
        // SAFETY: as in `downgrade_map`.
        let Some(data) = f(unsafe { &*this.held.data() }) else { return Err(this) };
        let data: *const U = data;
        this.held.keep_one();
        Ok(OwnedRwLockReadGuard { held: this.held, data, _shares: PhantomData })
    }

    /// The lock this guard writes.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.held.lock
    }
}

impl<T: ?Sized> Deref for OwnedRwLockWriteGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &*self.held.data() }
    }
}

impl<T: ?Sized> DerefMut for OwnedRwLockWriteGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &mut *self.held.data() }
    }
}

// === impl OwnedRwLockMappedWriteGuard ===

impl<T: ?Sized, U: ?Sized> OwnedRwLockMappedWriteGuard<T, U> {
    /// Narrows the guard further, keeping the write lock.
    pub fn map<V: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut U) -> &mut V,
    ) -> OwnedRwLockMappedWriteGuard<T, V> {
        // SAFETY: `data` points into the data, and every permit is still held.
        let data: *mut V = f(unsafe { &mut *this.data });
        OwnedRwLockMappedWriteGuard { held: this.held, data, _shares: PhantomData }
    }

    /// Narrows the guard further if `f` finds the part; gives the guard back otherwise.
    pub fn try_map<V: ?Sized>(
        this: Self,
        f: impl FnOnce(&mut U) -> Option<&mut V>,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, V>, Self> {
        // SAFETY: as in `map`.
        let Some(data) = f(unsafe { &mut *this.data }) else { return Err(this) };
        let data: *mut V = data;
        Ok(OwnedRwLockMappedWriteGuard { held: this.held, data, _shares: PhantomData })
    }

    /// The lock this guard writes.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.held.lock
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockMappedWriteGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: the guard holds every permit, so no other guard exists.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedRwLockMappedWriteGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: the guard holds every permit, so no other guard exists.
        unsafe { &mut *self.data }
    }
}

// === impl Debug and Display (`print_as_target!` is in `sync.rs`) ===

print_as_target!(['a, T: ?Sized] RwLockReadGuard<'a, T>);
print_as_target!(['a, T: ?Sized] RwLockWriteGuard<'a, T>);
print_as_target!(['a, T: ?Sized] RwLockMappedWriteGuard<'a, T>);
print_as_target!([T: ?Sized, U: ?Sized] OwnedRwLockReadGuard<T, U>);
print_as_target!([T: ?Sized] OwnedRwLockWriteGuard<T>);
print_as_target!([T: ?Sized, U: ?Sized] OwnedRwLockMappedWriteGuard<T, U>);
