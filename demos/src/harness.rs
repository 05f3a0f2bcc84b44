//! Runs a pattern on one runtime, times it, and collects what it said, what Clockwork warned,
//! and the run's schedule (a [`Log`]).
//!
//! On clockwork the runtime is built with an event hook (`Builder::on_event`) that keeps every
//! event: the warnings among them are the sentences Clockwork prints on stderr, and the rest
//! become the run's `Log` (`record/clockwork.rs`). The runtime is dropped before the report is
//! made, so the warnings given at shutdown are in it too. On tokio, the `rt` shim records the
//! tasks the pattern spawns (`record/tokio.rs`), and the park hooks the thread's sleeps.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clockwork::trace::{Event, EventKind};

use crate::record::{self, Log};
use crate::{Pattern, Run, say};

/// Which runtime a run used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// Clockwork's current-thread runtime.
    Clockwork,
    /// tokio's `new_current_thread().enable_all()` runtime.
    Tokio,
}

impl Runtime {
    /// The name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Clockwork => "clockwork",
            Runtime::Tokio => "tokio",
        }
    }
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct Report {
    /// What the pattern said, in canonical order (sorted when the pattern is unordered).
    pub lines: Vec<String>,
    /// What the pattern said with `aside!`: shown, never compared.
    pub asides: Vec<String>,
    /// What Clockwork warned about, in order, shutdown included (empty on tokio): shown, never
    /// compared.
    pub warnings: Vec<String>,
    /// Wall-clock time of `block_on`.
    pub elapsed: Duration,
    /// What the run did: spawns, polls, wakes, parks.
    pub log: Log,
}

/// Which clock a run's runtime starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The real clock: sleeps take their time.
    Real,
    /// A paused clock (`Builder::start_paused`), which jumps to the next deadline whenever
    /// the runtime has nothing to run. No run then waits on the machine, so the order of
    /// events is the same on every run: what the book's pictures need (`pictures.rs`).
    Paused,
}

/// Runs `pattern` on `runtime`, on this thread, on the real clock.
pub fn run(pattern: &Pattern, runtime: Runtime) -> Report {
    run_on(pattern, runtime, Clock::Real)
}

/// Runs `pattern` on `runtime`, on this thread, with its runtime on `clock`.
pub fn run_on(pattern: &Pattern, runtime: Runtime, clock: Clock) -> Report {
    say::take();
    say::take_asides();
    let paused = clock == Clock::Paused;
    let measured = match runtime {
        Runtime::Clockwork => on_clockwork((pattern.clockwork)(), pattern.all_warnings, paused),
        Runtime::Tokio => on_tokio((pattern.tokio)(), paused),
    };
    let mut lines = say::take();
    let asides = say::take_asides();
    if !pattern.ordered {
        lines.sort();
    }
    Report {
        lines,
        asides,
        warnings: measured.warnings,
        elapsed: measured.elapsed,
        log: measured.log,
    }
}

/// Runs `future` on a fresh clockwork runtime with every warning on, and returns the warnings
/// it gave, shutdown included. Tests use it to run half of a pitfall: the mistake, or its fix.
pub fn clockwork_warnings(future: Run) -> Vec<String> {
    let measured = on_clockwork(future, true, false);
    say::take();
    say::take_asides();
    measured.warnings
}

/// What the harness measured around one `block_on`.
struct Measured {
    elapsed: Duration,
    log: Log,
    warnings: Vec<String>,
}

// ANCHOR: on_clockwork
fn on_clockwork(future: Run, all_warnings: bool, paused: bool) -> Measured {
    let events = Arc::new(Mutex::new(Vec::new()));
    let mut builder = clockwork::runtime::Builder::new_current_thread();
    builder.enable_all();
    builder.enable_all().all_warnings(all_warnings).start_paused(paused);
    builder.on_event(keep_events(events.clone()));
    let runtime = builder.build().expect("the clockwork runtime builds");
    let start = Instant::now();
    runtime.block_on(future);
    let elapsed = start.elapsed();
    // Dropping the runtime gives the shutdown warnings.
    drop(runtime);
    let events = std::mem::take(&mut *events.lock().expect("the hook does not panic"));
    let warnings = events.iter().filter_map(warning).collect();
    Measured { elapsed, log: record::clockwork::log(&events), warnings }
}

/// An event hook that keeps every event.
fn keep_events(into: Arc<Mutex<Vec<Event>>>) -> impl Fn(&Event) + Send + Sync + 'static {
    move |event| into.lock().expect("the hook does not panic").push(event.clone())
}

/// The sentence of a warning event.
fn warning(event: &Event) -> Option<String> {
    match &event.kind {
        EventKind::Warning { message, .. } => Some(message.clone()),
        _ => None,
    }
}
// ANCHOR_END: on_clockwork

// ANCHOR: on_tokio
fn on_tokio(future: Run, paused: bool) -> Measured {
    let recorder = record::tokio::Recorder::new();
    let (park, unpark) = recorder.park_hooks();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(paused)
        .on_thread_park(park)
        .on_thread_unpark(unpark)
        .build()
        .expect("the tokio runtime builds");
    // While entered, the `rt` shim's spawns record their tasks here.
    let entered = recorder.enter();
    let start = Instant::now();
    runtime.block_on(recorder.main(future));
    let elapsed = start.elapsed();
    // Dropping the runtime drops the tasks still alive: their cancellations are recorded.
    drop(runtime);
    drop(entered);
    Measured { elapsed, log: recorder.log(), warnings: Vec::new() }
}
// ANCHOR_END: on_tokio
