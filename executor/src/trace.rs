//! Seeing inside the runtime: recorded events, narration, a timeline, warnings and the task dump.
//!
//! The run loop tells a `Tracer` what it does: a task was spawned, a poll started and ended,
//! a waker fired (and who fired it), the thread parked and came back, timers fired, I/O was
//! ready. The tracer counts it (for `Runtime::metrics`), turns it into an [`Event`] and hands it
//! to whoever listens:
//!
//! ```text
//!   Core::run_task, Core::park, Core::woken, ...   (never the task cell itself)
//!            |
//!            v
//!         Tracer --- recording? --no--> (nothing built: one branch on a bool)
//!            | yes
//!            +--> narration on stderr        CLOCKWORK_LOG=1 / Builder::narrate
//!            +--> the Chrome timeline        CLOCKWORK_TRACE=out.json / Builder::trace_path
//!            +--> a callback                 Builder::on_event
//!
//!         Tracer --- warnings? --> a poll that blocked, a waker lost, self-wakes, leftovers
//!
//!         Tracer --- `tracing` feature? --> tokio's spans, for tokio-console (`console.rs`)
//! ```
//!
//! # Who woke whom
//!
//! The run loop keeps one value, `Core::actor`, saying who runs right now: a task (during its
//! poll), the `block_on` future, the reactor (during `turn`), the timer (during `fire_due`), or
//! the runtime itself. A waker that fires on the runtime's thread reads it; a waker that fires
//! on any other thread is "another thread". That is the whole attribution scheme.
//!
//! # What it costs
//!
//! With nothing listening and warnings off, a poll pays two counter updates and a few branches,
//! and a wake on the runtime's thread a load and a store (a wake from another thread, an
//! atomic read-modify-write): no clock read, no allocation, no lock. Warnings, on by
//! default, add the watchdog's two stores and a load per poll (`trace/watchdog.rs`: a thread,
//! not a clock read, catches the polls that block). The measured figures, and the command that
//! gives them, are in the book's "Observing the runtime" chapter ("What it costs"), the one
//! place that states them.

mod chrome;
pub(crate) mod clock;
#[cfg(feature = "tracing")]
pub(crate) mod console;
pub(crate) mod dump;
mod event;
mod narrate;
mod warnings;
mod watchdog;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use event::{
    Event, EventKind, IoDirection, ParkReason, PollResult, SocketWait, Warning, WokenBy,
};
pub use narrate::short as format_duration;
pub use warnings::WarningConfig;

use crate::task::Id;
use crate::task::raw::{Header, PollOutcome, TaskRef};
use narrate::Narrator;
use watchdog::Watchdog;

/// A callback that sees every event, from `Builder::on_event`.
pub(crate) type Hook = Arc<dyn Fn(&Event) + Send + Sync>;

/// What the `Builder` (or the environment) asked to see.
#[derive(Clone, Default)]
pub(crate) struct Config {
    /// `Some(filter)` to narrate; `None` to ask `CLOCKWORK_LOG`.
    pub(crate) narrate: Option<Option<String>>,
    /// `Some(path)` to write a timeline; `None` to ask `CLOCKWORK_TRACE`.
    pub(crate) trace_path: Option<Option<PathBuf>>,
    pub(crate) hook: Option<Hook>,
    pub(crate) warnings: WarningConfig,
    /// Measure every poll and wake with the precise clock, for the per-task times.
    pub(crate) time_polls: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("narrate", &self.narrate)
            .field("trace_path", &self.trace_path)
            .field("hook", &self.hook.is_some())
            .field("warnings", &self.warnings)
            .field("time_polls", &self.time_polls)
            .finish()
    }
}

/// How a poll is being watched.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PollStamp {
    /// It started at this `Instant::now()`: events are recorded or per-task times measured.
    Precise(Instant),
    /// The watchdog thread watches it under this sequence number (`trace/watchdog.rs`): only
    /// the blocking-poll warning needs its length, and only if it was long.
    Watched(u64),
}

/// The runtime's counters, for `Runtime::metrics`. Only the runtime thread touches them.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) tasks_spawned: Cell<u64>,
    pub(crate) polls: Cell<u64>,
    pub(crate) parks: Cell<u64>,
    pub(crate) timers_fired: Cell<u64>,
    pub(crate) io_events: Cell<u64>,
    /// Wakes of tasks that have finished (the live ones are summed from their headers).
    pub(crate) wakes_of_finished: Cell<u64>,
    /// Time inside task polls (only while polls are timed precisely).
    pub(crate) busy: Cell<Duration>,
    /// Time inside the driver.
    pub(crate) parked: Cell<Duration>,
}

