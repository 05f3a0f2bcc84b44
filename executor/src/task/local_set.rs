//! `LocalSet`: a group of tasks that run only while the set is driven, and end with it.
//!
//! Tokio needs a `LocalSet` to run futures that are not `Send`, because its workers may move
//! tasks between threads. Clockwork's runtime never does, and accepts `spawn_local` anywhere;
//! what a `LocalSet` adds here is tokio's *grouping*: its tasks run only while the set is
//! driven (by [`LocalSet::run_until`], [`LocalSet::block_on`], or awaiting the set), and
//! dropping the set drops them all.
//!
//! A `LocalSet` is a small executor inside a future. Its tasks are ordinary task cells
//! (`raw.rs`) whose scheduler is the set's own queue instead of the runtime's: that is what the
//! task cell's `Schedule` trait is for. Driving the set polls the queue from within the poll
//! of whoever drives it:
//!
//! ```text
//!   run_until(f) polled ──► 1. poll f; Ready -> done
//!        ▲                  2. poll up to 61 tasks from the set's queue
//!        │                  3. tasks left in the queue? wake ourselves (yield to the runtime)
//!        │
//!   set waker ◄── SetQueue::schedule(task) ◄── a waker of a task of the set fired (any thread)
//! ```
//!
//! While a set is driven (and inside [`LocalSet::enter`]) it is *current*: `task::spawn_local`
//! puts new tasks in it, and `task::id` names the set's task being polled. The runtime's
//! tracer does not see the set's tasks: they are polled inside the poll of the task (or
//! `block_on` future) that drives the set, which is who the tracer sees.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::panic::Location;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::{self, ThreadId};

use crate::contain;
use crate::runtime::Runtime;
use crate::runtime::task_table::TaskTable;
use crate::task::coop;
use crate::task::raw::{self, PollOutcome, Schedule, TaskRef};
use crate::task::{JoinHandle, Meta};

/// How many of its tasks a set polls before it yields to the runtime (tokio's number).
const TASKS_PER_TICK: usize = 61;

/// A set of tasks that run while the set is driven, as `tokio::task::LocalSet`.
///
/// ```
/// use std::rc::Rc;
/// use clockwork::task::{self, LocalSet};
///
/// let runtime = clockwork::runtime::Runtime::new().unwrap();
/// let local = LocalSet::new();
/// let shared = Rc::new(41);
/// let answer = local.block_on(&runtime, async move {
///     task::spawn_local(async move { *shared + 1 }).await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
pub struct LocalSet {
    set: Rc<Set>,
    /// The set's tasks may hold `Rc`s: it must stay on its thread.
    _not_send: PhantomData<*const ()>,
}

/// The set behind a [`LocalSet`]; the thread-local "current set" holds it too.
struct Set {
    /// The part the tasks' wakers reach, from any thread.
    queue: Arc<SetQueue>,
    /// Every task of the set that has not finished, so that dropping the set can end them.
    tasks: RefCell<TaskTable>,
}

/// The set as its tasks' scheduler: a queue of woken tasks, and the waker of whoever drives
/// the set.
struct SetQueue {
    state: Mutex<QueueState>,
    owner: ThreadId,
    /// Set when the `LocalSet` is dropped: later wakes are ignored.
    closed: AtomicBool,
}

#[derive(Default)]
struct QueueState {
    woken: VecDeque<TaskRef>,
    driver: Option<Waker>,
}

thread_local! {
    /// The set that is driven or entered on this thread, if any.
    static CURRENT: RefCell<Option<Rc<Set>>> = const { RefCell::new(None) };
}

impl LocalSet {
    /// An empty set.
    pub fn new() -> LocalSet {
        let queue = SetQueue {
            state: Mutex::default(),
            owner: thread::current().id(),
            closed: AtomicBool::new(false),
        };
        let set = Set { queue: Arc::new(queue), tasks: RefCell::default() };
        LocalSet { set: Rc::new(set), _not_send: PhantomData }
    }

    /// Adds a task to the set. It runs only while the set is driven, and is dropped (cancelled)
    /// with the set if it has not finished by then.
    #[track_caller]
    pub fn spawn_local<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.set.spawn(future, Meta::new(None, Location::caller()))
    }

    /// Runs `future` to completion on `runtime`, running the set's tasks while it waits:
    /// `runtime.block_on(self.run_until(future))`.
    ///
    /// # Panics
    ///
    /// Panics when called inside a runtime, like [`Runtime::block_on`].
    #[track_caller]
    pub fn block_on<F: Future>(&self, runtime: &Runtime, future: F) -> F::Output {
        runtime.block_on(self.run_until(future))
    }

    /// Runs `future` to completion, and the set's tasks while it waits. Tasks that have not
    /// finished when `future` does stay in the set, for the next time it is driven.
    pub async fn run_until<F: Future>(&self, future: F) -> F::Output {
        let mut future = pin!(future);
        poll_fn(|cx| {
            let _current = self.set.make_current();
            self.set.queue.set_driver(cx.waker());
            // 1. The future first: when it is done, so is `run_until`.
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(output);
            }
            // 2. Then a batch of the set's tasks.
            self.set.run_batch(cx);
            Poll::Pending
        })
        .await
    }

    /// Makes the set current until the guard drops: `task::spawn_local` adds tasks to it, even
    /// outside a runtime. They start when the set is next driven.
    pub fn enter(&self) -> LocalEnterGuard {
        LocalEnterGuard { _current: self.set.make_current() }
    }
}

