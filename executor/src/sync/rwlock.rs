//! `RwLock`: many readers or one writer, which is a `Semaphore` with `MAX_READS` permits.
//!
//! A reader takes one permit; a writer takes all of them. Because the semaphore is strictly
//! FIFO, a writer that is queued blocks every reader that arrives after it, even while other
//! readers still hold the lock: the writer collects permits as those readers leave, and gets
//! the lock when the last one does. Writers therefore never starve. If the writer gives up
//! (its future is dropped), it gives back what it had collected, and the readers queued behind
//! it are woken.

use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::sync::{Semaphore, TryLockError};

/// How many readers may hold the lock at once; a writer asks for all of them.
const MAX_READS: u32 = u32::MAX >> 3;

/// An async reader-writer lock with FIFO fairness, as `tokio::sync::RwLock`.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let lock = clockwork::sync::RwLock::new(5);
/// {
///     let first = lock.read().await;
///     let second = lock.read().await; // readers share
///     assert_eq!(*first + *second, 10);
/// }
/// *lock.write().await += 1;
/// assert_eq!(*lock.read().await, 6);
/// # });
/// ```
pub struct RwLock<T: ?Sized> {
    /// `MAX_READS` permits: a reader holds one, a writer holds all.
    semaphore: Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: readers on several threads share `&T` (so `T: Sync`), and a writer may be on any
// thread (so `T: Send`); the semaphore keeps readers and writers apart.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}
// SAFETY: sending the lock sends the `T` it owns.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}

/// Shared access to an [`RwLock`]'s data; releases its read permit when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    _shares: PhantomData<&'a T>,
}

/// Exclusive access to an [`RwLock`]'s data; releases every permit when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    _shares: PhantomData<&'a mut T>,
}

/// Shared access to the data of an `Arc<RwLock>`; `'static`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedRwLockReadGuard<T: ?Sized> {
    lock: Arc<RwLock<T>>,
    _shares: PhantomData<Arc<T>>,
}

/// Exclusive access to the data of an `Arc<RwLock>`; `'static`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedRwLockWriteGuard<T: ?Sized> {
    lock: Arc<RwLock<T>>,
    _shares: PhantomData<Box<T>>,
}

impl<T> RwLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> RwLock<T> {
        RwLock { semaphore: Semaphore::new(MAX_READS as usize), data: UnsafeCell::new(value) }
    }

    /// The data, consuming the lock.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> RwLock<T> {
    // ANCHOR: read_write
    /// Waits for shared access. Queued behind any writer that asked first.
    ///
    /// Cancel safety: cancel-safe; a dropped `read()` leaves the queue.
    pub async fn read(&self) -> RwLockReadGuard<'_, T> {
        self.acquire(1).await;
        RwLockReadGuard { lock: self, _shares: PhantomData }
    }

    /// Waits for exclusive access: every permit. While it waits at the head of the queue it
    /// holds the permits it has collected, so readers that come later queue behind it.
    ///
    /// Cancel safety: cancel-safe; a dropped `write()` gives back what it had collected and
    /// wakes the readers queued behind it.
    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        self.acquire(MAX_READS).await;
        RwLockWriteGuard { lock: self, _shares: PhantomData }
    }
    // ANCHOR_END: read_write

    /// Waits for shared access through an `Arc`; cancel-safe, as [`read`](Self::read).
    pub async fn read_owned(self: Arc<Self>) -> OwnedRwLockReadGuard<T> {
        self.acquire(1).await;
        OwnedRwLockReadGuard { lock: self, _shares: PhantomData }
    }

    /// Waits for exclusive access through an `Arc`; cancel-safe, as [`write`](Self::write).
    pub async fn write_owned(self: Arc<Self>) -> OwnedRwLockWriteGuard<T> {
        self.acquire(MAX_READS).await;
        OwnedRwLockWriteGuard { lock: self, _shares: PhantomData }
    }

    /// Takes shared access if no writer holds or waits for the lock.
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        self.try_acquire(1)?;
        Ok(RwLockReadGuard { lock: self, _shares: PhantomData })
    }

    /// Takes exclusive access if nobody holds or waits for the lock.
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        self.try_acquire(MAX_READS)?;
        Ok(RwLockWriteGuard { lock: self, _shares: PhantomData })
    }

    /// Takes shared access through an `Arc` if no writer holds or waits for the lock.
    pub fn try_read_owned(self: Arc<Self>) -> Result<OwnedRwLockReadGuard<T>, TryLockError> {
        self.try_acquire(1)?;
        Ok(OwnedRwLockReadGuard { lock: self, _shares: PhantomData })
    }

    /// Takes exclusive access through an `Arc` if nobody holds or waits for the lock.
    pub fn try_write_owned(self: Arc<Self>) -> Result<OwnedRwLockWriteGuard<T>, TryLockError> {
        self.try_acquire(MAX_READS)?;
        Ok(OwnedRwLockWriteGuard { lock: self, _shares: PhantomData })
    }

    /// The data, through a unique borrow: no locking needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    async fn acquire(&self, permits: u32) {
        let permit = self.semaphore.acquire_many(permits).await;
        permit.expect("an RwLock's semaphore is never closed").forget();
    }

    fn try_acquire(&self, permits: u32) -> Result<(), TryLockError> {
        let permit = self.semaphore.try_acquire_many(permits).map_err(|_| TryLockError(()))?;
        permit.forget();
        Ok(())
    }

    fn release(&self, permits: u32) {
        self.semaphore.give_back(permits as usize);
    }
}

// === impl the guards ===

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a read guard holds one permit, so no writer (which needs all of them) exists.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.release(1);
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.release(MAX_READS);
    }
}

impl<T: ?Sized> Deref for OwnedRwLockReadGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a read guard holds one permit, so no writer exists.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for OwnedRwLockReadGuard<T> {
    fn drop(&mut self) {
        self.lock.release(1);
    }
}

impl<T: ?Sized> Deref for OwnedRwLockWriteGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for OwnedRwLockWriteGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: a write guard holds every permit, so no other guard exists.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for OwnedRwLockWriteGuard<T> {
    fn drop(&mut self) {
        self.lock.release(MAX_READS);
    }
}

// === impl Debug, Default, From ===

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("RwLock");
        match self.try_read() {
            Ok(guard) => debug.field("data", &&*guard),
            Err(_) => debug.field("data", &format_args!("<locked>")),
        };
        let free = self.semaphore.available_permits();
        debug.field("free_read_permits", &free).finish()
    }
}

/// A guard prints as the value it guards, as tokio's guards do.
macro_rules! debug_guard {
    ($name:ident $(<$lt:lifetime>)?) => {
        impl<$($lt,)? T: ?Sized + fmt::Debug> fmt::Debug for $name<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&**self, f)
            }
        }

        impl<$($lt,)? T: ?Sized + fmt::Display> fmt::Display for $name<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&**self, f)
            }
        }
    };
}

debug_guard!(RwLockReadGuard<'a>);
debug_guard!(RwLockWriteGuard<'a>);
debug_guard!(OwnedRwLockReadGuard);
debug_guard!(OwnedRwLockWriteGuard);

impl<T: Default> Default for RwLock<T> {
    fn default() -> RwLock<T> {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    fn from(value: T) -> RwLock<T> {
        RwLock::new(value)
    }
}
