//! Synchronization between tasks: channels, locks, a semaphore and `Notify`.
//!
//! Every primitive here is one idea repeated: a future that cannot finish yet puts its
//! `Waker` in a list (`waiters.rs`) next to the primitive's state, and whoever changes that
//! state wakes the right entries. They use nothing but `std::task::Waker`, so they work under
//! any executor, and their state sits behind a `std::sync::Mutex`, so they work across threads.
//!
//! Reading order: `waiters.rs` (the pattern), `notify.rs` (the pattern bare), `semaphore.rs`
//! (the pattern with a count), `mutex.rs` and `rwlock.rs` (a semaphore and a cell),
//! `oneshot.rs`, `mpsc.rs`, `watch.rs`, `broadcast.rs`.
//!
//! The names, errors and documented behaviour follow `tokio::sync`.

mod block_on;
pub mod broadcast;
pub mod mpsc;
mod mutex;
mod notify;
pub mod oneshot;
mod rwlock;
mod semaphore;
mod waiters;
pub mod watch;

#[cfg(all(test, loom))]
mod loom_tests;

pub use mutex::{Mutex, MutexGuard, OwnedMutexGuard, TryLockError};
pub use notify::{Notified, Notify};
pub use rwlock::{
    OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
};
pub use semaphore::{
    AcquireError, OwnedSemaphorePermit, Semaphore, SemaphorePermit, TryAcquireError,
};