/// Awaiting a `LocalSet` runs its tasks until every one has finished.
impl Future for LocalSet {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let _current = self.set.make_current();
        self.set.queue.set_driver(cx.waker());
        self.set.run_batch(cx);
        if self.set.tasks.borrow().len() == 0 { Poll::Ready(()) } else { Poll::Pending }
    }
}

impl Drop for LocalSet {
    /// Drops every task of the set that has not finished; their `JoinHandle`s report them
    /// cancelled.
    fn drop(&mut self) {
        let _current = self.set.make_current();
        self.set.queue.closed.store(true, Ordering::Release);
        // Dropping a future may spawn into the set (it is current): loop until none is left.
        loop {
            let tasks = self.set.tasks.borrow_mut().take_all();
            if tasks.is_empty() {
                break;
            }
            for task in tasks {
                task.shutdown();
            }
        }
        let woken = std::mem::take(&mut self.set.queue.lock().woken);
        drop(woken);
    }
}

impl Default for LocalSet {
    fn default() -> LocalSet {
        LocalSet::new()
    }
}

impl fmt::Debug for LocalSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tasks = self.set.tasks.try_borrow().map(|tasks| tasks.len()).ok();
        let woken = self.set.queue.lock().woken.len();
        f.debug_struct("LocalSet").field("tasks", &tasks).field("woken", &woken).finish()
    }
}

/// Keeps a [`LocalSet`] current until dropped; made by [`LocalSet::enter`].
#[derive(Debug)]
#[must_use = "the set stays current only while the guard lives"]
pub struct LocalEnterGuard {
    _current: CurrentGuard,
}

// === the current set ===

/// Spawns `future` into the current set, if there is one; gives it back otherwise.
pub(crate) fn spawn_in_current<F>(future: F, meta: Meta) -> Result<JoinHandle<F::Output>, (F, Meta)>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let current = CURRENT.try_with(|current| current.borrow().clone()).ok().flatten();
    match current {
        Some(set) => Ok(set.spawn(future, meta)),
        None => Err((future, meta)),
    }
}

/// True while a set is driven or entered on this thread.
pub(crate) fn is_current() -> bool {
    CURRENT.try_with(|current| current.borrow().is_some()).unwrap_or(false)
}

/// Restores the previously current set when dropped.
struct CurrentGuard {
    previous: Option<Rc<Set>>,
}

impl fmt::Debug for CurrentGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentGuard").field("had_previous", &self.previous.is_some()).finish()
    }
}

impl Drop for CurrentGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
    }
}

// === impl Set ===

impl Set {
    /// Makes this set the current one until the guard drops.
    fn make_current(self: &Rc<Self>) -> CurrentGuard {
        let previous =
            CURRENT.try_with(|current| current.borrow_mut().replace(self.clone())).ok().flatten();
        CurrentGuard { previous }
    }

    /// Creates a task scheduled by this set, files it, and queues it for its first poll.
    fn spawn<F>(&self, future: F, meta: Meta) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let (table, queue, join) = raw::new_task(future, meta, self.queue.clone(), false);
        self.tasks.borrow_mut().insert(table);
        self.queue.schedule(queue);
        JoinHandle::new(join)
    }

    // ANCHOR: tick
    /// Polls up to [`TASKS_PER_TICK`] woken tasks. With tasks still woken after that, wakes
    /// the driver again, so that the runtime gets a turn before the next batch.
    fn run_batch(&self, cx: &Context<'_>) {
        for _ in 0..TASKS_PER_TICK {
            let next = self.queue.lock().woken.pop_front();
            let Some(task) = next else { return };
            self.run_task(task);
        }
        if !self.queue.lock().woken.is_empty() {
            cx.waker().wake_by_ref();
        }
    }

    /// Polls one task, as the task it is and with a budget of its own (`coop.rs`), and does
    /// what the outcome asks (as `Core::run_task`). The budget of whoever drives the set comes
    /// back afterwards.
    fn run_task(&self, task: TaskRef) {
        let id = task.header().meta.id;
        let budget = coop::Budget::start();
        let outcome = crate::task::with_current_id(id, || task.poll());
        drop(budget);
        match outcome {
            PollOutcome::Idle | PollOutcome::Skip => drop(task),
            PollOutcome::Requeue => self.queue.lock().woken.push_back(task),
            PollOutcome::Ready | PollOutcome::Panicked | PollOutcome::Cancelled => {
                let removed = self.tasks.borrow_mut().remove(&task);
                drop(removed);
            }
        }
    }
    // ANCHOR_END: tick
}

// === impl SetQueue ===

impl SetQueue {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        // Nothing runs user code under this lock, so a poisoned one still holds valid state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers the waker of whoever drives the set now.
    fn set_driver(&self, waker: &Waker) {
        let mut state = self.lock();
        if !state.driver.as_ref().is_some_and(|driver| driver.will_wake(waker)) {
            state.driver = Some(waker.clone());
        }
    }
}

impl Schedule for Arc<SetQueue> {
    /// Queues the task and wakes whoever drives the set (outside the lock). Any thread.
    fn schedule(&self, task: TaskRef) {
        if self.closed.load(Ordering::Acquire) {
            return;
        }
        let driver = {
            let mut state = self.lock();
            state.woken.push_back(task);
            state.driver.clone()
        };
        if let Some(driver) = driver {
            contain::wake(driver);
        }
    }

    fn is_home_thread(&self) -> bool {
        thread::current().id() == self.owner
    }
}
