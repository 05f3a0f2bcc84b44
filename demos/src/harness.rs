//! Runs a pattern on one runtime, times it, and collects what it said.

use std::time::{Duration, Instant};

use crate::{Pattern, say};

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
    /// Wall-clock time of `block_on`.
    pub elapsed: Duration,
    /// Polls and wakes of spawned tasks (Clockwork only).
    pub polls_and_wakes: Option<(u64, u64)>,
}

/// Runs `pattern` on `runtime`, on this thread.
pub fn run(pattern: &Pattern, runtime: Runtime) -> Report {
    say::take();
    say::take_asides();
    let (elapsed, polls_and_wakes) = match runtime {
        Runtime::Clockwork => run_on_clockwork(pattern),
        Runtime::Tokio => run_on_tokio(pattern),
    };
    let mut lines = say::take();
    let asides = say::take_asides();
    if !pattern.ordered {
        lines.sort();
    }
    Report { lines, asides, elapsed, polls_and_wakes }
}

fn run_on_clockwork(pattern: &Pattern) -> (Duration, Option<(u64, u64)>) {
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the clockwork runtime builds");
    let start = Instant::now();
    runtime.block_on((pattern.clockwork)());
    let elapsed = start.elapsed();
    let metrics = runtime.metrics();
    (elapsed, Some((metrics.polls, metrics.wakes)))
}

fn run_on_tokio(pattern: &Pattern) -> (Duration, Option<(u64, u64)>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the tokio runtime builds");
    let start = Instant::now();
    runtime.block_on((pattern.tokio)());
    (start.elapsed(), None)
}
