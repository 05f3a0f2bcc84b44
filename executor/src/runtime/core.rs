//! The runtime's thread-local state and the run loop, [`Core::block_on`].
//!
//! ```text
//!  block_on(future)
//!    |
//!    v
//!  +--------------------------------------------------------------+
//!  | loop                                                         |
//!  |  1. if the block_on future was woken: poll it; Ready -> done |
//!  |  2. poll up to `event_interval` (61) tasks from the queue    |
//!  |  3. move wakes and spawns from other threads into the queue  |
//!  |  4. work left?  yes: peek at the driver without sleeping     |
//!  |                 no:  park in the driver until woken          |
//!  +--------------------------------------------------------------+
//! ```
//!
//! The run queue is a plain FIFO [`VecDeque`] behind a `RefCell`: only this thread touches it, and
//! no borrow of it is ever held while a future runs (a future may wake, and so push, at any time).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::runtime::context;
use crate::runtime::driver::{Driver, Park, ParkObserver};
use crate::runtime::metrics::{RuntimeMetrics, TaskMetrics};
use steer::Steer;

mod steer;
mod step;
use crate::runtime::settings::Settings;
use crate::runtime::shared::{Remote, Shared};
use crate::runtime::task_table::TaskTable;
use crate::task::coop;
use crate::task::raw::{self, PollOutcome, TaskRef};
use crate::task::{Id, JoinHandle, Meta};
use crate::time::driver::TimeDriver;
use crate::trace::{self, ParkReason, Tracer, WokenBy};

/// The runtime's settings, from the `Builder`.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) event_interval: usize,
    pub(crate) start_paused: bool,
    /// `Some`: ready tasks run in an order chosen by this seed, not FIFO (`order.rs`).
    pub(crate) seed: Option<u64>,
    /// Stop before every poll and wait for a key (`core/step.rs`).
    pub(crate) step: bool,
    /// What to record and show (`trace.rs`).
    pub(crate) trace: trace::Config,
    /// Name, flavour, hooks and blocking pool, shared with the handles (`settings.rs`).
    pub(crate) settings: Arc<Settings>,
}

impl Default for Config {
    fn default() -> Config {
        let trace = trace::Config::default();
        let settings = Arc::default();
        Config { event_interval: 61, start_paused: false, seed: None, step: false, trace, settings }
    }
}

/// Everything the runtime thread owns.
pub(crate) struct Core {
    pub(crate) shared: Arc<Shared>,
    run_queue: RefCell<VecDeque<TaskRef>>,
    tasks: RefCell<TaskTable>,
    remote: Receiver<Remote>,
    driver: Driver,
    pub(crate) config: Config,
    /// Who runs right now: a task (so `task::id()` can answer), the `block_on` future, the
    /// reactor, the timer, or the runtime itself. A wake on this thread blames it (`trace.rs`).
    actor: Cell<WokenBy>,
    /// The observer: counters, events, narration, the timeline, the warnings.
    pub(crate) trace: Tracer,
    /// A poll just ended because its task spent its budget: the loop looks at the driver before
    /// polling on, so that a busy task cannot hold timers and I/O back for a whole
    /// `event_interval` of its own polls (tokio defers such a task until its driver has run).
    budget_spent: Cell<bool>,
    /// `None`: the run queue is FIFO, and nobody steps through it. `Some`: a seed picks the
    /// next task, or the step mode stops before it (`core/steer.rs`).
    steer: Option<Box<Steer>>,
}

impl Core {
    pub(crate) fn new(config: Config) -> io::Result<Core> {
        let driver = Driver::new(config.start_paused)?;
        let trace = Tracer::new(&config.trace);
        let (shared, remote) = Shared::new(driver.reactor_handle(), driver.unparker());
        // Keeps `clockwork_dump` in every binary that uses the runtime, for debuggers to call.
        std::hint::black_box(context::clockwork_dump as extern "C" fn());
        std::hint::black_box(context::clockwork_dump_as_lldb_names_it as extern "C" fn());
        Ok(Core {
            shared: Arc::new(shared),
            run_queue: RefCell::new(VecDeque::with_capacity(64)),
            tasks: RefCell::new(TaskTable::default()),
            remote,
            driver,
            steer: Steer::new(&config),
            config,
            actor: Cell::new(WokenBy::Runtime),
            trace,
            budget_spent: Cell::new(false),
        })
    }

