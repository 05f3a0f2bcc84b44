//! The runtime: one thread, one run queue, and the loop that drives them.
//!
//! [`Runtime::block_on`] runs a future to completion on the current thread, polling spawned tasks
//! whenever the future is waiting. The run loop lives in `runtime/core.rs`, in one function,
//! `Core::block_on`; read it first. Then `shared.rs` (what other threads may touch),
//! `context.rs` (how [`spawn`] finds the runtime), `task_table.rs`, `driver.rs` (how the thread
//! sleeps and is woken), `builder.rs` and `metrics.rs`.
//!
//! [`spawn`]: fn@crate::task::spawn

pub(crate) mod context;
pub(crate) mod core;
mod driver;
pub(crate) mod metrics;
pub(crate) mod shared;
mod task_table;

mod builder;

use std::fmt;
use std::future::Future;
use std::io;
use std::panic::Location;
use std::rc::Rc;
use std::sync::Arc;

pub use builder::Builder;
pub use metrics::{RuntimeMetrics, TaskMetrics};

use crate::runtime::core::Core;
use crate::runtime::shared::Shared;
use crate::task::{JoinHandle, Meta};

/// A single-threaded async runtime.
///
/// A [`Runtime`] belongs to the thread that built it (it is neither `Send` nor `Sync`): its tasks
/// may hold values that are not `Send`. Dropping it cancels every task that has not finished,
/// dropping their futures on this thread.
///
/// ```
/// let runtime = clockwork::runtime::Runtime::new().unwrap();
/// let answer = runtime.block_on(async {
///     let task = clockwork::spawn(async { 6 * 7 });
///     task.await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
pub struct Runtime {
    core: Rc<Core>,
    handle: Handle,
}

impl Runtime {
    /// A runtime with every driver enabled: the same as
    /// `Builder::new_current_thread().enable_all().build()`.
    pub fn new() -> io::Result<Runtime> {
        Builder::new_current_thread().enable_all().build()
    }

    pub(crate) fn from_core(core: Core) -> Runtime {
        let handle = Handle { shared: core.shared.clone() };
        Runtime { core: Rc::new(core), handle }
    }

    /// Runs `future` to completion on this thread, running spawned tasks while it waits.
    ///
    /// A panic in `future` itself propagates to the caller; a panic in a spawned task does not
    /// (it goes to that task's [`JoinHandle`]).
    ///
    /// # Panics
    ///
    /// Panics when called from inside a runtime (from a task, or from another `block_on`):
    /// blocking the thread there would stop every other task. `.await` the future instead.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.core.block_on(future)
    }

    /// Spawns a task; it starts running during the next `block_on`.
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.core.spawn(future, Meta::new(None, Location::caller()), true)
    }

    /// A handle to this runtime that other threads can use.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The live tasks as a table: id, state, polls, wakes, who woke it last, age, name and
    /// spawn location. A debugger gets the same table with `call clockwork_dump()`.
    ///
    /// ```
    /// let runtime = clockwork::runtime::Runtime::new().unwrap();
    /// runtime.spawn(async {});
    /// assert!(runtime.dump().starts_with("1 live task(s), 1 queued"));
    /// ```
    pub fn dump(&self) -> String {
        self.core.dump()
    }

    /// Counters of what the runtime has done so far.
    pub fn metrics(&self) -> RuntimeMetrics {
        self.core.metrics()
    }

    /// Counters of each live task: polls, wakes, self-wakes, busy time, time from wake to poll.
    pub fn task_metrics(&self) -> Vec<TaskMetrics> {
        self.core.task_metrics()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.core.shutdown();
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime").field("core", &self.core).finish()
    }
}

/// A `Send + Sync` handle to a runtime, for spawning onto it from anywhere.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
}

impl Handle {
    /// The handle of the runtime running on this thread.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime.
    #[track_caller]
    pub fn current() -> Handle {
        context::expect_core("Handle::current", |core| Handle { shared: core.shared.clone() })
    }

    /// The handle of the runtime running on this thread, if there is one.
    pub fn try_current() -> Option<Handle> {
        context::with_core(|core| Handle { shared: core.shared.clone() })
    }

    /// Spawns a `Send` task on this runtime, from any thread. From another thread, the task is
    /// handed over through the cross-thread queue and starts when the runtime next turns. If the
    /// runtime is gone, the future is dropped and the handle resolves to a cancelled `JoinError`.
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = Meta::new(None, Location::caller());
        let local = context::with_core(|core| Arc::ptr_eq(&core.shared, &self.shared));
        if local == Some(true) {
            return context::expect_core("Handle::spawn", |core| core.spawn(future, meta, true));
        }
        self.shared.spawn_remote(future, meta)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle").field("shared", &self.shared).finish()
    }
}
