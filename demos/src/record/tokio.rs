//! tokio's side of a [`Log`]: every future a pattern spawns, and its waker, wrapped.
//!
//! tokio tells nobody about its tasks unless it is built with `--cfg tokio_unstable` (its task
//! hooks and `tracing` spans). That flag would rebuild tokio and everything above it, and every
//! build of this workspace would have to agree on it. So the demos watch from the outside, in
//! the `rt` shim of `on_tokio.rs`: [`spawn`] and [`JoinSet::spawn`] wrap the future in a
//! [`Recorded`] before handing it to tokio.
//!
//! ```text
//!   pattern: rt::spawn(fut)
//!     1 ──> spawn (here): task#n, Recorded { fut }  ──> tokio::spawn
//!   tokio polls the task
//!     2 ──> Recorded::poll: records the start, polls fut with a TaskWaker around tokio's waker,
//!           records the end (Ready or Pending)
//!   something wakes the task
//!     3 ──> TaskWaker::wake: records the wake and who made it, then wakes tokio's waker
//!   tokio drops the task before it completed (abort, shutdown)
//!     4 ──> Recorded::drop: records the cancellation
//! ```
//!
//! Wrapping the waker is what the task hooks could not give: a hook sees a poll start and end,
//! but not who fired the waker. Here the wake runs our code, on the thread that fired it, while
//! the thread-local `ACTOR` says which task or future that thread is polling. Parks come from
//! tokio's `on_thread_park` and `on_thread_unpark` builder hooks, which are stable.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::{AssertUnwindSafe, Location, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::harness::Runtime;
use crate::record::narrate::{self, Filter};
use crate::record::{Log, Origin, Step, StepKind, TaskNo};

thread_local! {
    /// The recorder of the runtime this thread runs, while the harness runs a pattern on it.
    static CURRENT: RefCell<Option<Arc<Recorder>>> = const { RefCell::new(None) };
    /// What this thread is polling now: a task, the `block_on` future, or nothing (`None`).
    static ACTOR: Cell<Option<Origin>> = const { Cell::new(None) };
}

/// Spawns `future` on tokio, recorded as a task of the running pattern: the `rt::spawn` of the
/// tokio build. Outside a recorded run it is `tokio::spawn`.
#[track_caller]
pub fn spawn<F>(future: F) -> ::tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let location = Location::caller();
    match current() {
        Some(recorder) => ::tokio::spawn(recorder.track(future, location)),
        None => ::tokio::spawn(future),
    }
}

/// tokio's `JoinSet`, whose `spawn` records the task as [`spawn`] does; everything else is
/// tokio's own, through `Deref`.
#[derive(Debug)]
pub struct JoinSet<T>(::tokio::task::JoinSet<T>);

/// One run's recorder: the steps so far, and what it needs to write the next one.
#[derive(Debug)]
pub struct Recorder {
    /// When the run started: steps are timed from here.
    start: Instant,
    /// The thread that runs the runtime; a wake from any other is [`Origin::OtherThread`].
    runtime_thread: ThreadId,
    /// Whether to narrate each step on stderr as it is recorded (`CLOCKWORK_LOG`).
    narrate: Option<Filter>,
    state: Mutex<State>,
}

/// What the recorder keeps between steps.
#[derive(Debug, Default)]
struct State {
    steps: Vec<Step>,
    /// Where each task was spawned, to name it.
    locations: HashMap<TaskNo, &'static Location<'static>>,
    /// Tasks woken since their last poll started: a further wake causes no extra poll.
    woken: HashSet<TaskNo>,
    /// When the thread parked, while it is parked.
    parked_at: Option<Instant>,
}

/// A spawned future and the task number it is recorded under.
pub struct Recorded<F> {
    future: Pin<Box<F>>,
    task: TaskNo,
    recorder: Arc<Recorder>,
    /// The waker given to the last poll, and the [`TaskWaker`] made around it.
    waker: Option<(Waker, Waker)>,
    completed: bool,
}

/// The `block_on` future, recorded as `MainPoll` steps.
pub struct RecordedMain<F> {
    future: Pin<Box<F>>,
    recorder: Arc<Recorder>,
}

/// The waker a recorded task is polled with: records the wake, then wakes tokio's.
struct TaskWaker {
    inner: Waker,
    task: TaskNo,
    recorder: Arc<Recorder>,
}

/// Makes a recorder the current one on this thread until dropped.
#[derive(Debug)]
pub struct Entered(());

// === impl Recorder ===

impl Recorder {
    /// A recorder for a run on this thread; narrates if `CLOCKWORK_LOG` asks for it.
    pub fn new() -> Arc<Recorder> {
        Arc::new(Recorder {
            start: Instant::now(),
            runtime_thread: std::thread::current().id(),
            narrate: Filter::from_env(),
            state: Mutex::new(State::default()),
        })
    }

    /// Makes this the recorder that [`spawn`] uses on this thread, until the guard is dropped.
    pub fn enter(self: &Arc<Self>) -> Entered {
        CURRENT.with(|current| *current.borrow_mut() = Some(self.clone()));
        Entered(())
    }

    /// The hooks for tokio's `Builder::on_thread_park` and `on_thread_unpark`.
    pub fn park_hooks(self: &Arc<Self>) -> (impl Fn() + use<>, impl Fn() + use<>) {
        let (parking, unparking) = (self.clone(), self.clone());
        let park = move || parking.parked();
        let unpark = move || unparking.unparked();
        (park, unpark)
    }

    /// Wraps the `block_on` future, so that its polls are recorded and its wakes named.
    pub fn main<F: Future>(self: &Arc<Self>, future: F) -> RecordedMain<F> {
        RecordedMain { future: Box::pin(future), recorder: self.clone() }
    }

