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
/// the flavour decides only what `Handle::runtime_flavor` says and whether `block_in_place`
/// may run (see `task/blocking.rs`).
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
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            name: None,
            flavor: Flavor::CurrentThread,
            park_hooks: ParkHooks::default(),
            pool: Pool::new(Default::default()),
        }
    }
}
