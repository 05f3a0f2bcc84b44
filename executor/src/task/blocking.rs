//! `spawn_blocking`: run code that blocks on a pool of OS threads, and await its result.
//!
//! A blocking call ([`std::thread::sleep`], a synchronous file read, a long computation) inside a
//! task stops the whole runtime: every other task waits for the thread. [`spawn_blocking`] moves
//! the call to another thread and hands back a [`JoinHandle`], so the task awaits it instead.
//!
//! ```text
//!  task ── spawn_blocking(f) ──► job queue ──► pool thread runs f()
//!   │                                              │
//!   └─ awaits the JoinHandle ◄── wake (remote) ◄───┘ result stored in the slot
//! ```
//!
//! The handle is an ordinary task's handle: that task just waits on the slot. So a panic in
//! `f` becomes `JoinError::is_panic`, exactly as for a task, and the result arrives through the
//! cross-thread wake path (crossbeam channel + unpark).
//!
//! Each runtime has its own pool (`blocking/pool.rs`), shaped by its `Builder`. Aborting the
//! handle cannot stop `f`: a thread cannot be interrupted. Dropping the runtime closes the pool
//! (new jobs are refused, and their handles report `Cancelled`; queued ones still run) but does
//! not wait for the jobs; `Runtime::shutdown_timeout` waits for them, up to a limit.
//!
//! Either way the waiting task is cancelled while `f` may still run. So that `f`'s result is
//! not lost, the `JoinHandle` keeps the slot too, and once its task reports `Cancelled` it reads
//! the slot itself: it waits for `f` and delivers what `f` returned, as tokio's handle does.
//!
//! [`block_in_place`] is the other way to block: it runs the closure right here, on the
//! runtime's thread. On tokio's multi-threaded runtime the other tasks move to other threads
//! meanwhile; Clockwork has no other thread, so they wait. It panics on a current-thread
//! runtime, as tokio's does.
//!
//! [`spawn_blocking`]: fn@crate::task::spawn_blocking

mod pool;

use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe, Location};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::thread;

pub(crate) use pool::{Pool, PoolConfig};

use crate::contain;
use crate::runtime::Handle;
use crate::runtime::context::{self, Entered};
use crate::runtime::core::Core;
use crate::runtime::settings::Flavor;
use crate::runtime::shared::Shared;
use crate::task::{Id, JoinError, JoinHandle, Meta};

/// Runs `f` on the blocking pool and returns a handle to its result.
///
/// Inside the closure, [`task::id`](crate::task::id) is the id of the returned handle's task.
///
/// # Panics
///
/// Panics when called outside a Clockwork runtime.
#[track_caller]
pub fn spawn_blocking<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let location = Location::caller();
    match context::current() {
        Some(Entered::Core(core)) => spawn_blocking_in(Home::Core(&core), f, location),
        Some(Entered::Remote(handle)) => handle.spawn_blocking_at(f, location),
        _ => context::panic_outside("spawn_blocking"),
    }
}

/// Runs `f` right here, on the runtime's thread, where a `spawn_blocking` would move it away.
///
/// On tokio's multi-threaded runtime this hands the thread's other tasks to other workers while
/// `f` blocks. Clockwork has one thread, so on a runtime built as tokio's multi-threaded one
/// (`Runtime::new`, `Builder::new_multi_thread`, `#[clockwork::main]`) the other tasks simply
/// wait until `f` returns. Meanwhile the runtime is paused: `f` may build and run a runtime of
/// its own, and reaches this one only through its handle, as another thread would
/// (`Handle::current().block_on(...)` polls its future right here). Outside any runtime, `f`
/// just runs.
///
/// # Panics
///
/// Panics, as tokio does, on a current-thread or local runtime and inside a
/// [`LocalSet`](crate::task::LocalSet): their tasks cannot go anywhere else.
// ANCHOR: block_in_place
#[track_caller]
pub fn block_in_place<F, R>(f: F) -> R
where
    F: FnOnce() -> R,
{
    let Some(core) = context::running_core() else {
        return f();
    };
    let allowed =
        core.config.settings.flavor == Flavor::MultiThread && !crate::task::local_set::is_current();
    if !allowed {
        panic!("can call blocking only when running on the multi-threaded runtime");
    }
    let _paused = context::pause(&core);
    crate::task::coop::without_budget(f)
}
// ANCHOR_END: block_in_place

/// Where the task that waits for a blocking job goes: the runtime of this thread, or one of
/// another thread.
pub(crate) enum Home<'a> {
    Core(&'a Rc<Core>),
    Remote(&'a Handle),
}

/// `spawn_blocking` on a known runtime: submit the job to its pool, and spawn the task that
/// waits for the result.
pub(crate) fn spawn_blocking_in<F, R>(
    home: Home<'_>,
    f: F,
    location: &'static Location<'static>,
) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let handle = match &home {
        Home::Core(core) => Handle::of(core),
        Home::Remote(handle) => Handle::clone(handle),
    };
    let meta = Meta::new(Some("spawn_blocking"), location);
    let slot = Arc::new(Slot::<R>::default());
    // A runtime that has shut down runs no more jobs: `f` is dropped here (which abandons the
    // slot), and the waiting task, spawned on a closed runtime, reports itself cancelled.
    let job = make_job(f, meta.id, slot.clone(), handle.clone());
    if handle.shared.is_closed() {
        drop(job);
    } else {
        submit(&handle.shared, &handle.settings.pool, job);
    }
    let waiter = WaitForJob { slot: slot.clone() };
    let join = match home {
        Home::Core(core) => core.spawn(waiter, meta, true),
        Home::Remote(handle) => handle.shared.spawn_remote(waiter, meta),
    };
    // If the waiting task is cancelled (the runtime shut down, or `abort`) while `f` runs, the
    // handle reads the slot itself: `f`'s result is not lost, as in tokio.
    join.reading_blocking_slot(slot)
}

