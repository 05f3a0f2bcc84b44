//! What a runtime knows about itself besides the run loop's knobs: its name, the tokio flavour
//! it was built as, its thread hooks and its blocking pool.
//!
//! Tokio's `Builder` describes a pool of worker threads that Clockwork does not have. The
//! settings that still mean something on one thread are kept here, in one [`Settings`] that
//! the runtime's `Config` and every [`Handle`] share through an `Arc`:
//!
//! - the runtime's `name` and [`RuntimeFlavor`], which the handle reports;
//! - the park hooks, which the run loop calls around its sleep in the driver;
//! - the blocking pool, whose threads take the thread name, stack size, start and stop hooks.
//!
//! [`Handle`]: crate::runtime::Handle
//! [`RuntimeFlavor`]: crate::runtime::RuntimeFlavor

use std::fmt;
use std::sync::Arc;

use crate::task::blocking::Pool;

/// A callback the runtime calls at some point of a thread's life (tokio's `on_thread_*`).
pub(crate) type Callback = Arc<dyn Fn() + Send + Sync + 'static>;

/// The tokio flavour a runtime was built as. Every flavour runs on one thread in Clockwork;
/// the flavour decides only what `Handle::runtime_flavor` says, whether `block_in_place` may
/// run (see `task/blocking.rs`), and whether time may be paused (`time::pause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `Builder::new_current_thread`: `block_in_place` panics, as in tokio.
    CurrentThread,
    /// `Builder::new_multi_thread`, `Runtime::new`, `#[tokio::main]`: `block_in_place` runs
    /// its closure on this thread.
    MultiThread,
    /// `Builder::build_local` (`LocalRuntime`): like `CurrentThread`.
    Local,
}

/// The hooks the run loop calls when its thread goes to sleep in the driver and wakes up.
#[derive(Clone, Default)]
pub(crate) struct ParkHooks {
    pub(crate) on_park: Option<Callback>,
    pub(crate) on_unpark: Option<Callback>,
}

impl ParkHooks {
    /// Calls `on_thread_park`: the thread is about to sleep in the driver.
    pub(crate) fn before_park(&self) {
        if let Some(hook) = &self.on_park {
            hook();
        }
    }

    /// Calls `on_thread_unpark`: the thread has woken up from the driver.
    pub(crate) fn after_unpark(&self) {
        if let Some(hook) = &self.on_unpark {
            hook();
        }
    }
}

impl fmt::Debug for ParkHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParkHooks")
            .field("on_park", &self.on_park.is_some())
            .field("on_unpark", &self.on_unpark.is_some())
            .finish()
    }
}

/// A runtime's identity, hooks and blocking pool (see the module docs).
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) name: Option<String>,
    pub(crate) flavor: Flavor,
    pub(crate) park_hooks: ParkHooks,
    /// Where this runtime's `spawn_blocking` jobs run.
    pub(crate) pool: Arc<Pool>,
    /// Which drivers the builder enabled; see [`Drivers`].
    pub(crate) drivers: Drivers,
}

/// The drivers a runtime was built with, as tokio's `enable_io` and `enable_time` choose them.
///
/// A Clockwork runtime always has its reactor and its wheel (it parks in the one and keeps the
/// other), but like tokio it refuses I/O or timers that the builder did not enable, with a
/// panic that names the missing call, so that a program forgetting `enable_all()` fails the
/// same way on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Drivers {
    pub(crate) io: bool,
    pub(crate) time: bool,
}

impl Drivers {
    /// Both, as `Runtime::new`, the macros and `enable_all` give.
    pub(crate) const ALL: Drivers = Drivers { io: true, time: true };
    /// Neither, as a bare `Builder::new_current_thread()` gives.
    pub(crate) const NONE: Drivers = Drivers { io: false, time: false };

    /// Makes `reactor` this thread's current reactor, or, without I/O, marks the thread so
    /// that a socket made here panics and names `enable_io`.
    pub(crate) fn enter_reactor(self, reactor: &clockwork_reactor::Handle) -> ReactorGuard {
        if self.io {
            clockwork_reactor::enter(reactor)
        } else {
            clockwork_reactor::enter_disabled()
        }
    }

    /// Panics, at the caller's line, if timers are disabled on the current runtime.
    #[track_caller]
    pub(crate) fn check_time(what: &str) {
        if crate::runtime::context::current_drivers().is_some_and(|drivers| !drivers.time) {
            Drivers::refuse_time(what);
        }
    }

    /// The panic of a timer on a runtime built without `enable_time`.
    #[track_caller]
    pub(crate) fn refuse_time(what: &str) -> ! {
        panic!(
            "{what}: timers are disabled on this Clockwork runtime: build it with \
             enable_time() or enable_all() on its Builder"
        )
    }
}

type ReactorGuard = clockwork_reactor::EnterGuard;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            name: None,
            flavor: Flavor::CurrentThread,
            park_hooks: ParkHooks::default(),
            pool: Pool::new(Default::default()),
            drivers: Drivers::ALL,
        }
    }
}
