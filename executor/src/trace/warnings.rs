//! The warnings: what a person watching the runtime would want to be told, once per task.
//!
//! Each task earns each warning at most once. On stderr, a warning is printed for the first
//! task spawned at a given place that earns it; the others spawned there (a loop that spawns a
//! thousand connections shares its bug a thousand times) are counted, and the count is printed
//! when the runtime shuts down. The event hook and the timeline see every one.
//!
//! Four rules, in the spirit of tokio-console's lints (written afresh here):
//!
//! 1. Blocking poll: one poll held the thread longer than `blocking_poll` (100 ms by default).
//!    Every other task waited that long. The `block_on` future's polls are watched the same way,
//!    and it earns the warning once per runtime.
//! 2. Lost waker: a poll returned `Pending`, and the only references left to the task are the
//!    runtime's own (the task table's, the run loop's, and the [`JoinHandle`]'s, which cannot
//!    wake it). Nothing holds its waker, so nothing can ever wake it.
//! 3. Self-wakes: after `self_wake_min_polls` polls, the task woke itself on more than half of
//!    them. It is spinning ([`yield_now`] in a loop, or a future that wakes itself instead of
//!    registering its waker with whoever will make it ready).
//! 4. Alive at shutdown: the runtime is dropped while the task has not finished, so it is
//!    cancelled and its future dropped: it was never polled, or it was woken and not polled
//!    again, or it lost its waker, or it was still waiting (on a timer, a socket, a channel).
//!    That last case is the task leak of the patterns document: work that outlived its owner.
//!    A task that was aborted is not reported: dropping it is what was asked for.
//!
//! Rules 1 and 2 flag likely bugs and are on by default. Rules 3 and 4 are also what a correct
//! program does now and then (a server's accept loop is alive when its runtime drops), so they
//! are given only when asked: `Builder::all_warnings(true)`, or narration (`CLOCKWORK_LOG`).
//! A correct program then prints nothing on Clockwork that it would not print on tokio.
//!
//! [`JoinHandle`]: crate::task::JoinHandle
//! [`yield_now`]: fn@crate::task::yield_now

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::task::raw::TaskRef;
use crate::trace::{PollResult, Warning, label};

/// Which warnings are given, and their thresholds.
///
/// ```
/// use std::time::Duration;
/// let runtime = clockwork::runtime::Builder::new_current_thread().enable_all()
///     .warnings(true)
///     .blocking_poll_threshold(Duration::from_millis(20))
///     .build()
///     .unwrap();
/// # drop(runtime);
/// ```
#[derive(Debug, Clone)]
pub struct WarningConfig {
    /// Whether warnings are given at all (default: true).
    pub(crate) enabled: bool,
    /// Whether the two warnings that a correct program may earn are given too: a task still
    /// alive at shutdown (a server's accept loop usually is) and a task that keeps waking
    /// itself. Off by default, so that a correct program prints nothing tokio would not;
    /// `Builder::all_warnings` and narration (`CLOCKWORK_LOG`) turn them on.
    pub(crate) all: bool,
    /// A poll longer than this is a blocking poll (default: 100 ms).
    pub(crate) blocking_poll: Duration,
    /// Self-wakes are judged only after this many polls (default: 10).
    pub(crate) self_wake_min_polls: u64,
}

impl Default for WarningConfig {
    fn default() -> WarningConfig {
        WarningConfig {
            enabled: true,
            all: false,
            blocking_poll: Duration::from_millis(100),
            self_wake_min_polls: 10,
        }
    }
}

impl WarningConfig {
    /// Hands `warn` each warning earned by one poll of `task` that returned `result` and, if
    /// it was long, took `busy`. Runs after every poll, so the common case (nothing to say, or
    /// already said) is inline: a comparison or two and a load; building a message is not.
    #[inline]
    pub(crate) fn after_poll(
        &self,
        task: &TaskRef,
        result: PollResult,
        busy: Option<Duration>,
        mut warn: impl FnMut(Warning, String),
    ) {
        if let Some(busy) = busy.filter(|busy| *busy > self.blocking_poll) {
            if first_time(task, Warning::BlockingPoll) {
                warn(Warning::BlockingPoll, blocking_message(task, busy));
            }
        }
        // A lost waker shows after a plain `Pending`; spinning after a poll that woke itself.
        match result {
            PollResult::Pending if has_no_waker(task) && first_time(task, Warning::LostWaker) => {
                warn(Warning::LostWaker, lost_waker_message(task));
            }
            PollResult::PendingWokeItself
                if self.all && !already_given(task, Warning::SelfWakes) =>
            {
                if let Some(message) = self.spinning_message(task) {
                    warn(Warning::SelfWakes, message);
                }
            }
            _ => {}
        }
    }

