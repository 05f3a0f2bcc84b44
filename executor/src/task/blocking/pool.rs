//! A runtime's blocking pool: a queue of jobs and the OS threads that take them.
//!
//! Each runtime has its own pool, shaped by its `Builder` (tokio's `thread_name`,
//! `thread_stack_size`, `max_blocking_threads`, `thread_keep_alive`, `on_thread_start`,
//! `on_thread_stop`). Threads are started on demand, up to the maximum; a thread with no job
//! for the keep-alive time exits. When the runtime shuts down the pool closes: new jobs are
//! refused, the jobs already queued still run (as in tokio: a job that was accepted may hold a
//! result someone waits for), and the threads exit once the queue is empty.
//! `Runtime::shutdown_timeout` waits for that, up to a limit.
//!
//! ```text
//!  submit(job) ─► jobs queue ─► idle thread? notify it
//!                                  none, below the maximum? start one
//!                                  none at the maximum: the job waits for a busy thread
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::runtime::settings::Callback;

/// How many threads a pool runs at most unless the builder says otherwise.
pub(crate) const DEFAULT_MAX_THREADS: usize = 64;

/// How long an idle pool thread waits for a job before it exits, unless the builder says
/// otherwise.
pub(crate) const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);

/// A job: the closure given to `spawn_blocking`, wrapped to deliver its result.
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// How a pool's threads are made (from the runtime's `Builder`).
#[derive(Clone)]
pub(crate) struct PoolConfig {
    pub(crate) thread_name: Arc<dyn Fn() -> String + Send + Sync + 'static>,
    pub(crate) stack_size: Option<usize>,
    pub(crate) max_threads: usize,
    pub(crate) keep_alive: Duration,
    pub(crate) on_thread_start: Option<Callback>,
    pub(crate) on_thread_stop: Option<Callback>,
}

impl Default for PoolConfig {
    fn default() -> PoolConfig {
        PoolConfig {
            thread_name: Arc::new(|| "clockwork-blocking".to_string()),
            stack_size: None,
            max_threads: DEFAULT_MAX_THREADS,
            keep_alive: DEFAULT_KEEP_ALIVE,
            on_thread_start: None,
            on_thread_stop: None,
        }
    }
}

impl fmt::Debug for PoolConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolConfig")
            .field("thread_name", &(self.thread_name)())
            .field("stack_size", &self.stack_size)
            .field("max_threads", &self.max_threads)
            .field("keep_alive", &self.keep_alive)
            .field("on_thread_start", &self.on_thread_start.is_some())
            .field("on_thread_stop", &self.on_thread_stop.is_some())
            .finish()
    }
}

/// A queue of jobs and the threads that take them.
pub(crate) struct Pool {
    config: PoolConfig,
    state: Mutex<PoolState>,
    /// Signalled when a job arrives or the pool closes (for idle threads).
    job_ready: Condvar,
    /// Signalled when a thread exits (for `join`).
    thread_exited: Condvar,
}

#[derive(Default)]
struct PoolState {
    jobs: VecDeque<Job>,
    threads: usize,
    idle: usize,
    closed: bool,
}

impl Pool {
    pub(crate) fn new(config: PoolConfig) -> Arc<Pool> {
        let state = Mutex::new(PoolState::default());
        Arc::new(Pool { config, state, job_ready: Condvar::new(), thread_exited: Condvar::new() })
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        // Jobs and hooks run outside the lock, so a poisoned lock still holds valid state.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `job`, starting a thread for it if none is idle. Gives the job back if the pool
    /// has closed: the caller drops it, outside our lock (its captures may run any code).
    pub(crate) fn submit(self: &Arc<Self>, job: Job) -> Result<(), Job> {
        let mut state = self.lock();
        if state.closed {
            return Err(job);
        }
        state.jobs.push_back(job);
        // Each idle thread, once woken, takes one queued job. A thread stays counted as idle
        // from its notification until it holds the lock again, so "is any thread idle?" would
        // hand two quick jobs to the same sleeper, and the second would wait behind the first,
        // forever if the first blocks for good (tokio's issue 8056). So: notify while the idle
        // threads outnumber the queued jobs, and start a thread when they do not.
        if state.jobs.len() <= state.idle {
            self.job_ready.notify_one();
        } else if state.threads < self.config.max_threads {
            state.threads += 1;
            drop(state);
            self.start_thread();
        }
        Ok(())
    }

    /// Starts one pool thread, named and sized as the builder said.
    fn start_thread(self: &Arc<Self>) {
        let mut builder = thread::Builder::new().name((self.config.thread_name)());
        if let Some(stack_size) = self.config.stack_size {
            builder = builder.stack_size(stack_size);
        }
        let pool = self.clone();
        if builder.spawn(move || pool.work()).is_err() {
            // The OS refused a thread: the job stays queued for a thread that exists.
            self.lock().threads -= 1;
        }
    }

    /// A pool thread: take jobs until none comes for the keep-alive time, or the pool closes.
    fn work(&self) {
        if let Some(hook) = &self.config.on_thread_start {
            hook();
        }
        let mut state = self.lock();
        loop {
            if let Some(job) = state.jobs.pop_front() {
                drop(state);
                job();
                state = self.lock();
                continue;
            }
            if state.closed {
                break;
            }
            state.idle += 1;
            let (guard, waited) = self
                .job_ready
                .wait_timeout(state, self.config.keep_alive)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = guard;
            state.idle -= 1;
            if waited.timed_out() && state.jobs.is_empty() {
                break;
            }
        }
        drop(state);
        if let Some(hook) = &self.config.on_thread_stop {
            hook();
        }
        self.lock().threads -= 1;
        self.thread_exited.notify_all();
    }

    /// Closes the pool: refuses new jobs, and lets the threads exit once the queue is empty.
    /// The queued jobs still run, except when no thread is left to run them (the OS refused to
    /// start one): those are dropped, so that nothing waits for them for ever.
    pub(crate) fn close(&self) {
        let orphans = {
            let mut state = self.lock();
            state.closed = true;
            if state.threads == 0 { std::mem::take(&mut state.jobs) } else { VecDeque::new() }
        };
        self.job_ready.notify_all();
        // Dropped outside the lock: a job's `Drop` may run user code.
        drop(orphans);
    }

    /// Waits until every thread has exited, or `timeout` has passed; says which.
    pub(crate) fn join(&self, timeout: Duration) -> bool {
        let deadline = Instant::now().checked_add(timeout);
        let mut state = self.lock();
        while state.threads > 0 {
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::from_secs(3600),
            };
            if left.is_zero() {
                return false;
            }
            state = match self.thread_exited.wait_timeout(state, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        true
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Pool")
            .field("config", &self.config)
            .field("queued", &state.jobs.len())
            .field("threads", &state.threads)
            .field("idle", &state.idle)
            .field("closed", &state.closed)
            .finish()
    }
}
