//! `JoinHandle`: the future that waits for a task, and [`AbortHandle`], which only cancels it.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use crate::task::blocking::Slot;
use crate::task::coop;
use crate::task::raw::TaskRef;
use crate::task::{Id, JoinError};

/// An owned permission to wait for a task's output.
///
/// Awaiting it gives `Ok(output)`, or `Err(JoinError)` when the task panicked or was aborted
/// (including when the runtime shut down first). Dropping it *detaches* the task: the task goes
/// on running and its output is dropped when it finishes.
///
/// Cancel safety: awaiting a [`JoinHandle`] in `select!` is cancel-safe; the output stays in the
/// task until a later poll takes it.
pub struct JoinHandle<T> {
    task: TaskRef,
    /// For `spawn_blocking`: the slot the pool thread fills, read here if the waiting task is
    /// cancelled while the job runs (`task/blocking.rs`).
    blocking: Option<Arc<Slot<T>>>,
    _output: PhantomData<T>,
}

// SAFETY: the handle only reaches the task through its atomic state and, once the task is
// complete, through the output, which it moves out. So sending the handle sends at most a `T`.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: `&JoinHandle` only allows `abort`, `is_finished` and `id`, which use atomics (and,
// for `spawn_blocking`, the slot's mutex).
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl<T> Unpin for JoinHandle<T> {}

// A handle holds no value of `T` while it waits, and the task cell's state is atomic: a
// panic while one is borrowed leaves nothing half-changed to observe (as in tokio).
impl<T> UnwindSafe for JoinHandle<T> {}
impl<T> RefUnwindSafe for JoinHandle<T> {}

impl<T> JoinHandle<T> {
    pub(crate) fn new(task: TaskRef) -> JoinHandle<T> {
        JoinHandle { task, blocking: None, _output: PhantomData }
    }

    /// This handle waits for a `spawn_blocking` job whose result `slot` receives.
    pub(crate) fn reading_blocking_slot(mut self, slot: Arc<Slot<T>>) -> JoinHandle<T> {
        self.blocking = Some(slot);
        self
    }

    /// Cancels the task. The runtime drops the task's future the next time it gets to it (before
    /// its first poll, or after its current one), and the handle then resolves to a
    /// [`JoinError`] for which `is_cancelled()` is true. A task that already finished keeps its
    /// output.
    pub fn abort(&self) {
        self.task.header().abort(&self.task);
    }

    /// True once the task has finished: returned, panicked, or been cancelled. For
    /// `spawn_blocking`, once its closure has ended too (it runs on even when the task that
    /// waits for it is cancelled).
    pub fn is_finished(&self) -> bool {
        let complete = self.task.header().state.load().is_complete();
        complete && self.blocking.as_ref().is_none_or(|slot| slot.job_ended())
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.task.header().meta.id
    }

    /// A handle that can abort the task but not wait for it.
    pub fn abort_handle(&self) -> AbortHandle {
        AbortHandle { task: self.task.clone() }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Joining a finished task spends a unit of the budget (`task::coop`).
        let budget = ready!(coop::poll_proceed(cx));
        let output = self.poll_output(cx);
        if output.is_ready() {
            budget.made_progress();
        }
        output
    }
}

impl<T> JoinHandle<T> {
    /// The task's output; for a `spawn_blocking` whose waiting task was cancelled (by `abort`
    /// or a shutdown), the job's own result, read from its slot, as tokio delivers it.
    fn poll_output(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>> {
        if let Some(slot) = self.blocking.as_ref().filter(|slot| slot.handle_reads()) {
            return slot.poll_for_handle(cx, self.id());
        }
        let mut output: Poll<Result<T, JoinError>> = Poll::Pending;
        let dst = &mut output as *mut Poll<Result<T, JoinError>> as *mut ();
        // SAFETY: `T` is the task's output type (`spawn` made both from the same future), and
        // this handle is the only one.
        unsafe { self.task.read_output(dst, cx.waker()) };
        match (&output, &self.blocking) {
            (Poll::Ready(Err(error)), Some(slot)) if error.is_cancelled() => {
                slot.poll_for_handle(cx, self.id())
            }
            _ => output,
        }
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        // SAFETY: this is the task's only JoinHandle, dropped once.
        let drop_handle = || unsafe { self.task.drop_join_handle() };
        if self.is_finished() {
            // The output is dropped here, and its `Drop` may ask `task::id()`: it is still the
            // finished task's output, as tokio has it.
            crate::task::with_current_id(self.id(), drop_handle);
        } else {
            drop_handle();
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle").field("task", &self.task).finish()
    }
}

/// Cancels a task without being able to wait for it. Cheap to clone; `Send` and `Sync`.
#[derive(Clone)]
pub struct AbortHandle {
    task: TaskRef,
}

impl UnwindSafe for AbortHandle {}
impl RefUnwindSafe for AbortHandle {}

impl AbortHandle {
    /// Cancels the task, as [`JoinHandle::abort`] does.
    pub fn abort(&self) {
        self.task.header().abort(&self.task);
    }

    /// True once the task has finished.
    pub fn is_finished(&self) -> bool {
        self.task.header().state.load().is_complete()
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.task.header().meta.id
    }
}

impl fmt::Debug for AbortHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle").field("task", &self.task).finish()
    }
}
