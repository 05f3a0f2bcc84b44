//! Runs a pattern on one runtime, times it, and collects what it said and what Clockwork warned.
//!
//! On clockwork the runtime is built with an event hook (`Builder::on_event`) that keeps the
//! sentence of every `Warning` event: the same sentence Clockwork prints on stderr. The runtime
//! is dropped before the report is made, so the warnings given at shutdown are in it too.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clockwork::trace::{Event, EventKind};

use crate::{Pattern, Run, say, timeline};

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
    /// Polls and wakes of spawned tasks (Clockwork only).
    pub polls_and_wakes: Option<(u64, u64)>,
}

/// Runs `pattern` on `runtime`, on this thread.
pub fn run(pattern: &Pattern, runtime: Runtime) -> Report {
    run_traced(pattern, runtime, None)
}

/// Runs `pattern` on `runtime`; with `trace_dir`, also writes the run's timeline there, at
/// [`timeline::path`].
pub fn run_traced(pattern: &Pattern, runtime: Runtime, trace_dir: Option<&Path>) -> Report {
    say::take();
    say::take_asides();
    let trace_path = trace_dir.map(|dir| timeline::path(dir, pattern.name, runtime));
    let measured = match runtime {
        Runtime::Clockwork => {
            on_clockwork((pattern.clockwork)(), trace_path.as_deref(), pattern.all_warnings)
        }
        Runtime::Tokio => on_tokio(pattern, trace_path.as_deref()),
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
        polls_and_wakes: measured.polls_and_wakes,
    }
}

/// Runs `future` on a fresh clockwork runtime with every warning on, and returns the warnings
/// it gave, shutdown included. Tests use it to run half of a pitfall: the mistake, or its fix.
pub fn clockwork_warnings(future: Run) -> Vec<String> {
    let measured = on_clockwork(future, None, true);
    say::take();
    say::take_asides();
    measured.warnings
}

/// What the harness measured around one `block_on`.
struct Measured {
    elapsed: Duration,
    polls_and_wakes: Option<(u64, u64)>,
    warnings: Vec<String>,
}

// ANCHOR: on_clockwork
fn on_clockwork(future: Run, trace_path: Option<&Path>, all_warnings: bool) -> Measured {
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let mut builder = clockwork::runtime::Builder::new_current_thread();
    builder.enable_all().all_warnings(all_warnings).on_event(keep_warnings(warnings.clone()));
    if let Some(path) = trace_path {
        builder.trace_path(path);
    }
    let runtime = builder.build().expect("the clockwork runtime builds");
    let start = Instant::now();
    runtime.block_on(future);
    let elapsed = start.elapsed();
    let metrics = runtime.metrics();
    // Dropping the runtime gives the shutdown warnings and writes the timeline.
    drop(runtime);
    let warnings = std::mem::take(&mut *warnings.lock().expect("the hook does not panic"));
    Measured { elapsed, polls_and_wakes: Some((metrics.polls, metrics.wakes)), warnings }
}

/// An event hook that keeps the sentence of every warning.
fn keep_warnings(into: Arc<Mutex<Vec<String>>>) -> impl Fn(&Event) + Send + Sync + 'static {
    move |event| {
        if let EventKind::Warning { message, .. } = &event.kind {
            into.lock().expect("the hook does not panic").push(message.clone());
        }
    }
}
// ANCHOR_END: on_clockwork

fn on_tokio(pattern: &Pattern, trace_path: Option<&Path>) -> Measured {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the tokio runtime builds");
    let start = Instant::now();
    runtime.block_on((pattern.tokio)());
    let elapsed = start.elapsed();
    drop(runtime);
    if let Some(path) = trace_path {
        timeline::write_tokio(path, pattern.name, elapsed);
    }
    Measured { elapsed, polls_and_wakes: None, warnings: Vec::new() }
}
