//! What the runtime records: one [`Event`] per thing it does, with the time it happened.
//!
//! The event types are plain data, public so that a program (or a test) can watch them through
//! [`Builder::on_event`]. Narration, the Chrome timeline and
//! the warnings all read the same stream.
//!
//! [`Builder::on_event`]: crate::runtime::Builder::on_event

use std::fmt;
use std::net::SocketAddr;
use std::panic::Location;
use std::time::Duration;

use crate::task::Id;
use crate::task::raw::PollOutcome;

/// One thing the runtime did.
#[derive(Debug, Clone)]
pub struct Event {
    /// When it happened, on the real clock, since the runtime was built.
    pub at: Duration,
    /// What happened.
    pub kind: EventKind,
}

/// The things the runtime records.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// A task was created (it is queued for its first poll).
    Spawn {
        /// The new task.
        task: Id,
        /// Its name, from `task::Builder::name`.
        name: Option<String>,
        /// Where `spawn` was called.
        location: &'static Location<'static>,
    },
    /// The run loop is about to poll a task.
    PollStart {
        /// The task.
        task: Id,
        /// Tasks left in the run queue behind it.
        queue_len: usize,
    },
    /// A poll of a task returned.
    PollEnd {
        /// The task.
        task: Id,
        /// What the poll returned.
        result: PollResult,
        /// How long the poll held the thread.
        busy: Duration,
    },
    /// The `block_on` future was polled (it is not a task, but it wakes tasks too).
    BlockOnPoll {
        /// How long the poll held the thread.
        busy: Duration,
        /// Whether it returned `Ready`, which ends `block_on`.
        ready: bool,
    },
    /// A task's waker fired.
    Wake {
        /// The task woken.
        task: Id,
        /// Who called the waker.
        by: WokenBy,
        /// Whether this wake put the task in the run queue (false if it was already queued or
        /// already complete, or if it woke itself while running: then it is requeued after the poll).
        queued: bool,
        /// For a wake by the reactor: the sockets the task's last poll waited on, as far as the
        /// runtime could name them (see [`SocketWait`]); empty for every other wake.
        sockets: Vec<SocketWait>,
    },
    /// The run loop is about to sleep in the driver (or peek at it, with a zero timeout).
    Park {
        /// The longest it may sleep; `None` means until something wakes it.
        timeout: Option<Duration>,
        /// Why it parks.
        reason: ParkReason,
    },
    /// The run loop is back from the driver.
    Unpark {
        /// How long it was in the driver.
        parked: Duration,
        /// How many I/O events the reactor dispatched.
        io_events: usize,
        /// How many timers fired.
        timers_fired: usize,
    },
    /// Timers expired and their wakers were called.
    TimerFired {
        /// How many.
        count: usize,
        /// The runtime clock's time, in ms since it started (paused time included).
        clock_ms: u64,
    },
    /// The reactor found sockets ready and called their wakers.
    IoReady {
        /// How many events.
        count: usize,
    },
    /// A warning about a task, or about the `block_on` future (see `trace/warnings.rs`).
    Warning {
        /// The task it is about; `None` for the `block_on` future, which is not a task.
        task: Option<Id>,
        /// Which warning.
        warning: Warning,
        /// The sentence printed to stderr.
        message: String,
    },
}

/// What one poll of a task returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollResult {
    /// The task waits; its waker will bring it back.
    Pending,
    /// The task woke itself during the poll and goes to the back of the queue.
    PendingWokeItself,
    /// The task spent its cooperative budget (`task::coop`): a resource made it yield though
    /// it was ready, and it goes to the back of the queue.
    BudgetSpent,
    /// The task finished.
    Ready,
    /// The task panicked; the panic goes to its `JoinHandle`.
    Panicked,
    /// The task was aborted; its future was dropped instead of polled.
    Cancelled,
}

/// Who called a task's waker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WokenBy {
    /// A task, during its poll (the task itself, for a self-wake).
    Task(Id),
    /// The future given to `block_on`, during its poll.
    BlockOn,
    /// The reactor, while dispatching I/O readiness.
    Reactor,
    /// The timer wheel, while firing due timers.
    Timer {
        /// The runtime clock's time when it fired, in ms since it started.
        clock_ms: u64,
    },
    /// A thread other than the runtime's (a `spawn_blocking` job, a std thread).
    OtherThread,
    /// The runtime itself, outside any of the above (shutdown, for example).
    Runtime,
}

/// A socket a task was waiting on when the reactor woke it.
///
/// The reactor fires wakers without saying which socket each belongs to: it knows nothing of
/// tasks, and its wakers are plain `Waker`s. So the runtime names the socket from the other end:
/// when a read or a write of a TCP or Unix stream returns `Pending` inside a task's poll, the
/// stream's addresses are noted against that task (only while events are recorded), and a wake
/// of that task by the reactor carries the notes of its last poll. A task that waited on two
/// sockets at once gets both, since the reactor does not say which one woke it. An `accept`, a
/// `connect` or a `readable().await` is not noted: those wait inside the reactor's own futures,
/// which the executor never sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketWait {
    /// Which way the task wanted to move bytes.
    pub direction: IoDirection,
    /// The socket's own address (`None` for a Unix socket, or if the OS would not say).
    pub local: Option<SocketAddr>,
    /// The address of the other end (`None` for a Unix socket, or if the OS would not say).
    pub peer: Option<SocketAddr>,
}