    /// Everything recorded so far.
    pub fn log(&self) -> Log {
        Log { runtime: Runtime::Tokio, steps: self.lock().steps.clone() }
    }

    /// Numbers a new task, records its spawn, and wraps it.
    fn track<F: Future>(
        self: &Arc<Self>,
        future: F,
        location: &'static Location<'static>,
    ) -> Recorded<F> {
        let task = {
            let mut state = self.lock();
            let task = state.locations.len() as TaskNo + 1;
            state.locations.insert(task, location);
            task
        };
        self.push(StepKind::Spawn { task, location });
        Recorded {
            future: Box::pin(future),
            task,
            recorder: self.clone(),
            waker: None,
            completed: false,
        }
    }

    fn poll_started(&self, task: TaskNo) {
        self.lock().woken.remove(&task);
        self.push(StepKind::PollStart { task });
    }

    /// A waker of `task` fired on this thread: who fired it is what this thread is polling.
    fn woken(&self, task: TaskNo) {
        let by = if std::thread::current().id() == self.runtime_thread {
            ACTOR.get().unwrap_or(Origin::Driver)
        } else {
            Origin::OtherThread
        };
        let first = self.lock().woken.insert(task);
        self.push(StepKind::Wake { task, by, first });
    }

    fn parked(&self) {
        self.lock().parked_at = Some(Instant::now());
        self.push(StepKind::Park { peek: false });
    }

    fn unparked(&self) {
        let parked_at = self.lock().parked_at.take();
        let parked = parked_at.map_or(Duration::ZERO, |at| at.elapsed());
        self.push(StepKind::Unpark { parked });
    }

    /// Records one step, and narrates it if asked.
    fn push(&self, kind: StepKind) {
        let step = Step { at: self.start.elapsed(), kind };
        let mut state = self.lock();
        if let Some(filter) = &self.narrate {
            if filter.wants(&step.kind) {
                eprintln!("{}", narrate::line(&step, &state.locations));
            }
        }
        state.steps.push(step);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while the lock is held leaves the steps whole: keep going.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The recorder of the run on this thread, if any.
fn current() -> Option<Arc<Recorder>> {
    CURRENT.with(|current| current.borrow().clone())
}

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.with(|current| current.borrow_mut().take());
    }
}

// === impl Recorded ===

impl<F: Future> Future for Recorded<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let waker = this.waker_for(cx.waker());
        let mut cx = Context::from_waker(&waker);
        this.recorder.poll_started(this.task);
        // While the future runs, a wake on this thread is this task's doing.
        let previous = ACTOR.replace(Some(Origin::Task(this.task)));
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(&mut cx)));
        let busy = started.elapsed();
        ACTOR.set(previous);
        // A panic ends the task as surely as `Ready` does.
        let ready = !matches!(result, Ok(Poll::Pending));
        this.completed = ready;
        this.recorder.push(StepKind::PollEnd { task: this.task, ready, busy });
        result.unwrap_or_else(|panic| resume_unwind(panic))
    }
}

impl<F> Recorded<F> {
    /// The waker to poll the future with: a [`TaskWaker`] around tokio's, made again only
    /// when tokio hands a different waker.
    fn waker_for(&mut self, given: &Waker) -> Waker {
        if let Some((inner, wrapped)) = &self.waker {
            if inner.will_wake(given) {
                return wrapped.clone();
            }
        }
        let task_waker =
            TaskWaker { inner: given.clone(), task: self.task, recorder: self.recorder.clone() };
        let wrapped = Waker::from(Arc::new(task_waker));
        self.waker = Some((given.clone(), wrapped.clone()));
        wrapped
    }
}

impl<F> Drop for Recorded<F> {
    fn drop(&mut self) {
        if !self.completed {
            self.recorder.push(StepKind::Cancelled { task: self.task });
        }
    }
}

impl<F> std::fmt::Debug for Recorded<F> {
    /// The task, not the future: a future is rarely `Debug`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let task = format!("task#{}", self.task);
        f.debug_struct("Recorded").field("task", &task).field("completed", &self.completed).finish()
    }
}

// === impl RecordedMain ===

impl<F: Future> Future for RecordedMain<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let previous = ACTOR.replace(Some(Origin::BlockOn));
        let started = Instant::now();
        let poll = this.future.as_mut().poll(cx);
        let busy = started.elapsed();
        ACTOR.set(previous);
        this.recorder.push(StepKind::MainPoll { ready: poll.is_ready(), busy });
        poll
    }
}

impl<F> std::fmt::Debug for RecordedMain<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordedMain").finish_non_exhaustive()
    }
}

// === impl TaskWaker ===

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Record first: on another thread, tokio may poll the task before `wake` returns.
        self.recorder.woken(self.task);
        self.inner.wake_by_ref();
    }
}

// === impl JoinSet ===

impl<T: 'static> JoinSet<T> {
    /// An empty set.
    pub fn new() -> JoinSet<T> {
        JoinSet(::tokio::task::JoinSet::new())
    }

    /// Spawns `task` into the set, recorded as [`spawn`] records it.
    #[track_caller]
    pub fn spawn<F>(&mut self, task: F) -> ::tokio::task::AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        let location = Location::caller();
        match current() {
            Some(recorder) => self.0.spawn(recorder.track(task, location)),
            None => self.0.spawn(task),
        }
    }
}

impl<T: 'static> Default for JoinSet<T> {
    fn default() -> JoinSet<T> {
        JoinSet::new()
    }
}

impl<T> Deref for JoinSet<T> {
    type Target = ::tokio::task::JoinSet<T>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> DerefMut for JoinSet<T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}
