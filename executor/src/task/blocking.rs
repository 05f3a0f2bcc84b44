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
//! handle stops waiting, but cannot stop `f`: a thread cannot be interrupted. Dropping the
//! runtime closes the pool (jobs that have not started are dropped) but does not wait for the
//! running ones; `Runtime::shutdown_timeout` waits for them, up to a limit.
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
use crate::task::{JoinHandle, Meta};

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
    // A runtime that has shut down runs no more jobs: `f` is dropped here, and the waiting
    // task, spawned on a closed runtime, reports itself cancelled.
    if !handle.shared.is_closed() {
        let pool = handle.settings.pool.clone();
        let shared = handle.shared.clone();
        submit(&shared, &pool, make_job(f, meta.id, slot.clone(), handle));
    }
    let waiter = WaitForJob { slot };
    match home {
        Home::Core(core) => core.spawn(waiter, meta, true),
        Home::Remote(handle) => handle.shared.spawn_remote(waiter, meta),
    }
}

/// Wraps `f` into a job that runs it as task `id`, with `handle`'s runtime entered (so that
/// `f` may `spawn` onto it), and leaves the result in `slot`.
fn make_job<F, R>(f: F, id: crate::task::Id, slot: Arc<Slot<R>>, handle: Handle) -> pool::Job
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    Box::new(move || {
        let entered = context::enter_handle(&handle);
        // Its reactor too, so that the job may make sockets (or `block_on` code that does).
        let reactor = handle.settings.drivers.enter_reactor(&handle.shared.reactor);
        let result = crate::task::with_current_id(id, || panic::catch_unwind(AssertUnwindSafe(f)));
        drop(reactor);
        drop(entered);
        slot.fill(result);
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

/// Where a pool thread leaves the result for the task that waits for it.
struct Slot<R> {
    state: Mutex<SlotState<R>>,
}

struct SlotState<R> {
    result: Option<thread::Result<R>>,
    waker: Option<Waker>,
}

impl<R> Default for Slot<R> {
    fn default() -> Slot<R> {
        Slot { state: Mutex::new(SlotState { result: None, waker: None }) }
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
            state.waker.take()
        };
        if let Some(waker) = waker {
            contain::wake(waker);
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
