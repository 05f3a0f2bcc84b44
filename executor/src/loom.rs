//! The one place `clockwork::sync` gets its `Arc` and `Mutex` from: std normally, loom when
//! compiled with `--cfg loom`.
//!
//! Why: loom explores every interleaving of threads, but only for the operations it can see.
//! Routing the channels' shared state through this shim lets the same source run under
//! `loom::model` (see `sync/loom_tests.rs`) without a line of it changing.

#[cfg(not(loom))]
pub(crate) mod sync {
    pub(crate) use std::sync::{Arc, Mutex, MutexGuard};
}

#[cfg(loom)]
pub(crate) mod sync {
    pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};
}

/// Locks `mutex`, ignoring poisoning.
///
/// The state behind these locks is only changed by this crate's own short critical sections,
/// which never run user code that could panic half-way, so a poisoned lock still holds a
/// consistent state.
pub(crate) fn lock<T>(mutex: &sync::Mutex<T>) -> sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
