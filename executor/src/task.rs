//! Tasks: spawning futures, waiting for them, and cancelling them.
//!
//! A *task* is a future that the runtime owns and polls on its own, next to the future given
//! to `block_on`. [`spawn`] hands a future to the runtime and returns a [`JoinHandle`], itself a
//! future that resolves to the task's output (or a [`JoinError`] if it panicked or was aborted).
//!
//! Reading order: `state.rs` (the lifecycle, with its diagram), `raw.rs` (one task in memory),
//! `waker.rs` (what a `Waker` of a task is), `join.rs` and `error.rs` (the handle and its error),
//! `stats.rs` (what the runtime notes about a task), `yield_now.rs`, `builder.rs` (names),
//! `blocking.rs` ([`spawn_blocking`], [`block_in_place`] and the thread pool), `join_set.rs`,
//! `local_set.rs` ([`LocalSet`], a second scheduler for the same task cells) and
//! `task_local.rs` (values that belong to a future).
//!
//! Those first four files are the *task cell*: they know nothing of the runtime or its tracer,
//! and reach the runtime only through the `Schedule` trait of `raw.rs`. The functions of this
//! file ([`spawn`] and friends) are the other way round: they find the running runtime and hand
//! it the future.
//!
//! [`spawn_blocking`]: fn@crate::task::spawn_blocking
//! [`spawn`]: fn@crate::task::spawn

pub(crate) mod blocking;
mod builder;
pub mod coop;
mod error;
mod join;
mod join_set;
pub(crate) mod local_set;
pub(crate) mod raw;
pub(crate) mod state;
pub(crate) mod stats;
mod task_local;
mod waker;
mod yield_now;

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::num::NonZeroU64;
use std::panic::Location;
use std::sync::atomic::{AtomicU64, Ordering};

pub use blocking::{block_in_place, spawn_blocking};
pub use builder::Builder;
/// Tokio names these at `task::` too.
pub use coop::{Unconstrained, consume_budget, unconstrained};
pub use error::JoinError;
pub use join::{AbortHandle, JoinHandle};
pub use join_set::JoinSet;
pub use local_set::{LocalEnterGuard, LocalSet};
pub use task_local::{AccessError, LocalKey};
pub use yield_now::yield_now;

/// The futures of the task API that have names, as `tokio::task::futures`.
pub mod futures {
    pub use super::task_local::TaskLocalFuture;
}

use crate::runtime::context::{self, Entered};

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
    spawn_send(future, Meta::new(None, Location::caller()), "spawn")
}

/// Spawns a `Send` future on the current runtime: filed in its table when it is this thread's,
/// sent through its cross-thread queue when it was entered from another thread.
#[track_caller]
pub(crate) fn spawn_send<F>(future: F, meta: Meta, what: &str) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match context::current() {
        Some(Entered::Core(core)) => core.spawn(future, meta, true),
        Some(Entered::Remote(handle)) => handle.shared.spawn_remote(future, meta),
        None => context::panic_outside(what),
    }
}

/// Spawns a future that is not `Send`: into the current [`LocalSet`] if there is one, on the
/// current runtime otherwise.
///
/// Tokio needs a `LocalSet` (or a `LocalRuntime`) for this, and panics without one; Clockwork's
/// runtimes are single-threaded, so any of their tasks may hold `Rc`s and `RefCell`s across
/// `.await`, and `spawn_local` works anywhere inside one.
///
/// # Panics
///
/// Panics outside a `LocalSet` and a runtime, with tokio's message; and on a thread that only
/// entered another thread's runtime (with `Handle::enter`), whose tasks cannot come here.
#[track_caller]
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    spawn_local_with(future, Meta::new(None, Location::caller()))
}

/// [`spawn_local`] with the task's name and location given.
#[track_caller]
pub(crate) fn spawn_local_with<F>(future: F, meta: Meta) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let (future, meta) = match local_set::spawn_in_current(future, meta) {
        Ok(handle) => return handle,
        Err(unspawned) => unspawned,
    };
    match context::current() {
        Some(Entered::Core(core)) => core.spawn(future, meta, false),
        Some(Entered::Remote(_)) => panic!(
            "Local tasks can only be spawned on a LocalRuntime from the thread the runtime was \
             created on"
        ),
        None => panic!(
            "`spawn_local` called from outside of a `task::LocalSet` or `runtime::LocalRuntime`"
        ),
    }
}

/// The id of the task being polled right now (or whose `spawn_blocking` closure runs).
///
/// # Panics
///
/// Panics when called outside a task (for example from the `block_on` future).
#[track_caller]
pub fn id() -> Id {
    match try_id() {
        Some(id) => id,
        None => panic!("task::id() called outside a task; use task::try_id() to check"),
    }
}

/// The id of the task being polled right now, or `None` outside a task.
pub fn try_id() -> Option<Id> {
    let named = CURRENT_ID.try_with(Cell::get).ok().flatten();
    named.or_else(|| context::with_core(|core| core.current_task()).flatten())
}

thread_local! {
    /// The task that runs right now when the run loop does not know it: a task of a
    /// `LocalSet`, polled inside the poll of whoever drives the set, or the closure of a
    /// `spawn_blocking` job, on a pool thread.
    static CURRENT_ID: Cell<Option<Id>> = const { Cell::new(None) };
}

/// Runs `f` as task `id`: [`try_id`] answers `id` until it returns (or unwinds).
pub(crate) fn with_current_id<R>(id: Id, f: impl FnOnce() -> R) -> R {
    /// Puts the previous id back, even when `f` panics.
    struct Restore(Option<Id>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = CURRENT_ID.try_with(|current| current.set(self.0));
        }
    }
    let previous = CURRENT_ID.try_with(|current| current.replace(Some(id))).ok().flatten();
    let _restore = Restore(previous);
    f()
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
