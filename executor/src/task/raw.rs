//! One task in memory: a header, the future, and a hand-made vtable.
//!
//! This is one of the two files of the executor that use `unsafe` (the other is `waker.rs`).
//! A spawned future `F` is stored in one heap allocation, a [`Cell<F>`]:
//!
//! ```text
//!   TaskRef / Waker / JoinHandle all point here
//!     |
//!     v
//!   +----------------------------+  <- #[repr(C)], so a pointer to the Cell is a pointer to
//!   | Header                     |     its Header: code that does not know F can still read it
//!   |   state     (flags)        |
//!   |   refs      (count)        |
//!   |   vtable ----------------------> Vtable::<F> { poll, shutdown, read_output, ... }
//!   |   shared    (runtime)      |     (one static table per future type, made by the compiler)
//!   |   meta      (id, name, at) |
//!   |   join_waker               |
//!   +----------------------------+
//!   | stage: Running(F)          |  <- the future, later its output, later nothing
//!   |      | Finished(output)    |
//!   |      | Consumed            |
//!   +----------------------------+
//! ```
//!
//! The run queue, the wakers and the `JoinHandle` hold a type-erased pointer to the header
//! ([`TaskRef`]). When they need to do something that depends on `F` (poll it, drop it, read
//! its output), they call through the vtable, whose functions were instantiated for that `F`.
//! This is how `Waker` works in the standard library too: a data pointer plus a table of
//! functions. Spawning is one allocation: the `Box<Cell<F>>`.

use std::any::Any;
use std::cell::UnsafeCell;
use std::future::Future;
use std::mem::{self, ManuallyDrop};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Arc;
use std::sync::atomic::{self, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use crate::runtime::shared::Shared;
use crate::task::state::{Idle, Notify, Start, State};
use crate::task::{JoinError, Meta, waker};
use crate::trace::{self, PollResult};

/// The part of a task that does not depend on the future's type.
#[repr(C)]
pub(crate) struct Header {
    /// The lifecycle flags (see `state.rs` for the diagram).
    pub(crate) state: State,
    /// How many `TaskRef`s, `Waker`s and `JoinHandle`s point at this task.
    refs: AtomicUsize,
    vtable: &'static Vtable,
    /// The runtime this task belongs to: where its wakes go.
    pub(crate) shared: Arc<Shared>,
    /// Id, name and spawn location.
    pub(crate) meta: Meta,
    /// True when the future is `Send`, so it may be dropped on any thread.
    future_is_send: bool,
    /// Where this task sits in the runtime's task table. Only the runtime thread touches it; it is
    /// an atomic only so that `Header` is `Sync` without an `unsafe impl`.
    pub(crate) table_index: AtomicUsize,
    /// Counters for `Runtime::dump` and `Runtime::metrics`.
    pub(crate) stats: crate::runtime::metrics::TaskStats,
    /// The waker of whoever awaits the `JoinHandle`. Who may touch it is decided by the
    /// `JOIN_WAKER` flag in `state` (see `read_output`).
    join_waker: UnsafeCell<Option<Waker>>,
}

/// The type-erased operations on a task; one static instance per future type.
struct Vtable {
    poll: unsafe fn(NonNull<Header>) -> PollOutcome,
    shutdown: unsafe fn(NonNull<Header>),
    read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    drop_join_handle: unsafe fn(NonNull<Header>),
    dealloc: unsafe fn(NonNull<Header>),
}

/// The heap cell holding one task. `repr(C)` puts `header` at offset 0.
#[repr(C)]
struct Cell<F: Future> {
    header: Header,
    stage: UnsafeCell<Stage<F>>,
}

/// What the cell holds: the future, then its output, then nothing.
enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

/// What the run loop must do after `TaskRef::poll`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PollOutcome {
    /// The task waits for a waker; drop the queue's reference.
    Parked,
    /// The task was woken during its poll; push this reference to the back of the queue.
    Requeue,
    /// The task finished (output stored, or cancelled); remove it from the task table. The
    /// result says how: `Ready`, `Panicked` or `Cancelled`.
    Complete(PollResult),
    /// The task had already completed; nothing to do.
    Skip,
}

