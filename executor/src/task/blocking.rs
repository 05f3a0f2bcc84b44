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
//! The pool is shared by every runtime of the process. It grows to at most
//! [`MAX_THREADS`] threads; a thread with no job for [`KEEP_ALIVE`] exits. Aborting the handle
//! stops waiting, but cannot stop `f`: a thread cannot be interrupted. Dropping the runtime
//! does not wait for running jobs either.
//!
//! [`spawn_blocking`]: fn@crate::task::spawn_blocking

use std::any::Any;
use std::collections::VecDeque;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe, Location};
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

use crate::contain;
use crate::runtime::context;
use crate::task::{JoinHandle, Meta};

/// The most threads the pool runs at once; further jobs wait in its queue.
pub const MAX_THREADS: usize = 64;

/// How long an idle pool thread waits for a job before it exits.
pub const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// Runs `f` on the blocking pool and returns a handle to its result.
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
    context::expect_core("spawn_blocking", |core| {
        let slot = Arc::new(Slot::<R>::default());
        let shared = core.shared.clone();
        shared.blocking_job_started();
        let job_slot = slot.clone();
        pool().submit(Box::new(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(f));
            job_slot.fill(result);
            // Counted down only after the wake is on its way, so the runtime never sees "no
            // job running" while the result it waits for is still unannounced.
            shared.blocking_job_finished();
        }));
        let meta = Meta::new(Some("spawn_blocking"), location);
        core.spawn(WaitForJob { slot }, meta, true)
    })
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

// === the pool ===

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A queue of jobs and the threads that take them.
struct Pool {
    state: Mutex<PoolState>,
    job_ready: Condvar,
}

#[derive(Default)]
struct PoolState {
    jobs: VecDeque<Job>,
    threads: usize,
    idle: usize,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool { state: Mutex::default(), job_ready: Condvar::new() })
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, PoolState> {
        // Jobs run outside the lock, so a poisoned lock still holds valid state.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn submit(&'static self, job: Job) {
        let mut state = self.lock();
        state.jobs.push_back(job);
        if state.idle > 0 {
            // An idle thread takes it.
            self.job_ready.notify_one();
        } else if state.threads < MAX_THREADS {
            state.threads += 1;
            drop(state);
            let spawned =
                thread::Builder::new().name("clockwork-blocking".into()).spawn(|| self.work());
            if spawned.is_err() {
                // The OS refused a thread: the job stays queued for a thread that exists.
                self.lock().threads -= 1;
            }
        }
    }

    /// A pool thread: take jobs until none comes for `KEEP_ALIVE`.
    fn work(&self) {
        let mut state = self.lock();
        loop {
            if let Some(job) = state.jobs.pop_front() {
                drop(state);
                job();
                state = self.lock();
                continue;
            }
            state.idle += 1;
            let (guard, waited) = self
                .job_ready
                .wait_timeout(state, KEEP_ALIVE)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = guard;
            state.idle -= 1;
            if waited.timed_out() && state.jobs.is_empty() {
                state.threads -= 1;
                return;
            }
        }
    }
}
