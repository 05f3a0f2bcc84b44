//! `Mutex`: an async lock, which is a `Semaphore` with one permit and a cell.
//!
//! Waiting for the lock is waiting for the one permit, so the mutex inherits the semaphore's
//! strict FIFO order and its cancellation rule: a `lock()` future that is dropped leaves the
//! queue, and if the lock had already been handed to it, passes it on. The only new idea here
//! is the guard, which turns "holds the permit" into "may touch the data".

use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::sync::Semaphore;

/// An async mutual-exclusion lock with fair, first-come first-served hand-off.
///
/// Unlike `std::sync::Mutex`, its guard may be held across `.await`, and waiting for it yields
/// to other tasks instead of blocking the thread.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let counter = clockwork::sync::Mutex::new(0);
/// *counter.lock().await += 1;
/// assert_eq!(*counter.lock().await, 1);
/// # });
/// ```
pub struct Mutex<T: ?Sized> {
    /// One permit: whoever holds it holds the lock.
    semaphore: Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex hands out `&mut T` to one guard at a time (the semaphore has one permit),
// so sharing the mutex across threads only ever moves access to `T` between threads: `T: Send`.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}
// SAFETY: sending the mutex sends the `T` it owns.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}

/// Exclusive access to a [`Mutex`]'s data; unlocks when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    /// Makes the guard `Sync` only when `T` is: sharing the guard shares `&T`.
    _shares: PhantomData<&'a mut T>,
}

/// Exclusive access to the data of an `Arc<Mutex>`; `'static`, so a task can own it.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedMutexGuard<T: ?Sized> {
    mutex: Arc<Mutex<T>>,
    /// Makes the guard `Sync` only when `T` is: sharing the guard shares `&T`.
    _shares: PhantomData<Box<T>>,
}

/// `try_lock` found the mutex locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryLockError(pub(crate) ());

impl<T> Mutex<T> {
    /// An unlocked mutex holding `value`.
    pub fn new(value: T) -> Mutex<T> {
        Mutex { semaphore: Semaphore::new(1), data: UnsafeCell::new(value) }
    }

    /// The data, consuming the mutex.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Waits for the lock. Waiters get it in the order they started waiting.
    ///
    /// Cancel safety: cancel-safe. A dropped `lock()` future leaves the queue; if the lock had
    /// just been handed to it, it goes to the next waiter, so the mutex never wedges.
    pub async fn lock(&self) -> MutexGuard<'_, T> {
        let permit = self.semaphore.acquire().await;
        permit.expect("a Mutex's semaphore is never closed").forget();
        MutexGuard { mutex: self, _shares: PhantomData }
    }

    /// Waits for the lock and returns a guard that owns an `Arc` of the mutex.
    ///
    /// Cancel safety: cancel-safe, as [`lock`](Self::lock).
    pub async fn lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        let permit = self.semaphore.acquire().await;
        permit.expect("a Mutex's semaphore is never closed").forget();
        OwnedMutexGuard { mutex: self, _shares: PhantomData }
    }

    /// Takes the lock if it is free and nobody is queued for it.
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        let permit = self.semaphore.try_acquire().map_err(|_| TryLockError(()))?;
        permit.forget();
        Ok(MutexGuard { mutex: self, _shares: PhantomData })
    }

    /// Takes the lock of an `Arc<Mutex>` if it is free and nobody is queued for it.
    pub fn try_lock_owned(self: Arc<Self>) -> Result<OwnedMutexGuard<T>, TryLockError> {
        let permit = self.semaphore.try_acquire().map_err(|_| TryLockError(()))?;
        permit.forget();
        Ok(OwnedMutexGuard { mutex: self, _shares: PhantomData })
    }

    /// The data, through a unique borrow: no locking needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// Gives the permit back; called once by each guard's `drop`.
    fn unlock(&self) {
        self.semaphore.give_back(1);
    }
}

// === impl MutexGuard ===

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

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

// === impl OwnedMutexGuard ===

impl<T: ?Sized> OwnedMutexGuard<T> {
    /// The mutex this guard locks.
    pub fn mutex(&self) -> &Arc<Mutex<T>> {
        &self.mutex
    }
}

impl<T: ?Sized> Deref for OwnedMutexGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard holds the mutex's only permit (see `MutexGuard::deref`).
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T: ?Sized> DerefMut for OwnedMutexGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard holds the mutex's only permit (see `MutexGuard::deref`).
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T: ?Sized> Drop for OwnedMutexGuard<T> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

// === impl Debug, Display, Default, From ===

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Mutex");
        match self.try_lock() {
            Ok(guard) => debug.field("data", &&*guard),
            Err(_) => debug.field("data", &format_args!("<locked>")),
        };
        debug.field("semaphore", &self.semaphore).finish()
    }
}

// A guard prints as the value it guards, as tokio's guards do, so the same `{:?}` gives the
// same text on both runtimes.

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(value: T) -> Mutex<T> {
        Mutex::new(value)
    }
}

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("operation would block")
    }
}

impl std::error::Error for TryLockError {}
