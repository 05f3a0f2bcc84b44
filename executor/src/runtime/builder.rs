//! `runtime::Builder`: the runtime's knobs, with tokio's names.
//!
//! The first knobs are Clockwork's own run loop and tracer (`event_interval`, `start_paused`,
//! narration, warnings). Then come tokio's knobs for threads: some shape what a Clockwork
//! runtime still has (the blocking pool, the park hooks, the name); the others describe tokio's
//! worker threads, which Clockwork does not have, and are accepted so that tokio's builder
//! chains compile (see each method).

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::runtime::core::{Config, Core};
use crate::runtime::settings::{Drivers, Flavor, ParkHooks, Settings};
use crate::runtime::{LocalOptions, LocalRuntime, Runtime};
use crate::task::blocking::{Pool, PoolConfig};
use crate::trace::Event;

/// Builds a [`Runtime`].
///
/// Every Clockwork runtime runs all its tasks on the thread that calls `block_on`. Tokio's two
/// constructors are both here: [`Builder::new_current_thread`] is the faithful one;
/// [`Builder::new_multi_thread`] builds the same one-thread runtime, reporting itself as tokio's
/// multi-threaded flavour (see there).
#[derive(Debug, Clone)]
pub struct Builder {
    /// The run loop's and the tracer's knobs.
    config: Config,
    /// Tokio's knobs that a Clockwork runtime keeps (see `settings.rs`).
    flavor: Flavor,
    name: Option<String>,
    park_hooks: ParkHooks,
    pool: PoolConfig,
    /// Tokio's worker-thread count, if one was asked for: only warned about.
    worker_threads: Option<usize>,
    /// What `enable_io` and `enable_time` turned on (neither, to begin with).
    drivers: Drivers,
}

impl Builder {
    /// A builder for tokio's current-thread runtime: every task runs on the thread that calls
    /// `block_on`.
    pub fn new_current_thread() -> Builder {
        Builder::with_flavor(Flavor::CurrentThread)
    }

    /// A builder for tokio's multi-threaded runtime. Clockwork has one thread, so this builds
    /// the same runtime as [`Builder::new_current_thread`], with three differences that tokio
    /// programs can see: [`Handle::runtime_flavor`] says `MultiThread`,
    /// [`block_in_place`](crate::task::block_in_place) runs its closure instead of panicking,
    /// and time cannot be paused ([`crate::time::pause`]).
    /// A task that waits for another one *synchronously* (a blocking channel, a spin loop) hangs
    /// here, where tokio would run the other on another worker.
    ///
    /// [`Handle::runtime_flavor`]: crate::runtime::Handle::runtime_flavor
    pub fn new_multi_thread() -> Builder {
        Builder::with_flavor(Flavor::MultiThread)
    }

    fn with_flavor(flavor: Flavor) -> Builder {
        Builder {
            config: Config::default(),
            flavor,
            name: None,
            park_hooks: ParkHooks::default(),
            pool: PoolConfig::default(),
            worker_threads: None,
            drivers: Drivers::NONE,
        }
    }

    /// Enables the I/O and time drivers, as tokio's builder does.
    ///
    /// A Clockwork runtime always has both (it parks in the reactor), but as in tokio a runtime
    /// built without them refuses sockets and timers, with a panic that names the missing call:
    /// a program that forgets it fails the same way on both runtimes. `Runtime::new()` and the
    /// `#[clockwork::main]` and `#[clockwork::test]` macros enable both.
    pub fn enable_all(&mut self) -> &mut Builder {
        self.drivers = Drivers::ALL;
        self
    }

    /// Enables the I/O driver: sockets, pipes, signals and processes (see [`enable_all`]).
    ///
    /// [`enable_all`]: Builder::enable_all
    pub fn enable_io(&mut self) -> &mut Builder {
        self.drivers.io = true;
        self
    }

    /// Enables the time driver: `sleep`, `timeout` and `interval` (see [`enable_all`]).
    ///
    /// [`enable_all`]: Builder::enable_all
    pub fn enable_time(&mut self) -> &mut Builder {
        self.drivers.time = true;
        self
    }

    /// How many tasks the run loop polls before it checks the other sources of work again
    /// (the `block_on` future, wakes from other threads, timers and I/O). Tokio calls this the
    /// event interval and defaults to 61; so does Clockwork.
    ///
    /// # Panics
    ///
    /// Panics if `interval` is zero.
    #[track_caller]
    pub fn event_interval(&mut self, interval: u32) -> &mut Builder {
        assert!(interval > 0, "event_interval must be greater than 0");
        self.config.event_interval = interval as usize;
        self
    }