/// Which way a task waited on a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoDirection {
    /// It wanted to read: the socket had no data yet.
    Read,
    /// It wanted to write: the socket's send buffer was full.
    Write,
}

/// Why the run loop parks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParkReason {
    /// Nothing is ready; it waits for the next timer, I/O or another thread.
    Idle,
    /// Work is left, but `event_interval` polls went by: it peeks at timers and I/O.
    Peek,
}

/// The warnings the runtime gives, once per task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Warning {
    /// One poll held the thread longer than the threshold.
    BlockingPoll,
    /// The task returned `Pending` and nothing holds its waker: it can never be woken.
    LostWaker,
    /// The task woke itself on most of its polls.
    SelfWakes,
    /// The task was still alive, with work pending, when the runtime shut down.
    AliveAtShutdown,
}

// === impl PollResult ===

impl PollResult {
    /// What the run loop's [`PollOutcome`] means for a reader of events; `forced_yield` says
    /// whether the task ran out of budget during the poll.
    pub(crate) fn of(outcome: PollOutcome, forced_yield: bool) -> PollResult {
        match outcome {
            PollOutcome::Idle | PollOutcome::Skip => PollResult::Pending,
            PollOutcome::Requeue if forced_yield => PollResult::BudgetSpent,
            PollOutcome::Requeue => PollResult::PendingWokeItself,
            PollOutcome::Ready => PollResult::Ready,
            PollOutcome::Panicked => PollResult::Panicked,
            PollOutcome::Cancelled => PollResult::Cancelled,
        }
    }
}

// === impl EventKind ===

impl EventKind {
    /// The short name used by the narration filter (`CLOCKWORK_LOG=poll,wake`).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Spawn { .. } => "spawn",
            EventKind::PollStart { .. } => "start",
            EventKind::PollEnd { .. } => "poll",
            EventKind::BlockOnPoll { .. } => "main",
            EventKind::Wake { .. } => "wake",
            EventKind::Park { .. } => "park",
            EventKind::Unpark { .. } => "unpark",
            EventKind::TimerFired { .. } => "timer",
            EventKind::IoReady { .. } => "io",
            EventKind::Warning { .. } => "warn",
        }
    }
}

impl fmt::Display for WokenBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WokenBy::Task(id) => write!(f, "{id:?}"),
            WokenBy::BlockOn => f.write_str("the block_on future"),
            WokenBy::Reactor => f.write_str("the reactor (I/O ready)"),
            WokenBy::Timer { clock_ms } => write!(f, "timer (at +{clock_ms}ms)"),
            WokenBy::OtherThread => f.write_str("another thread"),
            WokenBy::Runtime => f.write_str("the runtime"),
        }
    }
}

impl fmt::Display for SocketWait {
    /// `read on 127.0.0.1:5000 from 127.0.0.1:41234`, or `write on a Unix socket`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (verb, towards) = match self.direction {
            IoDirection::Read => ("read", "from"),
            IoDirection::Write => ("write", "to"),
        };
        match (self.local, self.peer) {
            (Some(local), Some(peer)) => write!(f, "{verb} on {local} {towards} {peer}"),
            (Some(local), None) => write!(f, "{verb} on {local}"),
            _ => write!(f, "{verb} on a Unix socket"),
        }
    }
}

// === WokenBy packed in one word, for the task header ===

const NEVER: u64 = 0;
const BLOCK_ON: u64 = 1;
const REACTOR: u64 = 2;
const OTHER_THREAD: u64 = 3;
const RUNTIME: u64 = 4;
/// Timers carry their clock time: `TIMER_BASE + clock_ms`, below `TASK_BASE`.
const TIMER_BASE: u64 = 1 << 8;
/// Task ids go above every clock time a runtime can reach (2^62 ms is longer than the universe).
const TASK_BASE: u64 = 1 << 62;

impl WokenBy {
    /// Packs `self` into a `u64` that an atomic in the task header can hold.
    pub(crate) fn pack(self) -> u64 {
        match self {
            WokenBy::BlockOn => BLOCK_ON,
            WokenBy::Reactor => REACTOR,
            WokenBy::OtherThread => OTHER_THREAD,
            WokenBy::Runtime => RUNTIME,
            WokenBy::Timer { clock_ms } => TIMER_BASE + clock_ms.min(TASK_BASE - TIMER_BASE - 1),
            WokenBy::Task(id) => TASK_BASE + id.as_u64(),
        }
    }

    /// The inverse of `pack`; `None` for a task never woken.
    pub(crate) fn unpack(word: u64) -> Option<WokenBy> {
        match word {
            NEVER => None,
            BLOCK_ON => Some(WokenBy::BlockOn),
            REACTOR => Some(WokenBy::Reactor),
            OTHER_THREAD => Some(WokenBy::OtherThread),
            RUNTIME => Some(WokenBy::Runtime),
            w if w >= TASK_BASE => Id::from_u64(w - TASK_BASE).map(WokenBy::Task),
            w if w >= TIMER_BASE => Some(WokenBy::Timer { clock_ms: w - TIMER_BASE }),
            _ => None,
        }
    }
}
