//! `Mutex`: an async lock, which is a `Semaphore` with one permit and a cell.
//!
//! Waiting for the lock is waiting for the one permit, so the mutex inherits the semaphore's
//! strict FIFO order and its cancellation rule: a `lock()` future that is dropped leaves the
//! queue, and if the lock had already been handed to it, passes it on. The only new idea here
//! is the guard, which turns "holds the permit" into "may touch the data"; the guards, mapped
//! and owned, are in `mutex/guards.rs`.

use std::cell::UnsafeCell;
use std::fmt;
use std::sync::Arc;

use crate::sync::Semaphore;
use crate::sync::block_on::block_on;

mod guards;

use guards::Locked;
pub use guards::{MappedMutexGuard, MutexGuard, OwnedMappedMutexGuard, OwnedMutexGuard};

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

/// `try_lock` found the mutex locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryLockError(pub(crate) ());

impl<T> Mutex<T> {
    /// An unlocked mutex holding `value`.
    pub fn new(value: T) -> Mutex<T> {
        Mutex { semaphore: Semaphore::new(1), data: UnsafeCell::new(value) }
    }

    /// An unlocked mutex holding `value`, in a `const` context (a `static`, say).
    ///
    /// Not available under `--cfg loom`, whose mutex cannot be built in a `const`.
    #[cfg(not(loom))]
    pub const fn const_new(value: T) -> Mutex<T> {
        Mutex { semaphore: Semaphore::const_new(1), data: UnsafeCell::new(value) }
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
        MutexGuard::new(self, permit.expect("a Mutex's semaphore is never closed"))
    }

    /// Waits for the lock from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime, which blocking would stall.
    #[track_caller]
    pub fn blocking_lock(&self) -> MutexGuard<'_, T> {
        block_on(self.lock())
    }

    /// Waits for the lock and returns a guard that owns an `Arc` of the mutex.
    ///
    /// Cancel safety: cancel-safe, as [`lock`](Self::lock).
    pub async fn lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        let permit = self.semaphore.acquire().await;
        permit.expect("a Mutex's semaphore is never closed").forget();
        OwnedMutexGuard::new(Locked::new(self))
    }

    /// [`lock_owned`](Self::lock_owned) from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime.
    #[track_caller]
    pub fn blocking_lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        block_on(self.lock_owned())
    }

    /// Takes the lock if it is free and nobody is queued for it.
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        let permit = self.semaphore.try_acquire().map_err(|_| TryLockError(()))?;
        Ok(MutexGuard::new(self, permit))
    }

    /// Takes the lock of an `Arc<Mutex>` if it is free and nobody is queued for it.
    pub fn try_lock_owned(self: Arc<Self>) -> Result<OwnedMutexGuard<T>, TryLockError> {
        let permit = self.semaphore.try_acquire().map_err(|_| TryLockError(()))?;
        permit.forget();
        Ok(OwnedMutexGuard::new(Locked::new(self)))
    }

    /// The data, through a unique borrow: no locking needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }
}

// === impl Debug, Display, Default, From ===

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    /// Prints as tokio's does, `Mutex { data: .. }`, or `<locked>` while a guard is alive.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Mutex");
        match self.try_lock() {
            Ok(guard) => debug.field("data", &&*guard),
            Err(_) => debug.field("data", &format_args!("<locked>")),
        };
        debug.finish()
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
