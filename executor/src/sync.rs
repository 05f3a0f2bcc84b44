//! Synchronization between tasks: channels, locks, a semaphore, `Notify`, and cells set once.
//!
//! Every primitive here is one idea repeated: a future that cannot finish yet puts its
//! `Waker` in a list (`waiters.rs`) next to the primitive's state, and whoever changes that
//! state wakes the right entries. They use nothing but `std::task::Waker`, so they work under
//! any executor, and their state sits behind a `std::sync::Mutex`, so they work across threads.
//!
//! Reading order: `waiters.rs` (the pattern), `notify.rs` (the pattern bare), `semaphore.rs`
//! (the pattern with a count), `mutex.rs` and `rwlock.rs` (a semaphore and a cell),
//! `oneshot.rs`, `mpsc.rs`, `watch.rs`, `broadcast.rs`, then `barrier.rs`, `once_cell.rs` and
//! `set_once.rs` (small compositions of the above), and `block_on.rs` (how the `blocking_*`
//! methods wait on a plain thread).
//!
//! The names, errors and documented behaviour follow `tokio::sync`.

/// Implements `Debug` and `Display` for a lock guard by printing the value it guards, as tokio's
/// guards do, so the same `{:?}` gives the same text on both runtimes.
macro_rules! print_as_target {
    ([$($generics:tt)*] $guard:ty) => {
        impl<$($generics)*> std::fmt::Debug for $guard
        where
            <$guard as std::ops::Deref>::Target: std::fmt::Debug,
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&**self, f)
            }
        }

        impl<$($generics)*> std::fmt::Display for $guard
        where
            <$guard as std::ops::Deref>::Target: std::fmt::Display,
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&**self, f)
            }
        }
    };
}

mod barrier;
mod block_on;
pub mod broadcast;
pub mod mpsc;
mod mutex;
mod notify;
mod once_cell;
pub mod oneshot;
mod rwlock;
mod semaphore;
mod set_once;
mod waiters;
pub mod watch;

#[cfg(all(test, loom))]
mod loom_tests;

pub use barrier::{Barrier, BarrierWaitResult};
pub use mutex::{
    MappedMutexGuard, Mutex, MutexGuard, OwnedMappedMutexGuard, OwnedMutexGuard, TryLockError,
};
pub use notify::{Notified, Notify, OwnedNotified};
pub use once_cell::{OnceCell, SetError};
pub use rwlock::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock,
    RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard,
};
pub use semaphore::{
    AcquireError, OwnedSemaphorePermit, Semaphore, SemaphorePermit, TryAcquireError,
};
pub use set_once::{SetOnce, SetOnceError};