/// An owned, type-erased reference to a task. Cloning it bumps the count; dropping it may free
/// the task.
pub(crate) struct TaskRef {
    ptr: NonNull<Header>,
}

// SAFETY: a `TaskRef` crosses threads only through the runtime's remote queue and inside wakers.
// From another thread it is only used to change the atomic state, to count references, and to
// be sent back to the runtime thread; `poll`, `shutdown` and the stage are touched only on the
// runtime thread (the run loop is the only caller of those). Dropping the last reference on
// another thread is handled by `Cell::drop`, which refuses to drop a non-`Send` future there.
unsafe impl Send for TaskRef {}
// SAFETY: as above; `&TaskRef` offers nothing beyond what `TaskRef` offers.
unsafe impl Sync for TaskRef {}

/// Allocates a task for `future`. Returns three references: one for the task table, one for the
/// run queue, one for the `JoinHandle`.
pub(crate) fn new_task<F>(
    future: F,
    meta: Meta,
    shared: Arc<Shared>,
    future_is_send: bool,
) -> (TaskRef, TaskRef, TaskRef)
where
    F: Future + 'static,
{
    let cell = Box::new(Cell {
        header: Header {
            state: State::new(),
            refs: AtomicUsize::new(3),
            vtable: &Cell::<F>::VTABLE,
            shared,
            meta,
            future_is_send,
            table_index: AtomicUsize::new(usize::MAX),
            stats: Default::default(),
            join_waker: UnsafeCell::new(None),
        },
        stage: UnsafeCell::new(Stage::Running(future)),
    });
    let ptr = NonNull::from(Box::leak(cell)).cast::<Header>();
    (TaskRef { ptr }, TaskRef { ptr }, TaskRef { ptr })
}

// === impl TaskRef ===

impl TaskRef {
    pub(crate) fn header(&self) -> &Header {
        // SAFETY: while this reference exists the count is at least one, so the cell is alive.
        unsafe { self.ptr.as_ref() }
    }

    /// Gives up ownership of this reference as a raw pointer (for a `RawWaker`).
    pub(crate) fn into_raw(self) -> *const () {
        let ptr = self.ptr.as_ptr() as *const ();
        mem::forget(self);
        ptr
    }

    /// Takes back a reference given up by `into_raw`.
    ///
    /// # Safety
    /// - `ptr` came from `TaskRef::into_raw` (or counts as such a reference), and is used once.
    pub(crate) unsafe fn from_raw(ptr: *const ()) -> TaskRef {
        // SAFETY: `into_raw` produced it from a non-null `NonNull<Header>`.
        let ptr = unsafe { NonNull::new_unchecked(ptr as *mut Header) };
        TaskRef { ptr }
    }

