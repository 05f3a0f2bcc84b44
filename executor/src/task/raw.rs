//! One task in memory: a header, its scheduler, the future, and a hand-made vtable.
//!
//! This is one of the two files of the executor that use `unsafe` (the other is `waker.rs`).
//! A spawned future `F` is stored in one heap allocation, a [`TaskCell<F, S>`], next to the
//! scheduler `S` that decides where the task goes when it is woken:
//!
//! ```text
//!   TaskRef / Waker / JoinHandle all point here
//!     |
//!     v
//!   +----------------------------+  <- #[repr(C)], so a pointer to the cell is a pointer to
//!   | Header                     |     its Header: code that knows neither F nor S can read it
//!   |   state     (flags)        |
//!   |   refs      (count)        |
//!   |   vtable ----------------------> Vtable::<F, S> { poll, schedule, wake, read_output, ... }
//!   |   meta      (id, name, at) |     (one static table per (F, S), made by the compiler)
//!   |   stats     (notes)        |
//!   |   join_waker               |
//!   +----------------------------+
//!   | scheduler: S               |  <- where wakes go: the runtime's, for every real task
//!   +----------------------------+
//!   | stage: Running(F)          |  <- the future, later its output, later nothing
//!   |      | Finished(output)    |
//!   |      | Consumed            |
//!   +----------------------------+
//! ```
//!
//! The run queue, the wakers and the [`JoinHandle`] hold a type-erased pointer to the header
//! ([`TaskRef`]). When they need to do something that depends on `F` or `S` (poll the future,
//! drop it, read its output, schedule the task), they call through the vtable, whose functions
//! were instantiated for that `F` and `S`. This is how `Waker` works in the standard library
//! too: a data pointer plus a table of functions. Spawning is one allocation.
//!
//! This file knows nothing of the runtime: a task reaches it only through the [`Schedule`]
//! trait, as in the async-task crate. The runtime implements it (`runtime/shared.rs`).
//!
//! [`JoinHandle`]: crate::task::JoinHandle

use std::cell::UnsafeCell;
use std::future::Future;
use std::mem::{self, ManuallyDrop};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::sync::atomic::{self, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use crate::contain::{self, forget_panic};
use crate::task::state::{AfterPoll, Start, State, WakeAction};
use crate::task::stats::TaskStats;
#[cfg(feature = "tracing")]
use crate::task::stats::WakerOp;
use crate::task::{JoinError, Meta, waker};

/// What a task needs from whoever runs it: somewhere to go when it must be polled.
pub(crate) trait Schedule: Send + Sync + 'static {
    /// Puts `task`, which was idle, into a run queue: it was woken, or aborted. Any thread.
    fn schedule(&self, task: TaskRef);

    /// A waker of `task` fired, and the state machine answered `action`. Any thread.
    ///
    /// The default queues the task when asked to. A runtime that keeps records (who woke the
    /// task, how often) overrides it, so that the task cell itself never calls a tracer.
    fn wake(&self, task: &TaskRef, action: WakeAction) {
        if action == WakeAction::Submit {
            self.schedule(task.clone());
        }
    }

    /// True on the thread that polls the tasks: a future that is not `Send` may only be
    /// dropped there.
    fn is_home_thread(&self) -> bool;

    /// One of `task`'s wakers was cloned, woken or dropped, for tools that count wakers
    /// (tokio-console, through the `tracing` feature). Any thread. The default does nothing.
    #[cfg(feature = "tracing")]
    fn waker_op(&self, task: &TaskRef, op: WakerOp) {
        let _ = (task, op);
    }
}

