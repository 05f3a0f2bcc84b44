//! The part of a runtime that other threads may touch: the cross-thread queue and the unparker.
//!
//! Every task keeps an `Arc<Shared>` as its scheduler (the task cell's [`Schedule`] trait), so
//! that its wakers know where to send it. A wake is local when it happens on the runtime's own
//! thread while the runtime is running (the common case: a timer, a socket or another task woke
//! it): the task goes straight to the local run queue, with no lock and no atomic
//! read-modify-write beyond the task's own state. Any other wake is remote: the task is sent
//! through a crossbeam channel, and the runtime is unparked in case it is asleep in the driver.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread::{self, ThreadId};

use crossbeam_channel::{Receiver, Sender};

use crate::runtime::context;
use crate::task::raw::{self, Schedule, TaskRef};
use crate::task::state::WakeAction;
use crate::task::{JoinHandle, Meta};
use clockwork_reactor::Unparker;

/// What other threads send to the runtime thread.
pub(crate) enum Remote {
    /// A task was woken on another thread (its SCHEDULED flag is already set).
    Wake(TaskRef),
    /// A task was spawned from another thread.
    Spawn(RemoteSpawn),
}

/// A task spawned from another thread, on its way to the runtime: one reference for the task
/// table, one for the run queue.
///
/// If it never arrives (the runtime shut down first, and the message was dropped with the
/// channel or refused by it), its `Drop` cancels the task, so that the [`JoinHandle`] reports
/// `Cancelled` instead of waiting forever ([`TaskRef::cancel_undelivered`], which may run on any
/// thread because the future is `Send`).
pub(crate) struct RemoteSpawn {
    refs: Option<(TaskRef, TaskRef)>,
}

impl RemoteSpawn {
    /// Hands the two references to the runtime, which files and queues the task.
    pub(crate) fn deliver(mut self) -> (TaskRef, TaskRef) {
        self.refs.take().expect("a spawn is delivered once")
    }
}

impl Drop for RemoteSpawn {
    fn drop(&mut self) {
        if let Some((table, _queue)) = self.refs.take() {
            table.cancel_undelivered();
        }
    }
}

/// The thread-safe side of a runtime.
pub(crate) struct Shared {
    /// Tells this runtime apart from every other one in the process.
    pub(crate) id: u64,
    remote: Sender<Remote>,
    unparker: Unparker,
    /// The runtime's reactor, made current by `Handle::enter` so that sockets can be created
    /// outside `block_on` (`TcpListener::from_std` under `runtime.enter()`, as in tokio).
    pub(crate) reactor: clockwork_reactor::Handle,
    owner: ThreadId,
    /// Set once the runtime has shut down: remote wakes are then dropped on the spot.
    closed: AtomicBool,
    /// `spawn_blocking` jobs submitted and not finished. Paused time does not auto-advance
    /// while one runs.
    blocking_jobs: AtomicUsize,
}

impl Shared {
    /// A new shared side, and the receiving end of its cross-thread queue for the runtime.
    pub(crate) fn new(
        reactor: clockwork_reactor::Handle,
        unparker: Unparker,
    ) -> (Shared, Receiver<Remote>) {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let (remote, receiver) = crossbeam_channel::unbounded();
        let shared = Shared {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            remote,
            unparker,
            reactor,
            owner: thread::current().id(),
            closed: false.into(),
            blocking_jobs: AtomicUsize::new(0),
        };
        (shared, receiver)
    }

    /// Wakes the runtime if it is parked. Any thread may call it.
    pub(crate) fn unpark(&self) {
        self.unparker.unpark();
    }

    /// Spawns a `Send` future from a thread that is not running this runtime.
    pub(crate) fn spawn_remote<F>(self: &Arc<Self>, future: F, meta: Meta) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (table, queue, join) = raw::new_task(future, meta, self.clone(), true);
        let spawn = RemoteSpawn { refs: Some((table, queue)) };
        self.send_remote(Remote::Spawn(spawn));
        JoinHandle::new(join)
    }

    /// Sends a message to the runtime thread and unparks it. A message that cannot be delivered
    /// (the runtime is gone) is dropped here; for a spawn that cancels the task.
    fn send_remote(&self, message: Remote) {
        if self.is_closed() {
            return;
        }
        if self.remote.send(message).is_ok() {
            self.unpark();
        }
    }

    /// A `spawn_blocking` job was submitted (`+1`) or finished (`-1`).
    pub(crate) fn blocking_job_started(&self) {
        self.blocking_jobs.fetch_add(1, Ordering::AcqRel);
    }

    /// Also unparks the runtime: with paused time, an idle runtime sleeps without a timeout
    /// while a job runs, and must look again now that the clock may jump (the job's result may
    /// have been delivered already, or never be awaited at all if its task was aborted).
    pub(crate) fn blocking_job_finished(&self) {
        self.blocking_jobs.fetch_sub(1, Ordering::AcqRel);
        self.unpark();
    }

    pub(crate) fn blocking_jobs(&self) -> usize {
        self.blocking_jobs.load(Ordering::Acquire)
    }

    /// True on the thread that built the runtime.
    pub(crate) fn is_owner_thread(&self) -> bool {
        thread::current().id() == self.owner
    }

    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

// ANCHOR: schedule
/// The runtime as the tasks' scheduler: where a woken task goes.
impl Schedule for Arc<Shared> {
    /// The local run queue when we are on the runtime's thread inside the runtime, the
    /// cross-thread queue otherwise.
    fn schedule(&self, task: TaskRef) {
        let Err(task) = context::queue_here(self, task) else { return };
        self.send_remote(Remote::Wake(task));
    }

    fn wake(&self, task: &TaskRef, action: WakeAction) {
        let queue = action == WakeAction::Submit;
        // On the runtime's thread the run loop takes over: it counts the wake, queues the task
        // if it must, and tells its tracer who woke it.
        if context::woken_here(self, task, queue) {
            return;
        }
        // Anywhere else (another thread, or this one while the runtime is not current) the
        // count is a read-modify-write, and the task travels through the remote queue, where
        // the run loop records the wake when it drains it.
        task.header().stats.record_wake_elsewhere();
        if queue {
            self.send_remote(Remote::Wake(task.clone()));
        }
    }

    fn is_home_thread(&self) -> bool {
        self.is_owner_thread()
    }

    /// Becomes tokio's `runtime::waker` event, for tokio-console (`trace/console.rs`).
    #[cfg(feature = "tracing")]
    fn waker_op(&self, task: &TaskRef, op: crate::task::stats::WakerOp) {
        crate::trace::console::waker_op(task.header(), op);
    }
}
// ANCHOR_END: schedule

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("remote_queued", &self.remote.len())
            .field("owner", &self.owner)
            .field("closed", &self.is_closed())
            .finish()
    }
}
