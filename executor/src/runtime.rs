//! The runtime: one thread, one run queue, and the loop that drives them.
//!
//! [`Runtime::block_on`] runs a future to completion on the current thread, polling spawned tasks
//! whenever the future is waiting. The run loop lives in `runtime/core.rs`, in one function,
//! `Core::block_on`; read it first. Then `shared.rs` (what other threads may touch),
//! `context.rs` (how [`spawn`] finds the runtime), `task_table.rs`, `driver.rs` (how the thread
//! sleeps and is woken), `builder.rs` and `settings.rs` (tokio's knobs, and what Clockwork
//! keeps of them), `handle.rs` (the `Send` handle, entering a runtime, ids), `park.rs`
//! (`Handle::block_on` away from home), `local_runtime.rs` and `metrics.rs`.
//!
//! [`spawn`]: fn@crate::task::spawn

pub(crate) mod context;
pub(crate) mod core;
mod driver;
pub(crate) mod metrics;
pub(crate) mod order;
pub(crate) mod shared;
pub(crate) mod task_table;

pub(crate) mod builder;
mod explore;
mod handle;
mod local_runtime;
mod park;
pub(crate) mod settings;

use std::fmt;
use std::future::Future;
use std::io;
use std::panic::Location;
use std::rc::Rc;
use std::time::Duration;

pub use builder::Builder;
pub use explore::explore;
pub use handle::{EnterGuard, Handle, Id, TryCurrentError};
pub use local_runtime::{LocalOptions, LocalRuntime};
pub use metrics::{RuntimeMetrics, TaskMetrics};

use crate::runtime::core::Core;
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
    /// `Builder::new_multi_thread().enable_all().build()`, as in tokio.
    ///
    /// Tokio's `Runtime::new` starts a pool of worker threads; Clockwork's runs every task on the
    /// thread that calls `block_on`, like all its runtimes. It still reports itself as tokio's
    /// multi-threaded flavour ([`Handle::runtime_flavor`]), so that
    /// [`block_in_place`](crate::task::block_in_place) runs its closure instead of panicking.
    pub fn new() -> io::Result<Runtime> {
        Builder::new_multi_thread().enable_all().build()
    }

    pub(crate) fn from_core(core: Core) -> Runtime {
        let core = Rc::new(core);
        context::register(&core);
        let handle = Handle::of(&core);
        Runtime { core, handle }
    }

    /// The runtime's core, for the modules beside it (`explore.rs`).
    pub(crate) fn core(&self) -> &Core {
        &self.core
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
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        context::assert_not_running();
        // With the `tracing` feature, tokio-console lists the future, as it does tokio's.
        #[cfg(feature = "tracing")]
        let future = crate::trace::console::block_on(future, Location::caller());
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

    /// Runs `f` on this runtime's blocking pool, as [`task::spawn_blocking`] does.
    ///
    /// [`task::spawn_blocking`]: fn@crate::task::spawn_blocking
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, f: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.handle.spawn_blocking_at(f, Location::caller())
    }

    /// A handle to this runtime that other threads can use.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Makes this runtime the current one until the guard drops, without running it: `spawn`
    /// queues tasks on it (they start at the next `block_on`), and `Handle::current` finds it.
    ///
    /// ```
    /// let runtime = clockwork::runtime::Runtime::new().unwrap();
    /// let task = {
    ///     let _guard = runtime.enter();
    ///     clockwork::spawn(async { 1 + 1 })
    /// };
    /// assert_eq!(runtime.block_on(task).unwrap(), 2);
    /// ```
    pub fn enter(&self) -> EnterGuard<'_> {
        EnterGuard::new(context::enter(self.core.clone()), &self.handle)
    }

    /// Shuts the runtime down, then waits up to `timeout` for the threads of its blocking pool
    /// to finish their jobs.
    ///
    /// Shutting down cancels every task and drops its future, as dropping the runtime does.
    /// `spawn_blocking` jobs already queued still run, and their handles still get their
    /// results; a job cannot be interrupted: if the pool's work outlasts `timeout`, its threads
    /// are left to finish alone.
    pub fn shutdown_timeout(self, timeout: Duration) {
        let pool = self.handle.settings.pool.clone();
        drop(self);
        pool.join(timeout);
    }

    /// Shuts the runtime down without waiting for its blocking pool's threads, as dropping it
    /// does.
    pub fn shutdown_background(self) {
        drop(self);
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
        // After the tasks: a future's `Drop` may still have handed a job to the pool.
        self.handle.settings.pool.close();
        context::unregister(&self.core);
    }
}

/// Whether `err` is the error of I/O whose runtime has shut down, as tokio's function of this
/// name.
///
/// A socket can outlive the runtime that registered it; from then on every operation on it
/// fails with this error rather than waiting for readiness nobody will report. The error is
/// recognized by its type, which only the reactor can make, not by its text.
///
/// ```
/// use clockwork::net::TcpListener;
///
/// let first = clockwork::runtime::Runtime::new().unwrap();
/// let second = clockwork::runtime::Runtime::new().unwrap();
/// let listener = first.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
/// drop(first);
/// let err = second.block_on(listener.accept()).unwrap_err();
/// assert!(clockwork::runtime::is_rt_shutdown_err(&err));
/// ```
pub fn is_rt_shutdown_err(err: &io::Error) -> bool {
    clockwork_reactor::is_gone(err)
}

/// The flavour of a runtime, as `tokio::runtime::RuntimeFlavor`.
///
/// Every Clockwork runtime runs its tasks on one thread; the flavour is the tokio runtime it
/// was built as, which decides whether [`block_in_place`](crate::task::block_in_place) runs or
/// panics, and whether time may be paused ([`time::pause`](crate::time::pause)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuntimeFlavor {
    /// Built by `Builder::new_current_thread` or `Builder::build_local`.
    CurrentThread,
    /// Built by `Builder::new_multi_thread` or `Runtime::new`; on one thread all the same.
    MultiThread,
}

// A panic that escapes `block_on` (the future's own, or a waker's or a `Drop`'s)
// leaves the runtime whole: no borrow of its queue, table, wheel or reactor is held while user
// code runs (ARCHITECTURE.md, "Invariants"), and the context guards undo themselves on unwind.
// So, as tokio's, a runtime may be used again after `catch_unwind`.
impl std::panic::UnwindSafe for Runtime {}
impl std::panic::RefUnwindSafe for Runtime {}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime").field("core", &self.core).finish()
    }
}