/// Wraps `f` into a job that runs it as task `id`, with `handle`'s runtime entered (so that
/// `f` may `spawn` onto it), and leaves the result in `slot`.
fn make_job<F, R>(f: F, id: crate::task::Id, slot: Arc<Slot<R>>, handle: Handle) -> pool::Job
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    // Dropped unrun (the pool closed first), the filler abandons the slot, so a handle that
    // waits on it learns that no result will come.
    let filler = Filler(slot);
    Box::new(move || {
        // The runtime and its reactor are current, so that the job may spawn, or make sockets.
        let entered = handle.enter();
        let result = crate::task::with_current_id(id, || panic::catch_unwind(AssertUnwindSafe(f)));
        drop(entered);
        filler.0.fill(result);
        // Counted down only after the wake is on its way, so the runtime never sees "no job
        // running" while the result it waits for is still unannounced.
        handle.shared.blocking_job_finished();
    })
}

/// Hands `job` to the pool, counting it as running for the paused clock. A job the pool
/// refuses (it closed meanwhile) is dropped here, outside the pool's lock.
fn submit(shared: &Shared, pool: &Arc<Pool>, job: pool::Job) {
    shared.blocking_job_started();
    if let Err(refused) = pool.submit(job) {
        drop(refused);
        shared.blocking_job_finished();
    }
}

/// Where a pool thread leaves the result for the task that waits for it, or, once that task is
/// cancelled, for the `JoinHandle` itself (`JoinHandle::poll`).
pub(crate) struct Slot<R> {
    state: Mutex<SlotState<R>>,
}

struct SlotState<R> {
    result: Option<thread::Result<R>>,
    waker: Option<Waker>,
    /// The job ran to its end (and filled the slot) or was dropped unrun.
    ended: bool,
    /// The waiting task was cancelled: its `JoinHandle` now reads the slot itself.
    handle_reads: bool,
}

impl<R> Default for Slot<R> {
    fn default() -> Slot<R> {
        let state = SlotState { result: None, waker: None, ended: false, handle_reads: false };
        Slot { state: Mutex::new(state) }
    }
}

/// Owns the job's slot until the job fills it; dropped unfilled, it abandons the slot.
struct Filler<R>(Arc<Slot<R>>);

impl<R> Drop for Filler<R> {
    fn drop(&mut self) {
        let waker = {
            let mut state = self.0.lock();
            let abandoned = !state.ended;
            state.ended = true;
            state.waker.take().filter(|_| abandoned)
        };
        if let Some(waker) = waker {
            contain::wake(waker);
        }
    }
}

impl<R> Slot<R> {
    fn lock(&self) -> MutexGuard<'_, SlotState<R>> {
        // Nothing panics while holding this lock, so a poisoned lock still holds valid state.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores the result and wakes the waiting task (after releasing the lock).
    fn fill(&self, result: Result<R, Box<dyn Any + Send>>) {
        let waker = {
            let mut state = self.lock();
            state.result = Some(result);
            state.ended = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            contain::wake(waker);
        }
    }
}

impl<R> Slot<R> {
    /// Whether the `JoinHandle` reads this slot itself (its task was cancelled).
    pub(crate) fn handle_reads(&self) -> bool {
        self.lock().handle_reads
    }

    /// Whether the job has ended, run or dropped.
    pub(crate) fn job_ended(&self) -> bool {
        self.lock().ended
    }

    /// For the `JoinHandle` of task `id`, whose task was cancelled: the job's result once it
    /// ends, or `Cancelled` if it was dropped without running.
    pub(crate) fn poll_for_handle(
        &self,
        cx: &mut Context<'_>,
        id: Id,
    ) -> Poll<Result<R, JoinError>> {
        let mut state = self.lock();
        state.handle_reads = true;
        match state.result.take() {
            Some(Ok(value)) => Poll::Ready(Ok(value)),
            Some(Err(payload)) => Poll::Ready(Err(JoinError::panic(id, payload))),
            None if state.ended => Poll::Ready(Err(JoinError::cancelled(id))),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The task behind a `spawn_blocking` handle: it waits for the slot to be filled.
struct WaitForJob<R> {
    slot: Arc<Slot<R>>,
}

impl<R> Future for WaitForJob<R> {
    type Output = R;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<R> {
        let mut state = self.slot.lock();
        match state.result.take() {
            Some(Ok(value)) => Poll::Ready(value),
            // Re-raise the job's panic inside the task, so the task's `JoinHandle` reports it.
            Some(Err(payload)) => {
                drop(state);
                panic::resume_unwind(payload)
            }
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