    /// The self-wake warning, if `task` woke itself on most of its polls so far (and it is the
    /// first time it is given).
    #[cold]
    fn spinning_message(&self, task: &TaskRef) -> Option<String> {
        let header = task.header();
        let polls = header.stats.polls();
        let self_wakes = header.stats.self_wakes();
        let spinning = polls >= self.self_wake_min_polls && self_wakes * 2 > polls;
        if !spinning || !first_time(task, Warning::SelfWakes) {
            return None;
        }
        Some(format!(
            "{} woke itself on {self_wakes} of its {polls} polls; it is busy-looping instead of \
             waiting for something to wake it",
            label(header)
        ))
    }

    /// The warning for a task still alive when the runtime shuts down, if it deserves one.
    pub(crate) fn at_shutdown(&self, task: &TaskRef) -> Option<String> {
        if !self.all {
            return None;
        }
        let header = task.header();
        let state = header.state.load();
        if state.is_complete() || state.is_cancelled() {
            return None;
        }
        let why = if header.stats.polls() == 0 {
            "was never polled"
        } else if state.is_scheduled() {
            "was woken but not polled again"
        } else if has_no_waker_at_rest(task) {
            "waited for a wake that could not come (nothing held its waker)"
        } else {
            "was still waiting (for a timer, a socket, a channel or another task)"
        };
        if !first_time(task, Warning::AliveAtShutdown) {
            return None;
        }
        Some(format!("{} {why} when the runtime shut down; it was cancelled", label(header)))
    }
}

/// True after a `Pending` poll when only the runtime holds the task: the task table, the run
/// loop's reference (still held by `Core::run_task`), and the `JoinHandle` if it still exists.
fn has_no_waker(task: &TaskRef) -> bool {
    runtime_only(task, 2)
}

/// The same check outside a poll: the task table's reference and the `JoinHandle`'s.
fn has_no_waker_at_rest(task: &TaskRef) -> bool {
    runtime_only(task, 1)
}

fn runtime_only(task: &TaskRef, runtime_refs: usize) -> bool {
    let header = task.header();
    let state = header.state.load();
    if state.is_scheduled() || state.is_complete() {
        return false;
    }
    let join_handle = usize::from(state.has_join_interest());
    header.refs() == runtime_refs + join_handle
}

#[cold]
fn blocking_message(task: &TaskRef, busy: Duration) -> String {
    format!(
        "{} blocked the runtime for {} ms in one poll; use spawn_blocking for blocking work, or \
         .await instead of sleeping",
        label(task.header()),
        busy.as_millis()
    )
}

/// The blocking-poll warning for the `block_on` future, which has no task header to name.
#[cold]
pub(crate) fn block_on_blocking_message(busy: Duration) -> String {
    format!(
        "the block_on future blocked the runtime for {} ms in one poll; use spawn_blocking for \
         blocking work, or .await instead of sleeping",
        busy.as_millis()
    )
}

#[cold]
fn lost_waker_message(task: &TaskRef) -> String {
    format!(
        "{} returned Pending but nothing holds its waker: it can never be woken (a future \
         returned Pending without storing cx.waker())",
        label(task.header())
    )
}

/// Whether `warning` was already given for `task`.
fn already_given(task: &TaskRef, warning: Warning) -> bool {
    let bit = 1u8 << (warning as u8);
    task.header().stats.warned.load(Ordering::Relaxed) & bit != 0
}

/// Marks `warning` as given for `task`; false if it already was. A plain load answers the
/// common case (a spinning task is checked on every poll) without a read-modify-write.
fn first_time(task: &TaskRef, warning: Warning) -> bool {
    let bit = 1u8 << (warning as u8);
    let warned = &task.header().stats.warned;
    if warned.load(Ordering::Relaxed) & bit != 0 {
        return false;
    }
    let before = warned.fetch_or(bit, Ordering::Relaxed);
    before & bit == 0
}
