//! `runtime::Builder`: the runtime's knobs, with tokio's names.

use std::io;

use crate::runtime::Runtime;
use crate::runtime::core::{Config, Core};

/// Builds a [`Runtime`].
///
/// Clockwork has one flavour, tokio's `current_thread`: everything runs on the thread that calls
/// `block_on`. There is no `new_multi_thread`.
#[derive(Debug, Clone)]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// A builder for a single-threaded runtime (the only kind Clockwork has).
    pub fn new_current_thread() -> Builder {
        Builder { config: Config::default() }
    }

    /// Enables the I/O and time drivers. Clockwork always has both, so this changes nothing;
    /// it is here so that tokio's builder chain compiles unchanged.
    pub fn enable_all(&mut self) -> &mut Builder {
        self
    }

    /// How many tasks the run loop polls before it checks the other sources of work again
    /// (the `block_on` future, wakes from other threads, timers and I/O). Tokio calls this the
    /// event interval and defaults to 61; so does Clockwork.
    ///
    /// # Panics
    ///
    /// Panics if `interval` is zero.
    pub fn event_interval(&mut self, interval: u32) -> &mut Builder {
        assert!(interval > 0, "event_interval must be at least 1");
        self.config.event_interval = interval as usize;
        self
    }

    /// Starts the runtime with its clock paused (see [`crate::time`]): time moves only through
    /// `time::advance`, or by jumping to the next timer when every task is idle.
    pub fn start_paused(&mut self, start_paused: bool) -> &mut Builder {
        self.config.start_paused = start_paused;
        self
    }

    /// Builds the runtime on the current thread.
    pub fn build(&mut self) -> io::Result<Runtime> {
        Ok(Runtime::from_core(Core::new(self.config.clone())?))
    }
}