/// The part of a task that depends on neither the future's type nor the scheduler's.
#[repr(C)]
pub(crate) struct Header {
    /// The lifecycle flags (see `state.rs` for the diagram).
    pub(crate) state: State,
    /// How many [`TaskRef`]s, `Waker`s and `JoinHandle`s point at this task.
    refs: AtomicUsize,
    vtable: &'static Vtable,
    /// Id, name and spawn location.
    pub(crate) meta: Meta,
    /// What the runtime and its tools note about the task; the cell never reads it.
    pub(crate) stats: TaskStats,
    /// The waker of whoever awaits the `JoinHandle`. Who may touch it is decided by the
    /// `JOIN_WAKER` flag in `state` (see `read_output`).
    join_waker: UnsafeCell<Option<Waker>>,
}

/// The type-erased operations on a task; one static instance per future type and scheduler.
///
/// # The contract
///
/// Every function takes a pointer to the header of a live [`TaskCell<F, S>`] whose `F` and `S`
/// are the ones this vtable was made for. That half holds by construction: a header's vtable
/// is only ever reached through that header, and `new_task` pairs them. The callers, all in
/// this file, promise the rest:
///
/// - `poll` runs on the runtime's thread, and never while another `poll` or `shutdown` of the
///   same task runs (the run loop is its only caller, one task at a time).
/// - `shutdown` runs on the runtime's thread outside any poll of the task, or, for a task that
///   never reached its runtime, on any thread: its future is `Send`, and nothing else can poll
///   it, because it was never queued ([`TaskRef::cancel_undelivered`]).
/// - `read_output` and `drop_join_handle` are called only by the task's single [`JoinHandle`]
///   (`read_output` with a destination of the right output type), and `drop_join_handle` once.
/// - `schedule`, `wake` and `waker_op` may run on any thread; they only call the scheduler,
///   which is `Sync`.
/// - `dealloc` runs once, when the reference count reaches zero.
///
/// [`JoinHandle`]: crate::task::JoinHandle
struct Vtable {
    /// True when the future is `Send`, so it may be dropped on any thread. It lives here rather
    /// than in the header, where a `bool` would cost 8 bytes of padding per task: `new_task`
    /// picks one of two tables for each future type.
    future_is_send: bool,
    poll: unsafe fn(NonNull<Header>) -> PollOutcome,
    shutdown: unsafe fn(NonNull<Header>),
    schedule: unsafe fn(&TaskRef),
    wake: unsafe fn(&TaskRef, WakeAction),
    #[cfg(feature = "tracing")]
    waker_op: unsafe fn(&TaskRef, WakerOp),
    read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    drop_join_handle: unsafe fn(NonNull<Header>),
    dealloc: unsafe fn(NonNull<Header>),
}

/// The heap cell holding one task. `repr(C)` puts `header` at offset 0.
#[repr(C)]
struct TaskCell<F: Future, S: Schedule> {
    header: Header,
    scheduler: S,
    stage: UnsafeCell<Stage<F>>,
}

/// What the cell holds: the future, then its output, then nothing.
enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

/// What the run loop must do after [`TaskRef::poll`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PollOutcome {
    /// The task went idle: it waits for a waker. Drop the queue's reference.
    Idle,
    /// The task was woken during its poll; push this reference to the back of the queue.
    Requeue,
    /// The task finished with its output stored; remove it from the task table.
    Ready,
    /// The task panicked; the panic is stored for its `JoinHandle`. Remove it from the table.
    Panicked,
    /// The task was aborted and its future dropped. Remove it from the table.
    Cancelled,
    /// The task had already completed; nothing to do.
    Skip,
}

impl PollOutcome {
    /// True when the task completed during this poll (it must leave the task table).
    pub(crate) fn is_complete(self) -> bool {
        matches!(self, PollOutcome::Ready | PollOutcome::Panicked | PollOutcome::Cancelled)
    }
}

/// An owned, type-erased reference to a task. Cloning it bumps the count; dropping it may free
/// the task.
pub(crate) struct TaskRef {
    ptr: NonNull<Header>,
}

