//! `RwLock`: many readers or one writer, which is a `Semaphore` with `max_readers` permits.
//!
//! A reader takes one permit; a writer takes all of them. Because the semaphore is strictly
//! FIFO, a writer that is queued blocks every reader that arrives after it, even while other
//! readers still hold the lock: the writer collects permits as those readers leave, and gets
//! the lock when the last one does. Writers therefore never starve. If the writer gives up
//! (its future is dropped), it gives back what it had collected, and the readers queued behind
//! it are woken. The guards (plain, owned, mapped, and the downgrade from writing to reading)
//! are in `rwlock/guards.rs`.

use std::cell::UnsafeCell;
use std::fmt;
use std::sync::Arc;

use crate::sync::block_on::block_on;
use crate::sync::{Semaphore, SemaphorePermit, TryLockError};

mod guards;

use guards::Held;
pub use guards::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard,
    RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard,
};

/// How many readers may hold the lock at once unless told otherwise; a writer asks for all.
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
    /// How many readers may share the lock; a writer holds this many permits.
    max_readers: u32,
    /// `max_readers` permits: a reader holds one, a writer holds all.
    semaphore: Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: readers on several threads share `&T` (so `T: Sync`), and a writer may be on any
// thread (so `T: Send`); the semaphore keeps readers and writers apart.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}
// SAFETY: sending the lock sends the `T` it owns.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}

impl<T> RwLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> RwLock<T> {
        RwLock::with_max_readers(value, MAX_READS)
    }

    /// An unlocked lock that lets at most `max_reads` readers share it.
    ///
    /// # Panics
    ///
    /// Panics if `max_reads` is 0 or more than `u32::MAX >> 3`.
    #[track_caller]
    pub fn with_max_readers(value: T, max_reads: u32) -> RwLock<T> {
        assert_max_reads(max_reads);
        let semaphore = Semaphore::new(max_reads as usize);
        RwLock { max_readers: max_reads, semaphore, data: UnsafeCell::new(value) }
    }

    /// [`new`](Self::new) in a `const` context (a `static`, say); not under `--cfg loom`.
    #[cfg(not(loom))]
    pub const fn const_new(value: T) -> RwLock<T> {
        RwLock::const_with_max_readers(value, MAX_READS)
    }

    /// [`with_max_readers`](Self::with_max_readers) in a `const` context; not under
    /// `--cfg loom`.
    ///
    /// # Panics
    ///
    /// Panics if `max_reads` is 0 or more than `u32::MAX >> 3`.
    #[cfg(not(loom))]
    pub const fn const_with_max_readers(value: T, max_reads: u32) -> RwLock<T> {
        assert_max_reads(max_reads);
        let semaphore = Semaphore::const_new(max_reads as usize);
        RwLock { max_readers: max_reads, semaphore, data: UnsafeCell::new(value) }
    }

    /// The data, consuming the lock.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

/// The bounds on `max_readers`, with tokio's messages.
#[track_caller]
const fn assert_max_reads(max_reads: u32) {
    assert!(max_reads != 0, "a RwLock may not be created with 0 readers");
    assert!(
        max_reads <= MAX_READS,
        "a RwLock may not be created with more than u32::MAX >> 3 readers"
    );
}

impl<T: ?Sized> RwLock<T> {
    // ANCHOR: read_write
    /// Waits for shared access. Queued behind any writer that asked first.
    ///
    /// Cancel safety: cancel-safe; a dropped `read()` leaves the queue.
    pub async fn read(&self) -> RwLockReadGuard<'_, T> {
        let permit = self.acquire(1).await;
        RwLockReadGuard::new(self.data.get(), permit)
    }

    /// Waits for exclusive access: every permit. While it waits at the head of the queue it
    /// holds the permits it has collected, so readers that come later queue behind it.
    ///
    /// Cancel safety: cancel-safe; a dropped `write()` gives back what it had collected and
    /// wakes the readers queued behind it.
    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        let permit = self.acquire(self.max_readers).await;
        RwLockWriteGuard::new(self.data.get(), permit)
    }
    // ANCHOR_END: read_write

    /// [`read`](Self::read) from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime, which blocking would stall.
    #[track_caller]
    pub fn blocking_read(&self) -> RwLockReadGuard<'_, T> {
        block_on(self.read())
    }

    /// [`write`](Self::write) from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime.
    #[track_caller]
    pub fn blocking_write(&self) -> RwLockWriteGuard<'_, T> {
        block_on(self.write())
    }

    /// Waits for shared access through an `Arc`; cancel-safe, as [`read`](Self::read).
    pub async fn read_owned(self: Arc<Self>) -> OwnedRwLockReadGuard<T> {
        self.acquire(1).await.forget();
        OwnedRwLockReadGuard::new(Held::new(self, 1))
    }

    /// Waits for exclusive access through an `Arc`; cancel-safe, as [`write`](Self::write).
    pub async fn write_owned(self: Arc<Self>) -> OwnedRwLockWriteGuard<T> {
        let max_readers = self.max_readers;
        self.acquire(max_readers).await.forget();
        OwnedRwLockWriteGuard::new(Held::new(self, max_readers))
    }

    /// Takes shared access if no writer holds or waits for the lock.
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        let permit = self.try_acquire(1)?;
        Ok(RwLockReadGuard::new(self.data.get(), permit))
    }

    /// Takes exclusive access if nobody holds or waits for the lock.
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        let permit = self.try_acquire(self.max_readers)?;
        Ok(RwLockWriteGuard::new(self.data.get(), permit))
    }

    /// Takes shared access through an `Arc` if no writer holds or waits for the lock.
    pub fn try_read_owned(self: Arc<Self>) -> Result<OwnedRwLockReadGuard<T>, TryLockError> {
        self.try_acquire(1)?.forget();
        Ok(OwnedRwLockReadGuard::new(Held::new(self, 1)))
    }

    /// Takes exclusive access through an `Arc` if nobody holds or waits for the lock.
    pub fn try_write_owned(self: Arc<Self>) -> Result<OwnedRwLockWriteGuard<T>, TryLockError> {
        let max_readers = self.max_readers;
        self.try_acquire(max_readers)?.forget();
        Ok(OwnedRwLockWriteGuard::new(Held::new(self, max_readers)))
    }

    /// The data, through a unique borrow: no locking needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    async fn acquire(&self, permits: u32) -> SemaphorePermit<'_> {
        let permit = self.semaphore.acquire_many(permits).await;
        permit.expect("an RwLock's semaphore is never closed")
    }

    fn try_acquire(&self, permits: u32) -> Result<SemaphorePermit<'_>, TryLockError> {
        self.semaphore.try_acquire_many(permits).map_err(|_| TryLockError(()))
    }
}

// === impl Debug, Default, From ===

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    /// Prints as tokio's does, `RwLock { data: .. }`, or `<locked>` while a writer holds it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("RwLock");
        match self.try_read() {
            Ok(guard) => debug.field("data", &&*guard),
            Err(_) => debug.field("data", &format_args!("<locked>")),
        };
        debug.finish()
    }
}

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