/// The precise times of one task, kept only while polls are timed (`Tracer::timing`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Timing {
    /// Time inside the task's polls.
    pub(crate) busy: Duration,
    /// Total time between a wake (or the spawn) and the poll it caused: time in the run queue.
    pub(crate) scheduled: Duration,
    /// When the pending wake (or the spawn) happened, since the runtime started.
    woken_at: Option<Duration>,
}

impl Timing {
    /// At the start of a poll, `since_start` into the run: the wait since the pending wake
    /// counts as time spent in the run queue.
    fn poll_started(&mut self, since_start: Duration) {
        if let Some(woken_at) = self.woken_at.take() {
            self.scheduled += since_start.saturating_sub(woken_at);
        }
    }
}

/// Adds `amount` to a counter.
fn add<T: Copy + std::ops::Add<Output = T>>(counter: &Cell<T>, amount: T) {
    counter.set(counter.get() + amount);
}

/// The runtime's observer. It lives in `Core` and only the runtime thread touches it.
pub(crate) struct Tracer {
    pub(crate) counters: Counters,
    start: Instant,
    /// When the run loop last went into the driver.
    parked_at: Cell<Option<Instant>>,
    /// The precise times of each live task, by its index in the task table; empty unless
    /// polls are timed (`time_polls`, or events recorded), so the header does not carry them.
    timings: RefCell<Vec<Timing>>,
    /// True when something listens to events: narration, a timeline or a hook.
    recording: bool,
    /// True when polls and wakes are timed precisely: events are recorded, or per-task times
    /// were asked for.
    timing: bool,
    /// Watches polls for the blocking-poll warning when they are not timed precisely.
    watchdog: Option<Watchdog>,
    narrator: Option<Narrator>,
    /// Every event, kept for the timeline written at shutdown.
    timeline: Option<(PathBuf, RefCell<Vec<Event>>)>,
    hook: Option<Hook>,
    warnings: WarningConfig,
    /// Name and spawn location of each task seen, for narration and the timeline.
    labels: RefCell<HashMap<Id, String>>,
    /// How many tasks spawned at each place earned each warning; only the first is printed.
    warned_at: RefCell<HashMap<(Warning, &'static Location<'static>), usize>>,
    /// The tasks' `runtime.spawn` spans, for tokio-console.
    #[cfg(feature = "tracing")]
    spans: console::TaskSpans,
    /// Whether the `block_on` future earned the blocking-poll warning (once per runtime).
    block_on_warned: Cell<bool>,
    /// The sockets each task's last poll waited on, for naming a wake by the reactor
    /// ([`SocketWait`]); filled only while events are recorded.
    socket_waits: RefCell<HashMap<Id, Vec<SocketWait>>>,
}

impl Tracer {
    pub(crate) fn new(config: &Config) -> Tracer {
        let narrate = match &config.narrate {
            Some(filter) => filter.clone(),
            None => std::env::var("CLOCKWORK_LOG").ok().filter(|v| !v.is_empty() && v != "0"),
        };
        let trace_path = match &config.trace_path {
            Some(path) => path.clone(),
            None => std::env::var_os("CLOCKWORK_TRACE").filter(|v| !v.is_empty()).map(Into::into),
        };
        let narrator = narrate.map(|filter| Narrator::new(&filter));
        // Narration tells everything: the quiet warnings too.
        let mut warnings = config.warnings.clone();
        warnings.all |= narrator.is_some();
        let timeline = trace_path.map(|path| (path, RefCell::new(Vec::new())));
        let recording = narrator.is_some() || timeline.is_some() || config.hook.is_some();
        // The watchdog samples a few times per threshold; below a millisecond, time every poll.
        let threshold = config.warnings.blocking_poll;
        let watchable = threshold >= Duration::from_millis(1);
        let timing = recording || config.time_polls || (config.warnings.enabled && !watchable);
        let watchdog = (config.warnings.enabled && !timing).then(|| Watchdog::new(threshold));
        Tracer {
            counters: Counters::default(),
            start: Instant::now(),
            parked_at: Cell::new(None),
            timings: RefCell::new(Vec::new()),
            recording,
            timing,
            watchdog,
            narrator,
            timeline,
            hook: config.hook.clone(),
            warnings,
            labels: RefCell::new(HashMap::new()),
            warned_at: RefCell::new(HashMap::new()),
            #[cfg(feature = "tracing")]
            spans: console::TaskSpans::default(),
            block_on_warned: Cell::new(false),
            socket_waits: RefCell::new(HashMap::new()),
        }
    }