    /// Polls the future once. Runtime thread only.
    pub(crate) fn poll(&self) -> PollOutcome {
        // SAFETY: the vtable was made for this cell's `F`, and the run loop is the only caller.
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    /// Drops the future (if it is still there) and completes the task as cancelled. Runtime
    /// thread only, outside any poll of this task.
    pub(crate) fn shutdown(&self) {
        // SAFETY: as for `poll`.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    /// Reads the output into `dst` (a `*mut Poll<Result<F::Output, JoinError>>`), or stores
    /// `waker` to be woken on completion.
    ///
    /// # Safety
    /// - `dst` points to a `Poll<Result<T, JoinError>>` where `T` is this task's output type.
    /// - Only the task's single `JoinHandle` calls this.
    pub(crate) unsafe fn read_output(&self, dst: *mut (), waker: &Waker) {
        // SAFETY: the caller upholds the type and exclusivity requirements.
        unsafe { (self.header().vtable.read_output)(self.ptr, dst, waker) }
    }

    /// Gives up the `JoinHandle`'s interest in the output.
    ///
    /// # Safety
    /// - Only the task's single `JoinHandle` calls this, once, from its `Drop`.
    pub(crate) unsafe fn drop_join_handle(&self) {
        // SAFETY: the caller upholds it.
        unsafe { (self.header().vtable.drop_join_handle)(self.ptr) }
    }
}

impl Clone for TaskRef {
    fn clone(&self) -> TaskRef {
        let old = self.header().refs.fetch_add(1, Ordering::Relaxed);
        // As `Arc` does: a count this large means references were leaked in a loop.
        assert!(old < isize::MAX as usize, "task reference count overflow");
        TaskRef { ptr: self.ptr }
    }
}

impl Drop for TaskRef {
    fn drop(&mut self) {
        if self.header().refs.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        // We held the last reference. The fence pairs with the `Release` of every other drop,
        // so all their writes to the cell happen before we free it (the same dance as `Arc`).
        atomic::fence(Ordering::Acquire);
        // SAFETY: the count reached zero, so nobody else can reach the cell.
        unsafe { (self.header().vtable.dealloc)(self.ptr) }
    }
}

impl std::fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header = self.header();
        f.debug_struct("TaskRef")
            .field("id", &header.meta.id)
            .field("name", &header.meta.name)
            .field("state", &header.state)
            .field("refs", &header.refs.load(Ordering::Relaxed))
            .finish()
    }
}

// === impl Header ===

impl Header {
    /// A waker fired for this task (by reference). Arrow 3 of the state diagram.
    pub(crate) fn wake_by_ref(&self, this: &TaskRef) {
        self.stats.record_wake();
        let notify = self.state.transition_to_notified();
        if self.shared.recording {
            trace::record_wake(this, notify == Notify::Submit);
        }
        if notify == Notify::Submit {
            self.shared.schedule(this.clone());
        }
    }

    /// How many `TaskRef`s, `Waker`s and `JoinHandle`s point at this task right now (for the
    /// lost-waker warning).
    pub(crate) fn refs(&self) -> usize {
        self.refs.load(Ordering::Acquire)
    }

    /// `JoinHandle::abort`. Arrow 7 of the state diagram.
    pub(crate) fn abort(&self, this: &TaskRef) {
        if self.state.transition_to_cancelled() == Notify::Submit {
            self.shared.schedule(this.clone());
        }
    }
}

// === impl Cell ===

