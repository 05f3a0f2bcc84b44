//! `runtime::Builder`: the runtime's knobs, with tokio's names.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::Runtime;
use crate::runtime::core::{Config, Core};
use crate::trace::Event;

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

    /// Narrates every event on stderr, one line each (like `CLOCKWORK_LOG=1`); `false` silences
    /// narration even when `CLOCKWORK_LOG` is set. See [`crate::trace`].
    pub fn narrate(&mut self, narrate: bool) -> &mut Builder {
        self.config.trace.narrate = Some(narrate.then(|| "1".to_string()));
        self
    }

    /// Narrates only the event kinds listed, separated by commas (like `CLOCKWORK_LOG=poll,wake`).
    pub fn narrate_only(&mut self, kinds: &str) -> &mut Builder {
        self.config.trace.narrate = Some(Some(kinds.to_string()));
        self
    }

    /// Writes a Chrome trace-event timeline to `path` when the runtime is dropped (like
    /// `CLOCKWORK_TRACE=path`). Open it in ui.perfetto.dev or chrome://tracing.
    pub fn trace_path(&mut self, path: impl Into<PathBuf>) -> &mut Builder {
        self.config.trace.trace_path = Some(Some(path.into()));
        self
    }

    /// Calls `hook` with every event the runtime records, on the runtime's thread.
    pub fn on_event(&mut self, hook: impl Fn(&Event) + Send + Sync + 'static) -> &mut Builder {
        self.config.trace.hook = Some(Arc::new(hook));
        self
    }

    /// Turns the warnings on stderr on (the default) or off: a poll that blocked the thread, a
    /// task that can never be woken, a task that keeps waking itself, work left at shutdown.
    pub fn warnings(&mut self, enabled: bool) -> &mut Builder {
        self.config.trace.warnings.enabled = enabled;
        self
    }

    /// Also gives the two warnings that a correct program may earn, off by default: a task that
    /// keeps waking itself, and a task still alive when the runtime shuts down (the task leak
    /// of the patterns document; also, harmlessly, a server's accept loop). Narration
    /// (`CLOCKWORK_LOG`) turns them on too.
    pub fn all_warnings(&mut self, all: bool) -> &mut Builder {
        self.config.trace.warnings.all = all;
        self
    }

    /// A poll that holds the thread longer than `threshold` is reported (default 100 ms).
    pub fn blocking_poll_threshold(&mut self, threshold: Duration) -> &mut Builder {
        self.config.trace.warnings.blocking_poll = threshold;
        self
    }

    /// Measures every poll and wake with the precise clock, so that [`Runtime::metrics`] and
    /// [`Runtime::task_metrics`] report busy time and time from wake to poll. Off by default: it
    /// costs an `Instant::now()` around each poll and at each wake. Recording events (narration,
    /// a timeline, a hook) turns it on too.
    pub fn time_polls(&mut self, enabled: bool) -> &mut Builder {
        self.config.trace.time_polls = enabled;
        self
    }

    /// A task is reported for waking itself only after this many polls (default 10).
    pub fn self_wake_min_polls(&mut self, polls: u64) -> &mut Builder {
        self.config.trace.warnings.self_wake_min_polls = polls;
        self
    }

    /// Builds the runtime on the current thread.
    pub fn build(&mut self) -> io::Result<Runtime> {
        Ok(Runtime::from_core(Core::new(self.config.clone())?))
    }
}
