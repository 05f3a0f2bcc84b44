//! `Handle`: a `Send + Sync` way to reach a runtime from anywhere; entering a runtime; ids.
//!
//! A [`Runtime`] stays on the thread that built it. Its [`Handle`] travels: it holds the
//! runtime's cross-thread side (`shared.rs`) and its [`Settings`], so it can spawn onto the
//! runtime from any thread, say which runtime it is, and make it current with [`Handle::enter`].
//!
//! [`Runtime`]: crate::runtime::Runtime

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::num::NonZeroU64;
use std::panic::Location;
use std::rc::Rc;
use std::sync::Arc;

use crate::runtime::RuntimeFlavor;
use crate::runtime::context::{self, Entered};
use crate::runtime::core::Core;
use crate::runtime::park;
use crate::runtime::settings::{Flavor, Settings};
use crate::runtime::shared::Shared;
use crate::task::blocking::{self, Home};
use crate::task::{JoinHandle, Meta};

/// A `Send + Sync` handle to a runtime, for spawning onto it from anywhere.
#[derive(Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Arc<Settings>,
}

impl Handle {
    /// The handle of `core`'s runtime.
    pub(crate) fn of(core: &Rc<Core>) -> Handle {
        Handle { shared: core.shared.clone(), settings: core.config.settings.clone() }
    }

    /// The handle of the current runtime: the one running on this thread, or the one entered
    /// with [`Runtime::enter`] or [`Handle::enter`].
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime.
    ///
    /// [`Runtime::enter`]: crate::runtime::Runtime::enter
    #[track_caller]
    pub fn current() -> Handle {
        match Handle::try_current() {
            Ok(handle) => handle,
            Err(_) => context::panic_outside("Handle::current"),
        }
    }

    /// The handle of the current runtime, or an error that says why there is none.
    pub fn try_current() -> Result<Handle, TryCurrentError> {
        match context::current() {
            Some(Entered::Core(core)) => Ok(Handle::of(&core)),
            Some(Entered::Remote(handle)) => Ok(handle),
            None => Err(TryCurrentError { destroyed: false }),
        }
    }

    /// Makes this handle's runtime the current one until the guard drops: `spawn`,
    /// `spawn_blocking` and `Handle::current` then reach it, from any thread.
    ///
    /// On the runtime's own thread that is the same as [`Runtime::enter`]; on another thread
    /// spawned tasks travel through the cross-thread queue, and (since the runtime's clock and
    /// sockets live on its own thread) timers and I/O cannot be used.
    ///
    /// [`Runtime::enter`]: crate::runtime::Runtime::enter
    pub fn enter(&self) -> EnterGuard<'_> {
        EnterGuard::new(context::enter_handle(self), self)
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
        match self.core_here() {
            Some(core) => core.spawn(future, meta, true),
            None => self.shared.spawn_remote(future, meta),
        }
    }

    /// Runs `f` on this runtime's blocking pool, as [`task::spawn_blocking`] does, from any
    /// thread. After the runtime has shut down, `f` is dropped and the handle resolves to a
    /// cancelled `JoinError`.
    ///
    /// [`task::spawn_blocking`]: fn@crate::task::spawn_blocking
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, f: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.spawn_blocking_at(f, Location::caller())
    }

    /// [`Handle::spawn_blocking`] with the caller's location given.
    pub(crate) fn spawn_blocking_at<F, R>(
        &self,
        f: F,
        location: &'static Location<'static>,
    ) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        match self.core_here() {
            Some(core) => blocking::spawn_blocking_in(Home::Core(&core), f, location),
            None => blocking::spawn_blocking_in(Home::Remote(self), f, location),
        }
    }

    /// Runs `future` to completion on this thread, as `Runtime::block_on` does.
    ///
    /// On the runtime's own thread this *is* `Runtime::block_on`: the runtime runs its tasks
    /// while it waits. On another thread (or inside `block_in_place`, which pauses the
    /// runtime), the future is polled here and the thread sleeps between polls; the runtime's
    /// tasks run only when their own thread drives them, and `spawn` inside the future sends
    /// tasks there.
    ///
    /// # Panics
    ///
    /// Panics when called from inside a runtime, like `Runtime::block_on`.
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        context::assert_not_running();
        #[cfg(feature = "tracing")]
        let future = crate::trace::console::block_on(future, Location::caller());
        let home = context::find_live(&self.shared);
        if let Some(core) = home.filter(|core| !context::is_blocking_on(core)) {
            return core.block_on(future);
        }
        // The runtime, and its reactor, are current here as under `enter`.
        let _entered = self.enter();
        park::block_on(future)
    }

    /// The tokio flavour this runtime was built as (every Clockwork runtime runs on one thread).
    pub fn runtime_flavor(&self) -> RuntimeFlavor {
        match self.settings.flavor {
            Flavor::MultiThread => RuntimeFlavor::MultiThread,
            Flavor::CurrentThread | Flavor::Local => RuntimeFlavor::CurrentThread,
        }
    }

    /// This runtime's id, unique among the runtimes of the process.
    pub fn id(&self) -> Id {
        Id(NonZeroU64::new(self.shared.id).expect("runtime ids start at 1"))
    }

    /// The name given with `Builder::name`, if any.
    pub fn name(&self) -> Option<&str> {
        self.settings.name.as_deref()
    }

    /// The core of this handle's runtime if it is the current one on this thread.
    fn core_here(&self) -> Option<Rc<Core>> {
        let core = context::with_core(|core| core.clone())?;
        Arc::ptr_eq(&core.shared, &self.shared).then_some(core)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("id", &self.shared.id)
            .field("name", &self.settings.name)
            .field("flavor", &self.settings.flavor)
            .field("shared", &self.shared)
            .finish()
    }
}

/// Keeps a runtime current until dropped; made by [`Runtime::enter`] and [`Handle::enter`].
///
/// Guards must be dropped in the reverse order of their making; dropping one out of order
/// panics.
///
/// [`Runtime::enter`]: crate::runtime::Runtime::enter
#[derive(Debug)]
#[must_use = "the runtime stays current only while the guard lives"]
pub struct EnterGuard<'a> {
    _guard: context::EnterGuard,
    /// The runtime's reactor is current too, so that I/O types can be made under the guard.
    _reactor: clockwork_reactor::EnterGuard,
    _handle: PhantomData<&'a Handle>,
}

impl EnterGuard<'_> {
    pub(crate) fn new(guard: context::EnterGuard, handle: &Handle) -> Self {
        let reactor = handle.settings.drivers.enter_reactor(&handle.shared.reactor);
        EnterGuard { _guard: guard, _reactor: reactor, _handle: PhantomData }
    }
}

/// A runtime's id, as `tokio::runtime::Id`: unique among the runtimes of the process.
#[derive(Clone, Copy, Debug, Hash, Eq, PartialEq)]
pub struct Id(NonZeroU64);

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why [`Handle::try_current`] found no runtime.
#[derive(Debug)]
pub struct TryCurrentError {
    destroyed: bool,
}

impl TryCurrentError {
    /// True when no runtime is current on this thread.
    pub fn is_missing_context(&self) -> bool {
        !self.destroyed
    }

    /// True when the thread-local that says which runtime is current has been destroyed (the
    /// thread is exiting). Clockwork then reports a missing context, so this is always false.
    pub fn is_thread_local_destroyed(&self) -> bool {
        self.destroyed
    }
}

impl fmt::Display for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no Clockwork runtime is current on this thread")
    }
}

impl std::error::Error for TryCurrentError {}