impl<F: Future + 'static> Cell<F> {
    const VTABLE: Vtable = Vtable {
        poll: Self::poll,
        shutdown: Self::shutdown,
        read_output: Self::read_output,
        drop_join_handle: Self::drop_join_handle,
        dealloc: Self::dealloc,
    };

    /// # Safety
    /// - `ptr` points to a live `Cell<F>` (guaranteed by the vtable that led here).
    unsafe fn from_header<'a>(ptr: NonNull<Header>) -> &'a Cell<F> {
        // SAFETY: `Header` is the first field of a `repr(C)` `Cell<F>`, so the pointers agree.
        unsafe { ptr.cast::<Cell<F>>().as_ref() }
    }

    /// The stage, mutably.
    ///
    /// # Safety
    /// - The caller has exclusive access: the runtime thread while the task is not complete,
    ///   or the owner of the output after completion (see `state.rs`).
    #[allow(clippy::mut_from_ref)]
    unsafe fn stage(&self) -> &mut Stage<F> {
        // SAFETY: the caller guarantees exclusivity.
        unsafe { &mut *self.stage.get() }
    }

    /// `TaskRef::poll` for this future type: arrows 2, 4, 6, 8 and 9 of the state diagram.
    unsafe fn poll(ptr: NonNull<Header>) -> PollOutcome {
        // SAFETY: see `from_header`.
        let cell = unsafe { Self::from_header(ptr) };
        match cell.header.state.transition_to_running() {
            Start::Skip => return PollOutcome::Skip,
            Start::Cancel => {
                cell.complete(Err(JoinError::cancelled(cell.header.meta.id)));
                return PollOutcome::Complete(PollResult::Cancelled);
            }
            Start::Poll => {}
        }

        // The waker handed to the future borrows the run loop's reference: no count change
        // unless the future clones it.
        let waker = ManuallyDrop::new(waker::borrowed(ptr));
        let mut cx = Context::from_waker(&waker);
        // SAFETY: we are the runtime thread and the task is RUNNING: the stage is ours.
        let Stage::Running(future) = (unsafe { cell.stage() }) else {
            unreachable!("a RUNNING task still has its future");
        };
        // SAFETY: the future lives in a heap cell that does not move until it is freed.
        let future = unsafe { Pin::new_unchecked(future) };
        let result = panic::catch_unwind(AssertUnwindSafe(|| future.poll(&mut cx)));

        match result {
            Ok(Poll::Pending) => match cell.header.state.transition_to_idle() {
                Idle::Parked => PollOutcome::Parked,
                Idle::Requeue => PollOutcome::Requeue,
                Idle::Cancel => {
                    cell.complete(Err(JoinError::cancelled(cell.header.meta.id)));
                    PollOutcome::Complete(PollResult::Cancelled)
                }
            },
            Ok(Poll::Ready(output)) => {
                cell.complete(Ok(output));
                PollOutcome::Complete(PollResult::Ready)
            }
            Err(payload) => {
                cell.complete(Err(JoinError::panic(cell.header.meta.id, payload)));
                PollOutcome::Complete(PollResult::Panicked)
            }
        }
    }

    /// Stores the result and hands it to the `JoinHandle`. Called with the task RUNNING.
    fn complete(&self, result: Result<F::Output, JoinError>) {
        // 1. Drop the future first, on this thread. If its `Drop` panics, that panic becomes
        //    the task's result (and an output it had already produced is dropped), as in tokio.
        // SAFETY: we are the runtime thread and the task is RUNNING: the stage is ours.
        let stage = unsafe { self.stage() };
        let future = mem::replace(stage, Stage::Consumed);
        let result = match panic::catch_unwind(AssertUnwindSafe(move || drop(future))) {
            Ok(()) => result,
            Err(payload) => {
                let lost = panic::catch_unwind(AssertUnwindSafe(move || drop(result)));
                forget_panic(lost.err());
                Err(JoinError::panic(self.header.meta.id, payload))
            }
        };

        // 2. Store the result, then publish it by setting COMPLETE.
        *stage = Stage::Finished(result);
        let before = self.header.state.transition_to_complete();

        // 3. Whoever owns the output now acts on it.
        if !before.has_join_interest() {
            // Nobody will read the output: drop it here (its `Drop` must not unwind into us).
            // SAFETY: without a JoinHandle, the output is ours.
            let output = mem::replace(unsafe { self.stage() }, Stage::Consumed);
            forget_panic(panic::catch_unwind(AssertUnwindSafe(move || drop(output))).err());
        } else if before.has_join_waker() {
            // SAFETY: JOIN_WAKER was set when we completed, so the handle no longer writes the
            // slot; both sides only read it from now on.
            if let Some(waker) = unsafe { &*self.header.join_waker.get() } {
                waker.wake_by_ref();
            }
        }
    }

    /// `TaskRef::shutdown` for this future type.
    unsafe fn shutdown(ptr: NonNull<Header>) {
        // SAFETY: see `from_header`.
        let cell = unsafe { Self::from_header(ptr) };
        if cell.header.state.transition_to_shutdown() {
            cell.complete(Err(JoinError::cancelled(cell.header.meta.id)));
        }
    }

    /// `JoinHandle::poll` for this future type.
    unsafe fn read_output(ptr: NonNull<Header>, dst: *mut (), waker: &Waker) {
        // SAFETY: see `from_header`.
        let cell = unsafe { Self::from_header(ptr) };
        if !cell.header.state.load().is_complete() && cell.register_join_waker(waker) {
            return;
        }
        // The task is complete and we are its JoinHandle: the output is ours.
        // SAFETY: COMPLETE was observed with Acquire ordering, after the runtime's last write.
        let stage = mem::replace(unsafe { cell.stage() }, Stage::Consumed);
        let Stage::Finished(output) = stage else {
            panic!("JoinHandle polled after it returned Ready");
        };
        let dst = dst as *mut Poll<Result<F::Output, JoinError>>;
        // SAFETY: the caller promised `dst` has this type.
        unsafe { *dst = Poll::Ready(output) };
    }

    /// Stores `waker` in the join-waker slot. Returns false if the task completed meanwhile.
    fn register_join_waker(&self, waker: &Waker) -> bool {
        let slot = self.header.join_waker.get();
        if self.header.state.load().has_join_waker() {
            // SAFETY: with JOIN_WAKER set, both sides only read the slot.
            let stored = unsafe { &*slot };
            if stored.as_ref().is_some_and(|w| w.will_wake(waker)) {
                return true;
            }
            // Take the slot back before writing it; this fails if the task just completed.
            if self.header.state.unset_join_waker().is_err() {
                return false;
            }
        }
        // SAFETY: JOIN_WAKER is unset, so the runtime never reads the slot: it is ours.
        unsafe { *slot = Some(waker.clone()) };
        self.header.state.set_join_waker().is_ok()
    }

    /// `JoinHandle::drop` for this future type.
    unsafe fn drop_join_handle(ptr: NonNull<Header>) {
        // SAFETY: see `from_header`.
        let cell = unsafe { Self::from_header(ptr) };
        if cell.header.state.unset_join_interest().is_err() {
            // The task completed first, so the output is ours to drop. Like tokio, a panic in the
            // output's `Drop` stays here rather than unwinding out of `JoinHandle::drop`.
            // SAFETY: COMPLETE is set and we are the JoinHandle.
            let output = mem::replace(unsafe { cell.stage() }, Stage::Consumed);
            forget_panic(panic::catch_unwind(AssertUnwindSafe(move || drop(output))).err());
        } else {
            // JOIN_WAKER is now clear, so the runtime never reads the slot again: drop the
            // waker now rather than keep the awaiting task's cell alive until this one is freed.
            // SAFETY: with JOIN_WAKER clear the slot belongs to the JoinHandle.
            let waker = unsafe { (*cell.header.join_waker.get()).take() };
            drop(waker);
        }
    }

    /// Frees the cell. Called by the last `TaskRef` drop.
    unsafe fn dealloc(ptr: NonNull<Header>) {
        // SAFETY: the cell was allocated by `Box` in `new_task` with this exact type.
        let cell = unsafe { Box::from_raw(ptr.cast::<Cell<F>>().as_ptr()) };
        drop(cell);
    }
}

impl<F: Future> Drop for Cell<F> {
    fn drop(&mut self) {
        // Normally the runtime empties the stage on its own thread before the last reference
        // goes. If the runtime was leaked (`mem::forget`), a waker on another thread may hold the
        // last reference; a non-`Send` future must not be dropped there, so it is leaked too.
        let stage = self.stage.get_mut();
        let has_contents = !matches!(stage, Stage::Consumed);
        if has_contents && !self.header.future_is_send && !self.header.shared.is_owner_thread() {
            mem::forget(mem::replace(stage, Stage::Consumed));
        }
    }
}

/// Drops a panic payload caught from a `Drop`, without letting a second panic escape.
fn forget_panic(payload: Option<Box<dyn Any + Send>>) {
    if let Some(payload) = payload {
        let second = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
        // A payload whose own `Drop` panicked too: leaking it is the only quiet choice left.
        mem::forget(second);
    }
}
