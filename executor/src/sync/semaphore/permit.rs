//! The permits a `Semaphore` hands out: proof of holding some of its count.
//!
//! A permit remembers its semaphore and how many permits it stands for, and gives them back
//! when dropped. It can be split in two or merged with another from the same semaphore, so
//! a task can hand part of what it holds to another, or release a batch at once.

use std::fmt;
use std::sync::Arc;

use crate::sync::Semaphore;

/// Permits borrowed from a `Semaphore`, given back on drop.
#[must_use = "the permits are given back as soon as this is dropped"]
pub struct SemaphorePermit<'a> {
    pub(super) semaphore: &'a Semaphore,
    pub(super) permits: usize,
}

/// Permits from an `Arc<Semaphore>`, given back on drop; `'static`, so a task can own it.
#[must_use = "the permits are given back as soon as this is dropped"]
pub struct OwnedSemaphorePermit {
    pub(super) semaphore: Arc<Semaphore>,
    pub(super) permits: usize,
}

impl<'a> SemaphorePermit<'a> {
    /// Keeps the permits out of the semaphore for good.
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// Takes over `other`'s permits: both are given back together when `self` drops.
    ///
    /// # Panics
    ///
    /// Panics if `other` comes from a different semaphore.
    #[track_caller]
    pub fn merge(&mut self, mut other: SemaphorePermit<'a>) {
        assert!(
            std::ptr::eq(self.semaphore, other.semaphore),
            "merging permits from different semaphore instances"
        );
        self.permits = add_permits(self.permits, std::mem::take(&mut other.permits));
    }

    /// Moves `n` of these permits into a new permit; `None` if this one holds fewer than `n`.
    pub fn split(&mut self, n: usize) -> Option<SemaphorePermit<'a>> {
        self.permits = self.permits.checked_sub(n)?;
        Some(SemaphorePermit { semaphore: self.semaphore, permits: n })
    }

    /// The semaphore these permits came from.
    pub fn semaphore(&self) -> &'a Semaphore {
        self.semaphore
    }

    /// How many permits this holds.
    pub fn num_permits(&self) -> usize {
        self.permits
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.semaphore.give_back(self.permits);
    }
}

impl OwnedSemaphorePermit {
    /// Keeps the permits out of the semaphore for good.
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// Takes over `other`'s permits: both are given back together when `self` drops.
    ///
    /// # Panics
    ///
    /// Panics if `other` comes from a different semaphore.
    #[track_caller]
    pub fn merge(&mut self, mut other: OwnedSemaphorePermit) {
        assert!(
            Arc::ptr_eq(&self.semaphore, &other.semaphore),
            "merging permits from different semaphore instances"
        );
        self.permits = add_permits(self.permits, std::mem::take(&mut other.permits));
    }

    /// Moves `n` of these permits into a new permit; `None` if this one holds fewer than `n`.
    pub fn split(&mut self, n: usize) -> Option<OwnedSemaphorePermit> {
        self.permits = self.permits.checked_sub(n)?;
        Some(OwnedSemaphorePermit { semaphore: self.semaphore.clone(), permits: n })
    }

    /// The semaphore these permits came from.
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.semaphore
    }

    /// How many permits this holds.
    pub fn num_permits(&self) -> usize {
        self.permits
    }
}

impl Drop for OwnedSemaphorePermit {
    fn drop(&mut self) {
        self.semaphore.give_back(self.permits);
    }
}

/// The sum of two permits' counts; both came from one semaphore, so it cannot overflow unless
/// the semaphore's own bookkeeping is wrong.
#[track_caller]
fn add_permits(held: usize, more: usize) -> usize {
    held.checked_add(more).expect("number of permits overflowed")
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").field("permits", &self.permits).finish()
    }
}

impl fmt::Debug for OwnedSemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedSemaphorePermit").field("permits", &self.permits).finish()
    }
}
