//! `LocalRuntime`: tokio's runtime for tasks that are not `Send`, and its `LocalOptions`.
//!
//! Tokio has it because its ordinary runtimes may move tasks between threads, so `spawn_local`
//! needs a `LocalSet` there. Every Clockwork runtime keeps its tasks on one thread and accepts
//! `spawn_local` already; a [`LocalRuntime`] is therefore a [`Runtime`] under another name,
//! with tokio's methods. It reports [`RuntimeFlavor::CurrentThread`], as tokio's does.
//!
//! [`RuntimeFlavor::CurrentThread`]: crate::runtime::RuntimeFlavor::CurrentThread

use std::future::Future;
use std::io;
use std::marker::PhantomData;
use std::panic::Location;
use std::time::Duration;

use crate::runtime::{Builder, EnterGuard, Handle, Runtime, RuntimeMetrics};
use crate::task::{JoinHandle, Meta};

/// Options for [`Builder::build_local`]; tokio has none yet, nor does Clockwork.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct LocalOptions {
    /// Keeps the options on the thread that builds the runtime, as tokio's do.
    _not_send: PhantomData<*mut u8>,
}

/// A runtime whose tasks need not be `Send`, as `tokio::runtime::LocalRuntime`.
///
/// ```
/// use std::rc::Rc;
///
/// let runtime = clockwork::runtime::LocalRuntime::new().unwrap();
/// let shared = Rc::new(5);
/// let task = runtime.spawn_local(async move { *shared + 1 });
/// assert_eq!(runtime.block_on(task).unwrap(), 6);
/// ```
#[derive(Debug)]
pub struct LocalRuntime {
    runtime: Runtime,
}

impl LocalRuntime {
    pub(crate) fn from_runtime(runtime: Runtime) -> LocalRuntime {
        LocalRuntime { runtime }
    }

    /// A local runtime with every driver enabled: the same as
    /// `Builder::new_current_thread().enable_all().build_local(Default::default())`.
    pub fn new() -> io::Result<LocalRuntime> {
        Builder::new_current_thread().enable_all().build_local(LocalOptions::default())
    }

    /// A handle to this runtime.
    pub fn handle(&self) -> &Handle {
        self.runtime.handle()
    }

    /// Spawns a future that is not `Send`; it starts running during the next `block_on`.
    #[track_caller]
    pub fn spawn_local<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let meta = Meta::new(None, Location::caller());
        self.runtime.core.spawn(future, meta, false)
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
        self.runtime.spawn_blocking(f)
    }

    /// Runs `future` to completion, running spawned tasks while it waits
    /// ([`Runtime::block_on`]).
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Makes this runtime current until the guard drops ([`Runtime::enter`]).
    pub fn enter(&self) -> EnterGuard<'_> {
        self.runtime.enter()
    }

    /// Shuts down and waits up to `timeout` for the blocking pool
    /// ([`Runtime::shutdown_timeout`]).
    pub fn shutdown_timeout(self, timeout: Duration) {
        self.runtime.shutdown_timeout(timeout);
    }

    /// Shuts down without waiting for the blocking pool ([`Runtime::shutdown_background`]).
    pub fn shutdown_background(self) {
        self.runtime.shutdown_background();
    }

    /// Counters of what the runtime has done so far ([`Runtime::metrics`]).
    pub fn metrics(&self) -> RuntimeMetrics {
        self.runtime.metrics()
    }

    /// The live tasks as a table ([`Runtime::dump`]).
    pub fn dump(&self) -> String {
        self.runtime.dump()
    }
}