    /// Starts the runtime with its clock paused (see [`crate::time`]): time moves only through
    /// `time::advance`, or by jumping to the next timer when every task is idle. Only a
    /// current-thread runtime can start paused: `build` panics on a multi-thread builder, as
    /// tokio's does.
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

    /// Runs ready tasks in an order chosen by `seed` instead of first come, first served:
    /// the same seed gives the same order (and, with paused time and no real I/O, the same
    /// run). `CLOCKWORK_SEED` sets it too, for any runtime not given one here. See the book's
    /// chapter "Choosing the order" and [`explore`](fn@crate::runtime::explore).
    ///
    /// tokio's `rng_seed` (unstable there) seeds only `select!`'s choice of branch; this one
    /// seeds that too.
    pub fn rng_seed(&mut self, seed: u64) -> &mut Builder {
        self.config.seed = Some(seed);
        self
    }

    /// Stops before every poll, shows the task about to run, the run queue, the timers and the
    /// I/O waited on, and waits for a key on the terminal (`CLOCKWORK_STEP=1` turns it on too).
    /// See the book's chapter "Choosing the order".
    pub fn step(&mut self, step: bool) -> &mut Builder {
        self.config.step = step;
        self
    }

    /// Builds the runtime on the current thread.
    ///
    /// # Panics
    ///
    /// With `start_paused(true)` on a multi-thread builder, as tokio's does: only a
    /// current-thread runtime can pause its clock ([`crate::time::pause`]).
    #[track_caller]
    pub fn build(&mut self) -> io::Result<Runtime> {
        if self.flavor == Flavor::MultiThread && self.config.start_paused {
            panic!("{}", crate::time::PAUSE_NEEDS_CURRENT_THREAD);
        }
        self.build_as(self.flavor)
    }

    /// Builds a [`LocalRuntime`], as tokio's `build_local`: the same runtime, under tokio's
    /// name for a runtime that accepts `spawn_local`.
    ///
    /// # Panics
    ///
    /// On a multi-thread builder, as tokio's does: a local runtime is a current-thread one.
    #[track_caller]
    pub fn build_local(&mut self, options: LocalOptions) -> io::Result<LocalRuntime> {
        let _ = options;
        if self.flavor == Flavor::MultiThread {
            panic!(
                "multi_thread is not supported for LocalRuntime: build it with \
                    Builder::new_current_thread(), as on tokio"
            );
        }
        Ok(LocalRuntime::from_runtime(self.build_as(Flavor::Local)?))
    }

    /// Builds a runtime of `flavor`, with a blocking pool of its own.
    fn build_as(&self, flavor: Flavor) -> io::Result<Runtime> {
        self.warn_about_threads();
        let mut config = self.config.clone();
        if config.seed.is_none() {
            config.seed = seed_from_env()?;
        }
        config.step |= std::env::var("CLOCKWORK_STEP").is_ok_and(|value| value == "1");
        config.settings = Arc::new(Settings {
            name: self.name.clone(),
            flavor,
            park_hooks: self.park_hooks.clone(),
            pool: Pool::new(self.pool.clone()),
            drivers: self.drivers,
        });
        Ok(Runtime::from_core(Core::new(config)?))
    }

    /// Says once per process, with the warnings on, that a runtime asked for several worker
    /// threads runs on one.
    fn warn_about_threads(&self) {
        static WARNED: AtomicBool = AtomicBool::new(false);
        let asked = self.worker_threads.unwrap_or(1);
        if asked > 1 && self.config.trace.warnings.enabled && !WARNED.swap(true, Ordering::Relaxed)
        {
            eprintln!(
                "clockwork: this runtime was asked for {asked} worker threads; Clockwork runs \
                 every task on the thread that calls block_on (see the book's chapter on \
                 compatibility with tokio)"
            );
        }
    }
}

/// `CLOCKWORK_SEED`, decimal or `0x` hex, if set; a clear error if it is not a number.
pub(crate) fn seed_from_env() -> io::Result<Option<u64>> {
    let Ok(text) = std::env::var("CLOCKWORK_SEED") else { return Ok(None) };
    let text = text.trim();
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map(Some).map_err(|_| {
        let message = format!("CLOCKWORK_SEED must be a number (decimal or 0x hex), not {text:?}");
        io::Error::new(io::ErrorKind::InvalidInput, message)
    })
}

// === tokio's knobs for threads ===

