//! Tasks: spawning futures, waiting for them, and cancelling them.
//!
//! A *task* is a future that the runtime owns and polls on its own, next to the future given
//! to `block_on`. [`spawn`] hands a future to the runtime and returns a [`JoinHandle`], itself a
//! future that resolves to the task's output (or a [`JoinError`] if it panicked or was aborted).
//!
//! Reading order: `state.rs` (the lifecycle, with its diagram), `raw.rs` (one task in memory),
//! `waker.rs` (what a `Waker` of a task is), `join.rs` and `error.rs` (the handle and its error),
//! `stats.rs` (what the runtime notes about a task), `yield_now.rs`, `builder.rs` (names),
//! `blocking.rs` ([`spawn_blocking`] and its thread pool), `join_set.rs`.
//!
//! Those first four files are the *task cell*: they know nothing of the runtime or its tracer,
//! and reach the runtime only through the `Schedule` trait of `raw.rs`. The functions of this
//! file ([`spawn`] and friends) are the other way round: they find the running runtime and hand
//! it the future.
//!
//! [`spawn_blocking`]: fn@crate::task::spawn_blocking
//! [`spawn`]: fn@crate::task::spawn

mod blocking;
mod builder;
pub mod coop;
mod error;
mod join;
mod join_set;
pub(crate) mod raw;
pub(crate) mod state;
pub(crate) mod stats;
mod waker;
mod yield_now;

use std::fmt;
use std::future::Future;
use std::num::NonZeroU64;
use std::panic::Location;
use std::sync::atomic::{AtomicU64, Ordering};

pub use blocking::spawn_blocking;
pub use builder::Builder;
pub use error::JoinError;
pub use join::{AbortHandle, JoinHandle};
pub use join_set::JoinSet;
pub use yield_now::yield_now;

use crate::runtime::context;

/// Spawns a future as a new task on the current runtime.
///
/// The task starts running at the runtime's next turn, whether or not the [`JoinHandle`] is
/// awaited. Dropping the handle *detaches* the task: it keeps running, and its output is dropped.
///
/// # Panics
///
/// Panics when called outside a Clockwork runtime (outside [`Runtime::block_on`] or
/// `#[clockwork::main]`). From another thread, use [`runtime::Handle::spawn`].
///
/// [`Runtime::block_on`]: crate::runtime::Runtime::block_on
/// [`runtime::Handle::spawn`]: crate::runtime::Handle::spawn
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let meta = Meta::new(None, Location::caller());
    context::expect_core("spawn", |core| core.spawn(future, meta, true))
}

/// Spawns a future that is not `Send` on the current runtime.
///
/// Tokio needs a `LocalSet` for this; Clockwork's runtime is single-threaded, so any of its tasks
/// may hold `Rc`s and `RefCell`s across `.await`.
///
/// # Panics
///
/// Panics when called outside a Clockwork runtime.
#[track_caller]
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let meta = Meta::new(None, Location::caller());
    context::expect_core("spawn_local", |core| core.spawn(future, meta, false))
}

/// The id of the task being polled right now.
///
/// # Panics
///
/// Panics when called outside a task (for example from the `block_on` future).
pub fn id() -> Id {
    try_id().expect("task::id() called outside a task; use task::try_id() to check")
}

/// The id of the task being polled right now, or `None` outside a task.
pub fn try_id() -> Option<Id> {
    context::with_core(|core| core.current_task()).flatten()
}

/// A task's id: unique among all tasks of the process, never reused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(NonZeroU64);

impl Id {
    fn next() -> Id {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        Id(NonZeroU64::new(id).expect("task ids start at 1 and do not wrap in practice"))
    }

    /// The id for a number, if it is one an id can have.
    pub(crate) fn from_u64(id: u64) -> Option<Id> {
        NonZeroU64::new(id).map(Id)
    }

    /// The id as a number.
    pub fn as_u64(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task#{}", self.0)
    }
}

/// What a task is called and where it came from, for the tools that show tasks.
#[derive(Debug)]
pub(crate) struct Meta {
    pub(crate) id: Id,
    /// Boxed twice, so that an unnamed task (most of them) pays for a thin pointer (8 bytes)
    /// instead of a `&str`'s two words.
    name: Option<Box<Box<str>>>,
    pub(crate) location: &'static Location<'static>,
}

impl Meta {
    pub(crate) fn new(name: Option<&str>, location: &'static Location<'static>) -> Meta {
        Meta { id: Id::next(), name: name.map(|name| Box::new(Box::from(name))), location }
    }

    /// The name given with `task::Builder::name`, if any.
    pub(crate) fn name(&self) -> Option<&str> {
        self.name.as_deref().map(|name| &**name)
    }
}