    // ANCHOR: run_loop
    /// The run loop. Every spawned task of this runtime is polled from here.
    pub(crate) fn block_on<F: Future>(self: &Rc<Self>, future: F) -> F::Output {
        let _entered = context::enter_block_on(self.clone());
        let _reactor = self.config.settings.drivers.enter_reactor(&self.driver.reactor_handle());
        if let Some(steer) = &self.steer {
            steer.block_on_started();
        }
        let main = Arc::new(MainWake::new(self.shared.clone()));
        let main_waker = Waker::from(main.clone());
        let mut cx = Context::from_waker(&main_waker);
        let mut future = pin!(future);
        // Polls since the driver was last looked at.
        let mut polls_since_driver = 0;

        loop {
            // 1. The block_on future comes first when it was woken (it starts out woken).
            if main.take_woken() {
                polls_since_driver += 1;
                if let Poll::Ready(output) = self.poll_main(future.as_mut(), &mut cx) {
                    return output;
                }
            }
            // 2. Wakes and spawns from other threads join the back of the queue, so that the
            //    batch polls them too before the block_on future comes round again.
            self.drain_remote();
            // 3. Poll a batch of ready tasks, oldest first; then take in what other threads sent
            //    meanwhile, so that it counts as work below.
            polls_since_driver += self.run_batch();
            self.drain_remote();
            // 4. With work left, only peek at the driver, and only every `event_interval` polls,
            //    so that busy tasks cannot starve timers and I/O. With none, sleep until a timer,
            //    I/O or another thread wakes us.
            //    A task (or the block_on future) that spent its budget makes it peek at once.
            let work_left = main.is_woken() || !self.run_queue.borrow().is_empty();
            let budget_spent = self.budget_spent.take();
            if !work_left {
                self.park_idle(&main);
                polls_since_driver = 0;
            } else if polls_since_driver >= self.config.event_interval || budget_spent {
                self.park(Park::Peek);
                polls_since_driver = 0;
            }
        }
    }
    // ANCHOR_END: run_loop

    /// Polls the `block_on` future once, as the `BlockOn` actor.
    fn poll_main<F: Future>(&self, future: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let started = self.trace.block_on_poll_started();
        let budget = coop::Budget::start();
        let previous = self.actor.replace(WokenBy::BlockOn);
        let poll = future.poll(cx);
        self.actor.set(previous);
        self.budget_spent.set(budget.forced_yield());
        self.trace.block_on_poll_ended(started, poll.is_ready());
        poll
    }

    /// Polls up to `event_interval` tasks, stopping early after one that spent its budget;
    /// returns how many it polled.
    fn run_batch(&self) -> usize {
        for polled in 0..self.config.event_interval {
            // A seeded order or the step mode picks the next task instead (`core/steer.rs`).
            let next = match &self.steer {
                None => self.run_queue.borrow_mut().pop_front(),
                Some(steer) => steer.next_task(self),
            };
            let Some(task) = next else {
                self.give_back_burst_memory();
                return polled;
            };
            self.run_task(task);
            if self.budget_spent.get() {
                return polled + 1;
            }
        }
        self.config.event_interval
    }

    /// The run queue is empty: if a burst (100,000 tasks spawned at once) made it grow, give
    /// the memory back, rather than keep 8 bytes per task of that burst for good.
    fn give_back_burst_memory(&self) {
        let mut queue = self.run_queue.borrow_mut();
        if queue.capacity() > 4096 {
            queue.shrink_to(64);
        }
    }

    // ANCHOR: run_task
    /// Polls one task and does what the poll's outcome asks.
    fn run_task(&self, task: TaskRef) {
        // 1. Before the poll: the tracer takes note, the task gets its cooperative budget
        //    (`task::coop`), and a wake from now on blames this task.
        let started = self.trace.poll_started(&task, || self.run_queue.borrow().len());
        let budget = coop::Budget::start();
        self.actor.set(WokenBy::Task(task.header().meta.id));

        // 2. The poll.
        let outcome = task.poll();
        self.actor.set(WokenBy::Runtime);
        self.trace.poll_ended(&task, outcome, started, budget.forced_yield());
        self.budget_spent.set(budget.forced_yield());
        drop(budget);

        // 3. What the outcome asks.
        match outcome {
            // Nobody woke it: whoever holds its waker will. Drop the queue's reference.
            PollOutcome::Idle | PollOutcome::Skip => drop(task),
            // It woke itself during the poll: it is our job to requeue it, exactly once.
            PollOutcome::Requeue => self.push_local(task),
            // It finished: forget it. The drop happens after the table's borrow ends.
            PollOutcome::Ready | PollOutcome::Panicked | PollOutcome::Cancelled => {
                let removed = self.tasks.borrow_mut().remove(&task);
                drop(removed);
            }
        }
    }
    // ANCHOR_END: run_task

