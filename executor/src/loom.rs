//! The one place `clockwork::sync` (and the task state word) gets its `Arc`, `Mutex`, atomics
//! and `UnsafeCell` from: std normally, loom when compiled with `--cfg loom`.
//!
//! Why: loom explores every interleaving of threads, but only for the operations it can see.
//! Routing the channels' shared state through this shim lets the same source run under
//! `loom::model` (see `sync/loom_tests.rs`) without a line of it changing.

#[cfg(not(loom))]
pub(crate) mod sync {
    pub(crate) use std::sync::{Arc, Mutex, MutexGuard, atomic};
}

#[cfg(loom)]
pub(crate) mod sync {
    pub(crate) use loom::sync::{Arc, Mutex, MutexGuard, atomic};
}

/// `UnsafeCell`, for the few lock-free structures (`sync/oneshot.rs`): under loom, its
/// `UnsafeCell`, which checks that no access races another; normally, std's, behind the same
/// closure-based API so that one source serves both.
#[cfg(not(loom))]
pub(crate) mod cell {
    /// std's `UnsafeCell`, reached through loom's `with` and `with_mut`.
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> UnsafeCell<T> {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }

        /// Runs `f` with a pointer for reading.
        #[inline(always)]
        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Runs `f` with a pointer for writing.
        #[inline(always)]
        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

#[cfg(loom)]
pub(crate) mod cell {
    pub(crate) use loom::cell::UnsafeCell;
}

/// Locks `mutex`, ignoring poisoning.
///
/// The state behind these locks is only changed by this crate's own short critical sections,
/// which never run user code that could panic half-way, so a poisoned lock still holds a
/// consistent state.
pub(crate) fn lock<T>(mutex: &sync::Mutex<T>) -> sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