    /// The precise times of `header`'s task, for updating (only while polls are timed).
    fn timing_of(&self, header: &Header) -> std::cell::RefMut<'_, Timing> {
        let index = header.stats.table_index.load(std::sync::atomic::Ordering::Relaxed) as usize;
        let mut timings = self.timings.borrow_mut();
        if timings.len() <= index {
            timings.resize(index + 1, Timing::default());
        }
        std::cell::RefMut::map(timings, |timings| &mut timings[index])
    }

    /// The precise times of `header`'s task so far (zero unless polls are timed).
    pub(crate) fn timing(&self, header: &Header) -> Timing {
        let index = header.stats.table_index.load(std::sync::atomic::Ordering::Relaxed) as usize;
        self.timings.borrow().get(index).copied().unwrap_or_default()
    }

    /// True when events are recorded; wakers check this (through `Shared`) before anything else.
    pub(crate) fn is_recording(&self) -> bool {
        self.recording
    }

    /// Time since the runtime was built.
    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    // ANCHOR: emit
    /// Hands one event to every listener.
    fn emit(&self, kind: EventKind) {
        let event = Event { at: self.elapsed(), kind };
        if let Some(narrator) = &self.narrator {
            narrator.narrate(&event, &self.labels.borrow());
        }
        if let Some(hook) = &self.hook {
            hook(&event);
        }
        if let Some((_, events)) = &self.timeline {
            events.borrow_mut().push(event);
        }
    }
    // ANCHOR_END: emit

    pub(crate) fn spawned(&self, header: &Header) {
        add(&self.counters.tasks_spawned, 1);
        header.stats.set_spawned_at(clock::coarse_now());
        #[cfg(feature = "tracing")]
        self.spans.spawned(header);
        if self.timing {
            // The table index may have held a finished task: its times start afresh.
            let woken_at = Some(self.elapsed());
            *self.timing_of(header) = Timing { woken_at, ..Timing::default() };
        }
        if !self.recording {
            return;
        }
        let meta = &header.meta;
        self.labels.borrow_mut().insert(meta.id, label(header));
        let name = meta.name().map(String::from);
        self.emit(EventKind::Spawn { task: meta.id, name, location: meta.location });
    }

    // ANCHOR: poll_hooks
    /// Before a poll: counts it. Returns the start time when polls are timed. `queue_len` is
    /// asked only when the event is recorded.
    #[inline]
    pub(crate) fn poll_started(
        &self,
        task: &TaskRef,
        queue_len: impl FnOnce() -> usize,
    ) -> Option<PollStamp> {
        let header = task.header();
        header.stats.record_poll();
        add(&self.counters.polls, 1);
        #[cfg(feature = "tracing")]
        self.spans.poll_started(header);
        if let Some(watchdog) = &self.watchdog {
            return Some(PollStamp::Watched(watchdog.poll_started()));
        }
        if !self.timing {
            return None;
        }
        let now = Instant::now();
        self.timing_of(header).poll_started(now.saturating_duration_since(self.start));
        if self.recording {
            // What the task waits on is decided afresh by this poll.
            self.socket_waits.borrow_mut().remove(&header.meta.id);
            self.emit(EventKind::PollStart { task: header.meta.id, queue_len: queue_len() });
        }
        Some(PollStamp::Precise(now))
    }

    /// After a poll: notes a self-wake, a forced yield (the task spent its budget, see
    /// `task::coop`) or a completion, then, when the poll was timed, times it, checks the
    /// warnings and records it.
    #[inline]
    pub(crate) fn poll_ended(
        &self,
        task: &TaskRef,
        outcome: PollOutcome,
        started: Option<PollStamp>,
        forced_yield: bool,
    ) {
        let header = task.header();
        #[cfg(feature = "tracing")]
        self.spans.poll_ended(header, outcome.is_complete());
        if outcome == PollOutcome::Requeue {
            if forced_yield {
                header.stats.record_forced_yield();
            } else {
                header.stats.record_self_wake();
            }
            header.stats.set_woken_by(WokenBy::Task(header.meta.id));
        } else if outcome.is_complete() {
            add(&self.counters.wakes_of_finished, header.stats.wakes());
        }
        if let Some(started) = started {
            self.timed_poll_ended(task, PollResult::of(outcome, forced_yield), started);
        }
    }

    /// The part of [`Tracer::poll_ended`] that only timed polls pay for.
    #[inline]
    fn timed_poll_ended(&self, task: &TaskRef, result: PollResult, started: PollStamp) {
        let header = task.header();
        let busy = match started {
            PollStamp::Precise(started) => {
                let busy = started.elapsed();
                self.timing_of(header).busy += busy;
                add(&self.counters.busy, busy);
                Some(busy)
            }
            // Only a poll the watchdog caught has a length: it was long.
            PollStamp::Watched(seq) => self.watchdog.as_ref().and_then(|w| w.poll_ended(seq)),
        };
        if self.warnings.enabled {
            self.warnings.after_poll(task, result, busy, |warning, message| {
                self.warn(header, warning, message);
            });
        }
        if self.recording {
            // Events are recorded only while polls are timed precisely, so `busy` is known here.
            let busy = busy.unwrap_or_default();
            self.emit(EventKind::PollEnd { task: header.meta.id, result, busy });
        }
    }
    // ANCHOR_END: poll_hooks

    /// Before a poll of the `block_on` future: it is watched for blocking as a task's poll is,
    /// by the watchdog or the precise clock (whichever times task polls).
    pub(crate) fn block_on_poll_started(&self) -> Option<PollStamp> {
        if let Some(watchdog) = &self.watchdog {
            return Some(PollStamp::Watched(watchdog.poll_started()));
        }
        self.timing.then(|| PollStamp::Precise(Instant::now()))
    }

    /// After a poll of the `block_on` future: warns if it blocked, and records it.
    pub(crate) fn block_on_poll_ended(&self, started: Option<PollStamp>, ready: bool) {
        let busy = match started {
            None => return,
            Some(PollStamp::Precise(started)) => Some(started.elapsed()),
            Some(PollStamp::Watched(seq)) => self.watchdog.as_ref().and_then(|w| w.poll_ended(seq)),
        };
        let threshold = self.warnings.blocking_poll;
        let blocked = busy.filter(|busy| self.warnings.enabled && *busy > threshold);
        if let Some(busy) = blocked {
            if !self.block_on_warned.replace(true) {
                self.warn_block_on(warnings::block_on_blocking_message(busy));
            }
        }
        if self.recording {
            let busy = busy.unwrap_or_default();
            self.emit(EventKind::BlockOnPoll { busy, ready });
        }
    }

    /// The running task's poll is returning `Pending` while `socket` has nothing for it
    /// (`io/net_impls.rs`): a wake of `task` by the reactor will name it.
    pub(crate) fn waiting_on_socket(&self, task: Id, socket: SocketWait) {
        if !self.recording {
            return;
        }
        let mut waits = self.socket_waits.borrow_mut();
        let sockets = waits.entry(task).or_default();
        if !sockets.contains(&socket) {
            sockets.push(socket);
        }
    }

    /// A waker of `header`'s task fired on the runtime's thread, by `by`.
    #[inline]
    pub(crate) fn woken(&self, header: &Header, by: WokenBy, queued: bool) {
        // Every wake on the runtime's thread comes here; with no timing and no listener (the
        // default) that is two tests, inline, and the work below stays out of line.
        if self.timing || self.recording {
            self.woken_noted(header, by, queued);
        }
    }

    #[cold]
    fn woken_noted(&self, header: &Header, by: WokenBy, queued: bool) {
        if queued && self.timing {
            self.timing_of(header).woken_at = Some(self.elapsed());
        }
        if self.recording {
            let task = header.meta.id;
            let sockets = match by {
                WokenBy::Reactor => self.socket_waits.borrow().get(&task).cloned(),
                _ => None,
            };
            let sockets = sockets.unwrap_or_default();
            self.emit(EventKind::Wake { task, by, queued, sockets });
        }
    }

    /// The run loop goes into the driver, for at most `timeout`.
    pub(crate) fn parking(&self, reason: ParkReason, timeout: Option<Duration>) {
        self.parked_at.set(Some(Instant::now()));
        if reason == ParkReason::Idle {
            add(&self.counters.parks, 1);
        }
        if self.recording {
            self.emit(EventKind::Park { timeout, reason });
        }
    }

    /// The run loop is back from the driver, which dispatched `io_events` and fired
    /// `timers_fired` timers; the runtime's clock reads `clock_ms`.
    pub(crate) fn unparked(&self, io_events: usize, timers_fired: usize, clock_ms: u64) {
        let parked = self.parked_at.take().map_or(Duration::ZERO, |at| at.elapsed());
        add(&self.counters.parked, parked);
        add(&self.counters.io_events, io_events as u64);
        add(&self.counters.timers_fired, timers_fired as u64);
        if !self.recording {
            return;
        }
        self.emit(EventKind::Unpark { parked, io_events, timers_fired });
        if timers_fired > 0 {
            self.emit(EventKind::TimerFired { count: timers_fired, clock_ms });
        }
        if io_events > 0 {
            self.emit(EventKind::IoReady { count: io_events });
        }
    }

    /// At shutdown, before the tasks are cancelled: warns about tasks left with work to do.
    pub(crate) fn shutting_down<'a>(&self, tasks: impl Iterator<Item = &'a TaskRef>) {
        for task in tasks {
            // The runtime is about to drop the task: its tokio-console span closes.
            #[cfg(feature = "tracing")]
            self.spans.close(task.header());
            if !self.warnings.enabled {
                continue;
            }
            if let Some(message) = self.warnings.at_shutdown(task) {
                self.warn(task.header(), Warning::AliveAtShutdown, message);
            }
        }
    }

    /// At the very end: counts the warnings not printed, and writes the timeline, if one was
    /// asked for.
    pub(crate) fn finish(&self) {
        for ((warning, location), tasks) in self.warned_at.borrow().iter() {
            if *tasks > 1 {
                let more = tasks - 1;
                let (file, line) = (location.file(), location.line());
                eprintln!(
                    "clockwork: warning: {more} more task(s) spawned at {file}:{line} earned the \
                     same warning ({warning:?}); the first one was printed above"
                );
            }
        }
        let Some((path, events)) = &self.timeline else { return };
        let events = std::mem::take(&mut *events.borrow_mut());
        let json = chrome::render(&events, &self.labels.borrow());
        if let Err(error) = std::fs::write(path, json) {
            eprintln!("clockwork: could not write the trace to {}: {error}", path.display());
        }
    }

    /// Records a warning (once per task and kind: the caller checked), and prints it if it is the
    /// first of its kind for tasks spawned at that place.
    fn warn(&self, header: &Header, warning: Warning, message: String) {
        let tasks_so_far = {
            let mut warned_at = self.warned_at.borrow_mut();
            let count = warned_at.entry((warning, header.meta.location)).or_insert(0);
            *count += 1;
            *count
        };
        if tasks_so_far == 1 {
            eprintln!("clockwork: warning: {message}");
        }
        if self.recording {
            self.emit(EventKind::Warning { task: Some(header.meta.id), warning, message });
        }
    }

    /// Prints the warning about the `block_on` future, and records it.
    #[cold]
    fn warn_block_on(&self, message: String) {
        eprintln!("clockwork: warning: {message}");
        if self.recording {
            let warning = Warning::BlockingPoll;
            self.emit(EventKind::Warning { task: None, warning, message });
        }
    }
}

impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracer")
            .field("recording", &self.recording)
            .field("timing", &self.timing)
            .field("watchdog", &self.watchdog.is_some())
            .field("narrating", &self.narrator.is_some())
            .field("timeline", &self.timeline.as_ref().map(|(path, _)| path))
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// `task#3 fetch_user (demos/src/patterns/basic.rs:12)`: how every tool names a task.
pub(crate) fn label(header: &Header) -> String {
    format!("{:?} {}", header.meta.id, describe(header))
}

/// `fetch_user (demos/src/patterns/basic.rs:12)`, or `(demos/src/patterns/basic.rs:12)` for a
/// task without a name.
pub(crate) fn describe(header: &Header) -> String {
    let meta = &header.meta;
    let at = format!("({}:{})", meta.location.file(), meta.location.line());
    match meta.name() {
        Some(name) => format!("{name} {at}"),
        None => at,
    }
}