    /// Creates a task, files it in the task table and queues it for its first poll.
    pub(crate) fn spawn<F>(&self, future: F, meta: Meta, is_send: bool) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
    {
        let (table, queue, join) = raw::new_task(future, meta, self.shared.clone(), is_send);
        if self.shared.is_closed() {
            // A runtime that has shut down polls nothing more (a guard of `enter` may outlive
            // it): the task is cancelled on the spot, and its handle says so, as tokio's does.
            drop(queue);
            table.shutdown();
        } else {
            self.file_new_task(table, queue);
        }
        JoinHandle::new(join)
    }

    /// Files a new task in the task table and queues it for its first poll.
    fn file_new_task(&self, table: TaskRef, queue: TaskRef) {
        self.tasks.borrow_mut().insert(table);
        self.trace.spawned(queue.header());
        self.push_local(queue);
    }

    /// A waker of `task` fired on this thread (`Schedule::wake`): the wake is counted, the
    /// tracer hears who did it, and the task is queued if the wake asked for it.
    pub(crate) fn woken(&self, task: &TaskRef, queue: bool) {
        task.header().stats.record_wake_here();
        self.trace.woken(task.header(), self.actor.get(), queue);
        if queue {
            self.queue_woken(task.clone());
        }
    }

    /// Queues a task that was woken or aborted on this thread, noting who did it.
    pub(crate) fn queue_woken(&self, task: TaskRef) {
        task.header().stats.set_woken_by(self.actor.get());
        self.push_local(task);
    }

    /// How often a seeded order has left FIFO so far (`None`: the order is FIFO).
    pub(crate) fn order_deviations(&self) -> Option<u32> {
        self.steer.as_ref().and_then(|steer| steer.deviations())
    }

    /// Appends a scheduled task to the local run queue.
    pub(crate) fn push_local(&self, task: TaskRef) {
        debug_assert!(task.header().state.load().is_scheduled(), "queued tasks are SCHEDULED");
        self.run_queue.borrow_mut().push_back(task);
    }

    /// Moves everything other threads sent into the local run queue.
    fn drain_remote(&self) {
        while let Ok(message) = self.remote.try_recv() {
            match message {
                Remote::Wake(task) => {
                    self.trace.woken(task.header(), WokenBy::OtherThread, true);
                    task.header().stats.set_woken_by(WokenBy::OtherThread);
                    self.push_local(task);
                }
                Remote::Spawn(spawn) => {
                    let (table, queue) = spawn.deliver();
                    self.file_new_task(table, queue);
                }
            }
        }
    }

    /// Sleeps in the driver until woken, between the `on_thread_park` and `on_thread_unpark`
    /// hooks. A park hook that made work (woke the `block_on` future, spawned, woke a task)
    /// turns the sleep into a peek.
    fn park_idle(&self, main: &MainWake) {
        let hooks = &self.config.settings.park_hooks;
        hooks.before_park();
        if let Some(steer) = &self.steer {
            steer.parking();
        }
        let made_work =
            main.is_woken() || !self.run_queue.borrow().is_empty() || !self.remote.is_empty();
        self.park(if made_work { Park::Peek } else { Park::Idle });
        hooks.after_unpark();
    }

    /// Sleeps in the driver (or peeks at it), with the tracer told on the way in and out.
    fn park(&self, park: Park) {
        // Paused time jumps only when nothing else can happen: no blocking job is running and
        // no wake from another thread is waiting to be drained. The driver asks twice: before
        // the turn, and again after it, since a wake may have landed meanwhile.
        let nothing_else_can_happen = || self.shared.blocking_jobs() == 0 && self.remote.is_empty();
        let reason = match park {
            Park::Idle => ParkReason::Idle,
            Park::Peek => ParkReason::Peek,
        };
        let observer = Parking { core: self, reason };
        let outcome = self.driver.park(park, &nothing_else_can_happen, &observer);
        self.actor.set(WokenBy::Runtime);
        self.trace.unparked(outcome.io_events, outcome.timers_fired, self.clock_ms());
    }

    /// The runtime clock's time, in ms since it started (paused time included).
    fn clock_ms(&self) -> u64 {
        self.driver.time.clock.now_ms()
    }

    /// The runtime's clock and timing wheel.
    pub(crate) fn time(&self) -> &TimeDriver {
        &self.driver.time
    }

    /// A number that tells this runtime apart from every other one in the process.
    pub(crate) fn runtime_id(&self) -> u64 {
        self.shared.id
    }