impl Builder {
    /// Names the runtime; [`Handle::name`](crate::runtime::Handle::name) reports it.
    ///
    /// # Panics
    ///
    /// Panics if `name` is empty or only white space.
    #[track_caller]
    pub fn name(&mut self, name: impl Into<String>) -> &mut Builder {
        let name = name.into();
        assert!(!name.trim().is_empty(), "runtime name shouldn't be empty");
        self.name = Some(name);
        self
    }

    /// Tokio's number of worker threads. Clockwork has none besides the thread that calls
    /// `block_on`, so the number is only checked, and asking for more than one prints a warning
    /// once per process (unless [`Builder::warnings`] is off).
    ///
    /// # Panics
    ///
    /// Panics if `threads` is zero, as tokio does.
    #[track_caller]
    pub fn worker_threads(&mut self, threads: usize) -> &mut Builder {
        assert!(threads > 0, "Worker threads cannot be set to 0");
        self.worker_threads = Some(threads);
        self
    }

    /// How many threads the blocking pool runs at most (default 64); further
    /// `spawn_blocking` jobs wait in its queue.
    ///
    /// # Panics
    ///
    /// Panics if `threads` is zero.
    #[track_caller]
    pub fn max_blocking_threads(&mut self, threads: usize) -> &mut Builder {
        assert!(threads > 0, "Max blocking threads cannot be set to 0");
        self.pool.max_threads = threads;
        self
    }

    /// The name of the blocking pool's threads (default `clockwork-blocking`).
    pub fn thread_name(&mut self, name: impl Into<String>) -> &mut Builder {
        let name = name.into();
        self.pool.thread_name = Arc::new(move || name.clone());
        self
    }

    /// A function that names each new thread of the blocking pool.
    pub fn thread_name_fn<F>(&mut self, name: F) -> &mut Builder
    where
        F: Fn() -> String + Send + Sync + 'static,
    {
        self.pool.thread_name = Arc::new(name);
        self
    }

    /// The stack size, in bytes, of the blocking pool's threads (default: the standard
    /// library's, 2 MiB).
    pub fn thread_stack_size(&mut self, bytes: usize) -> &mut Builder {
        self.pool.stack_size = Some(bytes);
        self
    }

    /// How long a thread of the blocking pool waits for a job before it exits (default 10 s).
    pub fn thread_keep_alive(&mut self, keep_alive: Duration) -> &mut Builder {
        self.pool.keep_alive = keep_alive;
        self
    }

    /// Called on each thread of the blocking pool when it starts, before its first job. (Tokio
    /// calls it on its worker threads too; Clockwork has none.)
    pub fn on_thread_start<F>(&mut self, hook: F) -> &mut Builder
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.pool.on_thread_start = Some(Arc::new(hook));
        self
    }

    /// Called on each thread of the blocking pool just before it exits.
    pub fn on_thread_stop<F>(&mut self, hook: F) -> &mut Builder
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.pool.on_thread_stop = Some(Arc::new(hook));
        self
    }

    /// Called on the runtime's thread each time the run loop runs out of work and is about to
    /// sleep in the driver. If the hook makes work (wakes a task, spawns one), the loop only
    /// peeks at the driver and goes on.
    pub fn on_thread_park<F>(&mut self, hook: F) -> &mut Builder
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.park_hooks.on_park = Some(Arc::new(hook));
        self
    }

    /// Called on the runtime's thread each time the run loop comes back from the driver after
    /// [`Builder::on_thread_park`]'s hook ran.
    pub fn on_thread_unpark<F>(&mut self, hook: F) -> &mut Builder
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.park_hooks.on_unpark = Some(Arc::new(hook));
        self
    }

    /// Tokio's number of polls between looks at its worker threads' shared queue. Clockwork's
    /// one queue is checked every time, so the number is only checked.
    ///
    /// # Panics
    ///
    /// Panics if `interval` is zero, as tokio does.
    #[track_caller]
    pub fn global_queue_interval(&mut self, interval: u32) -> &mut Builder {
        assert!(interval > 0, "global_queue_interval must be greater than 0");
        self
    }

    /// Tokio's cap on the I/O events handled per turn of the driver. Clockwork's reactor takes
    /// what `epoll` returns in one call, so the number is ignored.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero, as tokio's does: no turn could handle an event.
    #[track_caller]
    pub fn max_io_events_per_tick(&mut self, capacity: usize) -> &mut Builder {
        assert!(capacity > 0, "max_io_events_per_tick must be non-zero");
        self
    }
}