// SAFETY: a `TaskRef` crosses threads only through the runtime's remote queue and inside wakers.
// From another thread it is only used to change the atomic state, to count references, to call
// the `Sync` scheduler, and to be sent back to the runtime thread; `poll` and the stage are
// touched only on the runtime thread (the vtable contract). Dropping the last reference on
// another thread is handled by `TaskCell::drop`, which refuses to drop a non-`Send` future there.
unsafe impl Send for TaskRef {}
// SAFETY: as above; `&TaskRef` offers nothing beyond what `TaskRef` offers.
unsafe impl Sync for TaskRef {}

/// Allocates a task for `future`, to be scheduled by `scheduler`. Returns three references: one
/// for the task table, one for the run queue, one for the `JoinHandle`.
pub(crate) fn new_task<F, S>(
    future: F,
    meta: Meta,
    scheduler: S,
    future_is_send: bool,
) -> (TaskRef, TaskRef, TaskRef)
where
    F: Future + 'static,
    S: Schedule,
{
    let cell = Box::new(TaskCell {
        header: Header {
            state: State::new(),
            refs: AtomicUsize::new(3),
            vtable: if future_is_send {
                &TaskCell::<F, S>::VTABLE_SEND
            } else {
                &TaskCell::<F, S>::VTABLE_LOCAL
            },
            meta,
            stats: TaskStats::default(),
            join_waker: UnsafeCell::new(None),
        },
        scheduler,
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
    /// - `ptr` came from [`TaskRef::into_raw`] (or counts as such a reference), and is used once.
    pub(crate) unsafe fn from_raw(ptr: *const ()) -> TaskRef {
        // SAFETY: `into_raw` produced it from a non-null `NonNull<Header>`.
        let ptr = unsafe { NonNull::new_unchecked(ptr as *mut Header) };
        TaskRef { ptr }
    }

    /// Polls the future once. Runtime thread only: the run loop is the only caller.
    pub(crate) fn poll(&self) -> PollOutcome {
        // SAFETY: the header's own vtable, and the run loop polls one task at a time on its
        // thread (the vtable contract for `poll`).
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    /// Drops the future (if it is still there) and completes the task as cancelled. Runtime
    /// thread only, outside any poll of this task: the runtime's shutdown is the caller.
    pub(crate) fn shutdown(&self) {
        // SAFETY: the header's own vtable; the caller is the runtime thread, between polls.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    /// Cancels a task spawned from another thread that never reached its runtime (the runtime
    /// shut down first), so that its [`JoinHandle`] reports `Cancelled` instead of waiting forever.
    ///
    /// Unlike [`TaskRef::shutdown`], this may run on any thread. That is sound because such a
    /// task's future is `Send` (only [`Handle::spawn`] makes one, and it requires `Send`), so it
    /// may be dropped here, and because nothing else can poll it: it was never in a run queue.
    ///
    /// [`JoinHandle`]: crate::task::JoinHandle
    /// [`Handle::spawn`]: crate::runtime::Handle::spawn
    pub(crate) fn cancel_undelivered(&self) {
        let future_is_send = self.header().vtable.future_is_send;
        debug_assert!(future_is_send, "only a Send task travels between threads");
        // SAFETY: the header's own vtable, and the second case of the contract for `shutdown`.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    /// Reads the output into `dst` (a `*mut Poll<Result<F::Output, JoinError>>`), or stores
    /// `waker` to be woken on completion.
    ///
    /// # Safety
    /// - `dst` points to a `Poll<Result<T, JoinError>>` where `T` is this task's output type.
    /// - Only the task's single [`JoinHandle`] calls this.
    ///
    /// [`JoinHandle`]: crate::task::JoinHandle
    pub(crate) unsafe fn read_output(&self, dst: *mut (), waker: &Waker) {
        // SAFETY: the header's own vtable; the caller upholds the rest of the contract.
        unsafe { (self.header().vtable.read_output)(self.ptr, dst, waker) }
    }

    /// Gives up the `JoinHandle`'s interest in the output.
    ///
    /// # Safety
    /// - Only the task's single `JoinHandle` calls this, once, from its `Drop`.
    pub(crate) unsafe fn drop_join_handle(&self) {
        // SAFETY: the header's own vtable; the caller upholds the rest of the contract.
        unsafe { (self.header().vtable.drop_join_handle)(self.ptr) }
    }
}

impl TaskRef {
    /// Whether `other` points at the same task.
    pub(crate) fn same_task(&self, other: &TaskRef) -> bool {
        self.ptr == other.ptr
    }
}

impl Clone for TaskRef {
    fn clone(&self) -> TaskRef {
        let old = self.header().refs.fetch_add(1, Ordering::Relaxed);
        // As `Arc` does: a count this large means references were leaked in a loop.
        assert!(old < isize::MAX as usize, "a task has fewer than isize::MAX references");
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
        // SAFETY: the header's own vtable; the count reached zero, so this is the one call.
        unsafe { (self.header().vtable.dealloc)(self.ptr) }
    }
}

impl std::fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header = self.header();
        f.debug_struct("TaskRef")
            .field("id", &header.meta.id)
            .field("name", &header.meta.name())
            .field("state", &header.state)
            .field("refs", &header.refs.load(Ordering::Relaxed))
            .finish()
    }
}

// === impl Header ===

impl Header {
    /// A waker fired for this task (by reference). Arrows 3 and 5 of the state diagram: the
    /// state machine decides, and the scheduler acts.
    pub(crate) fn wake_by_ref(&self, this: &TaskRef) {
        let action = self.state.transition_to_notified();
        // SAFETY: the header's own vtable; `wake` may run on any thread.
        unsafe { (self.vtable.wake)(this, action) }
    }

    /// Tells the scheduler what happened to one of this task's wakers (`waker.rs`).
    #[cfg(feature = "tracing")]
    pub(crate) fn waker_op(&self, this: &TaskRef, op: WakerOp) {
        // SAFETY: the header's own vtable; `waker_op` may run on any thread.
        unsafe { (self.vtable.waker_op)(this, op) }
    }

    /// How many [`TaskRef`]s, `Waker`s and `JoinHandle`s point at this task right now (for the
    /// lost-waker warning).
    pub(crate) fn refs(&self) -> usize {
        self.refs.load(Ordering::Acquire)
    }

    /// `JoinHandle::abort`. Arrow 7 of the state diagram.
    pub(crate) fn abort(&self, this: &TaskRef) {
        if self.state.transition_to_cancelled() == WakeAction::Submit {
            // SAFETY: the header's own vtable; `schedule` may run on any thread.
            unsafe { (self.vtable.schedule)(this) }
        }
    }
}

// === impl TaskCell ===

impl<F: Future + 'static, S: Schedule> TaskCell<F, S> {
    const VTABLE_SEND: Vtable = Vtable { future_is_send: true, ..Self::VTABLE_LOCAL };
    const VTABLE_LOCAL: Vtable = Vtable {
        future_is_send: false,
        poll: Self::poll,
        shutdown: Self::shutdown,
        schedule: Self::schedule,
        wake: Self::wake,
        #[cfg(feature = "tracing")]
        waker_op: Self::waker_op,
        read_output: Self::read_output,
        drop_join_handle: Self::drop_join_handle,
        dealloc: Self::dealloc,
    };

    /// The cell behind a header pointer.
    ///
    /// # Safety
    /// - `ptr` is the header of a live `TaskCell<F, S>` (the first half of the vtable contract).
    unsafe fn from_header<'a>(ptr: NonNull<Header>) -> &'a TaskCell<F, S> {
        // SAFETY: `Header` is the first field of a `repr(C)` `TaskCell`, so the pointers agree,
        // and the caller promised the cell is alive and of this type.
        unsafe { ptr.cast::<TaskCell<F, S>>().as_ref() }
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

    /// [`TaskRef::poll`] for this future type: arrows 2, 4, 6, 8 and 9 of the state diagram.
    ///
    /// # Safety
    /// - The vtable contract for `poll`: `ptr` is a live `TaskCell<F, S>`, and this is the
    ///   runtime's thread, with no other poll or shutdown of the task running.
    unsafe fn poll(ptr: NonNull<Header>) -> PollOutcome {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(ptr) };
        match cell.header.state.transition_to_running() {
            Start::Skip => return PollOutcome::Skip,
            Start::Cancel => {
                cell.complete(Err(JoinError::cancelled(cell.header.meta.id)));
                return PollOutcome::Cancelled;
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
                AfterPoll::Idle => PollOutcome::Idle,
                AfterPoll::Requeue => PollOutcome::Requeue,
                AfterPoll::Cancel => {
                    cell.complete(Err(JoinError::cancelled(cell.header.meta.id)));
                    PollOutcome::Cancelled
                }
            },
            Ok(Poll::Ready(output)) => {
                cell.complete(Ok(output));
                PollOutcome::Ready
            }
            Err(payload) => {
                cell.complete(Err(JoinError::panic(cell.header.meta.id, payload)));
                PollOutcome::Panicked
            }
        }
    }

    /// Stores the result and hands it to the `JoinHandle`. Called with the task RUNNING.
    fn complete(&self, result: Result<F::Output, JoinError>) {
        // 1. Drop the future first, on this thread, where it lies: it is pinned, so it must not
        //    move before its `Drop` runs (an async fn's locals may borrow each other, and a
        //    guard's `Drop` follows such a borrow). If its `Drop` panics, that panic becomes the
        //    task's result (and an output it had already produced is dropped), as in tokio.
        let stage: *mut Stage<F> = self.stage.get();
        // SAFETY: we are the runtime thread and the task is RUNNING: the stage is ours, and it
        // holds the future, which is dropped once here.
        let dropped =
            panic::catch_unwind(AssertUnwindSafe(|| unsafe { ptr::drop_in_place(stage) }));
        // SAFETY: the stage was just dropped (a panicking `Drop` still drops the rest of the
        // value while unwinding), so it is overwritten without being dropped again.
        unsafe { ptr::write(stage, Stage::Consumed) };
        // SAFETY: as above, the stage is ours.
        let stage = unsafe { self.stage() };
        let result = match dropped {
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
            contain::drop_value(output);
        } else if before.has_join_waker() {
            // SAFETY: JOIN_WAKER was set when we completed, so the handle no longer writes the
            // slot; both sides only read it from now on.
            if let Some(waker) = unsafe { &*self.header.join_waker.get() } {
                // The waker is the awaiting code's; a panic in it must not unwind into the run
                // loop, which still has to take this task out of its table.
                contain::wake_by_ref(waker);
            }
        }
    }

    /// [`TaskRef::shutdown`] and [`TaskRef::cancel_undelivered`] for this future type.
    ///
    /// # Safety
    /// - The vtable contract for `shutdown`: `ptr` is a live `TaskCell<F, S>`, and either this
    ///   is the runtime's thread outside any poll of the task, or the task never reached its
    ///   runtime and its future is `Send`.
    unsafe fn shutdown(ptr: NonNull<Header>) {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(ptr) };
        if cell.header.state.transition_to_shutdown() {
            cell.complete(Err(JoinError::cancelled(cell.header.meta.id)));
        }
    }

    /// Hands the task to its scheduler's run queue.
    ///
    /// # Safety
    /// - The vtable contract: `task` points to a live `TaskCell<F, S>`. Any thread.
    unsafe fn schedule(task: &TaskRef) {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(task.ptr) };
        cell.scheduler.schedule(task.clone());
    }

    /// Tells the task's scheduler that a waker fired.
    ///
    /// # Safety
    /// - The vtable contract: `task` points to a live `TaskCell<F, S>`. Any thread.
    unsafe fn wake(task: &TaskRef, action: WakeAction) {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(task.ptr) };
        cell.scheduler.wake(task, action);
    }

    /// Tells the task's scheduler what happened to one of its wakers.
    ///
    /// # Safety
    /// - The vtable contract: `task` points to a live `TaskCell<F, S>`. Any thread.
    #[cfg(feature = "tracing")]
    unsafe fn waker_op(task: &TaskRef, op: WakerOp) {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(task.ptr) };
        cell.scheduler.waker_op(task, op);
    }

    /// [`JoinHandle::poll`] for this future type.
    ///
    /// # Safety
    /// - The vtable contract for `read_output`: `ptr` is a live `TaskCell<F, S>`, the caller is
    ///   its single [`JoinHandle`], and `dst` is a `*mut Poll<Result<F::Output, JoinError>>`.
    ///
    /// [`JoinHandle::poll`]: crate::task::JoinHandle::poll
    /// [`JoinHandle`]: crate::task::JoinHandle
    unsafe fn read_output(ptr: NonNull<Header>, dst: *mut (), waker: &Waker) {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(ptr) };
        if !cell.header.state.load().is_complete() && cell.register_join_waker(waker) {
            return;
        }
        // The task is complete and we are its JoinHandle: the output is ours.
        // SAFETY: COMPLETE was observed with Acquire ordering, after the runtime's last write.
        let stage = mem::replace(unsafe { cell.stage() }, Stage::Consumed);
        let Stage::Finished(output) = stage else {
            panic!("a JoinHandle is polled again only until it returns Ready");
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

    /// [`JoinHandle::drop`] for this future type.
    ///
    /// # Safety
    /// - The vtable contract for `drop_join_handle`: `ptr` is a live `TaskCell<F, S>`, and the
    ///   caller is its single [`JoinHandle`], being dropped.
    ///
    /// [`JoinHandle::drop`]: crate::task::JoinHandle::drop
    /// [`JoinHandle`]: crate::task::JoinHandle
    unsafe fn drop_join_handle(ptr: NonNull<Header>) {
        // SAFETY: the caller promised a live cell of this type.
        let cell = unsafe { Self::from_header(ptr) };
        if cell.header.state.unset_join_interest().is_err() {
            // The task completed first, so the output is ours to drop. Like tokio, a panic in the
            // output's `Drop` stays here rather than unwinding out of `JoinHandle::drop`.
            // SAFETY: COMPLETE is set and we are the JoinHandle.
            let output = mem::replace(unsafe { cell.stage() }, Stage::Consumed);
            contain::drop_value(output);
        } else {
            // JOIN_WAKER is now clear, so the runtime never reads the slot again: drop the
            // waker now rather than keep the awaiting task's cell alive until this one is freed.
            // SAFETY: with JOIN_WAKER clear the slot belongs to the JoinHandle.
            let waker = unsafe { (*cell.header.join_waker.get()).take() };
            drop(waker);
        }
    }

    /// Frees the cell. Called by the last [`TaskRef`] drop.
    ///
    /// # Safety
    /// - The vtable contract for `dealloc`: `ptr` is a live `TaskCell<F, S>` whose reference
    ///   count just reached zero, so nobody else can reach it.
    unsafe fn dealloc(ptr: NonNull<Header>) {
        // SAFETY: `new_task` allocated the cell with `Box` and this exact type, and the caller
        // holds the last reference.
        let mut cell = unsafe { Box::from_raw(ptr.cast::<TaskCell<F, S>>().as_ptr()) };
        // Normally the runtime empties the stage on its own thread before the last reference
        // goes. If the runtime was leaked (`mem::forget`), a waker on another thread may hold
        // the last reference; a non-`Send` future must not be dropped there. It is pinned, so
        // its memory may not be freed without dropping it either: the whole cell is leaked.
        let has_contents = !matches!(cell.stage.get_mut(), Stage::Consumed);
        let future_is_send = cell.header.vtable.future_is_send;
        if has_contents && !future_is_send && !cell.scheduler.is_home_thread() {
            mem::forget(cell);
            return;
        }
        drop(cell);
    }
}