    /// The task being polled right now, if any (`task::id()`).
    pub(crate) fn current_task(&self) -> Option<Id> {
        match self.actor.get() {
            WokenBy::Task(id) => Some(id),
            _ => None,
        }
    }

    /// Runs `f` (which fires timers) as the timer actor: `time::advance` calls it.
    pub(crate) fn as_timer<R>(&self, f: impl FnOnce(&TimeDriver) -> R) -> R {
        let clock_ms = self.driver.time.clock.now_ms();
        let previous = self.actor.replace(WokenBy::Timer { clock_ms });
        let result = f(&self.driver.time);
        self.actor.set(previous);
        result
    }

    pub(crate) fn metrics(&self) -> RuntimeMetrics {
        let tasks = self.tasks.borrow();
        let run_queue_len = self.run_queue.borrow().len();
        RuntimeMetrics::new(&self.trace, tasks.iter(), run_queue_len, self.driver.time.timers())
    }

    pub(crate) fn task_metrics(&self) -> Vec<TaskMetrics> {
        let tasks = self.tasks.borrow();
        tasks.iter().map(|task| TaskMetrics::of(task, &self.trace)).collect()
    }

    /// The task table as text, one line per live task. Never panics, even when called from a
    /// debugger at a stop where the table is borrowed.
    pub(crate) fn dump(&self) -> String {
        let (Ok(tasks), Ok(queue)) = (self.tasks.try_borrow(), self.run_queue.try_borrow()) else {
            return "the task table is being changed right now; step on and try again\n".into();
        };
        let timers = self.driver.time.try_timers().unwrap_or(0);
        trace::dump::table(tasks.iter(), tasks.len(), queue.len(), timers)
    }

    // ANCHOR: shutdown
    /// Cancels every task and drops every future, on this thread. Runs when the `Runtime` drops.
    pub(crate) fn shutdown(self: &Rc<Self>) {
        // A future's `Drop` may spawn or wake, so the runtime stays current while they run.
        let _entered = context::enter(self.clone());
        self.trace.shutting_down(self.tasks.borrow().iter());
        // From now on, other threads' wakes are dropped where they happen, and their spawns
        // cancel themselves (`RemoteSpawn::drop`). Closing first matters: a spawn delivered
        // after the loop below would sit in the task table, never cancelled.
        self.shared.close();
        loop {
            // Spawns from other threads that arrived before the close are cancelled too.
            self.drain_remote();
            let tasks = self.tasks.borrow_mut().take_all();
            if tasks.is_empty() {
                break;
            }
            // Dropping a future may spawn a new task. On this thread `spawn` sees the runtime
            // closed and cancels it on the spot; a task that arrived from another thread before
            // the close is drained and cancelled by the next round.
            for task in tasks {
                task.shutdown();
            }
        }
        let queued = std::mem::take(&mut *self.run_queue.borrow_mut());
        drop(queued);
        // I/O futures held outside the runtime now fail instead of hanging; timers go.
        self.driver.shutdown();
        // Last, the timeline: every task has ended by now, so it is complete.
        self.trace.finish();
    }
    // ANCHOR_END: shutdown
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("run_queue_len", &self.run_queue.borrow().len())
            .field("tasks_alive", &self.tasks.borrow().len())
            .field("driver", &self.driver)
            .field("trace", &self.trace)
            .finish()
    }
}

/// Tells the tracer what the driver is doing while the run loop is parked in it.
struct Parking<'a> {
    core: &'a Core,
    reason: ParkReason,
}

impl ParkObserver for Parking<'_> {
    fn turning(&self, timeout: Option<Duration>) {
        self.core.trace.parking(self.reason, timeout);
        self.core.actor.set(WokenBy::Reactor);
    }

    fn firing(&self, clock_ms: u64) {
        self.core.actor.set(WokenBy::Timer { clock_ms });
    }
}

/// The waker of the `block_on` future: a flag, plus an unpark when woken from another thread.
struct MainWake {
    woken: AtomicBool,
    shared: Arc<Shared>,
}

impl MainWake {
    fn new(shared: Arc<Shared>) -> MainWake {
        MainWake { woken: AtomicBool::new(true), shared }
    }

    fn take_woken(&self) -> bool {
        self.woken.swap(false, Ordering::AcqRel)
    }

    fn is_woken(&self) -> bool {
        self.woken.load(Ordering::Acquire)
    }
}

impl Wake for MainWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        // On the runtime's own thread the loop is running and will see the flag; anywhere else
        // the runtime may be asleep in the driver.
        if !self.shared.is_owner_thread() {
            self.shared.unpark();
        }
    }
}
