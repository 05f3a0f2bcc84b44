//! The runtime's thread-local state and the run loop, `Core::block_on`.
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
//! The run queue is a plain FIFO `VecDeque` behind a `RefCell`: only this thread touches it, and
//! no borrow of it is ever held while a future runs (a future may wake, and so push, at any time).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use crossbeam_channel::Receiver;

use crate::runtime::context;
use crate::runtime::driver::{Driver, Park};
use crate::runtime::metrics::RuntimeMetrics;
use crate::runtime::shared::{Remote, Shared};
use crate::runtime::task_table::TaskTable;
use crate::task::raw::{self, PollOutcome, TaskRef};
use crate::task::{Id, JoinHandle, Meta};
use crate::time::driver::TimeDriver;

/// The runtime's settings, from the `Builder`.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) event_interval: usize,
    pub(crate) start_paused: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config { event_interval: 61, start_paused: false }
    }
}

/// Everything the runtime thread owns.
pub(crate) struct Core {
    pub(crate) shared: Arc<Shared>,
    run_queue: RefCell<VecDeque<TaskRef>>,
    tasks: RefCell<TaskTable>,
    remote: Receiver<Remote>,
    driver: Driver,
    config: Config,
    /// The task being polled right now, for `task::id()`.
    current_task: Cell<Option<Id>>,
    counters: Counters,
}

#[derive(Debug, Default)]
struct Counters {
    tasks_spawned: Cell<u64>,
    polls: Cell<u64>,
    parks: Cell<u64>,
    timers_fired: Cell<u64>,
    io_events: Cell<u64>,
    /// Wakes of tasks that have finished (the live ones are summed from their headers).
    wakes_of_finished: Cell<u64>,
}

impl Core {
    pub(crate) fn new(config: Config) -> io::Result<Core> {
        let driver = Driver::new(config.start_paused)?;
        let (shared, remote) = Shared::new(driver.unparker());
        Ok(Core {
            shared: Arc::new(shared),
            run_queue: RefCell::new(VecDeque::with_capacity(64)),
            tasks: RefCell::new(TaskTable::default()),
            remote,
            driver,
            config,
            current_task: Cell::new(None),
            counters: Counters::default(),
        })
    }

    // ANCHOR: run_loop
    /// The run loop. Every spawned task of this runtime is polled from here.
    pub(crate) fn block_on<F: Future>(self: &Rc<Self>, future: F) -> F::Output {
        let _entered = context::enter_block_on(self.clone());
        let _reactor = clockwork_reactor::enter(&self.driver.reactor_handle());
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
                if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                    return output;
                }
            }
            // 2. Poll a batch of ready tasks, oldest first.
            polls_since_driver += self.run_batch();
            // 3. Wakes and spawns from other threads join the back of the queue.
            self.drain_remote();
            // 4. With work left, only peek at the driver, and only every `event_interval` polls,
            //    so that busy tasks cannot starve timers and I/O. With none, sleep until a timer,
            //    I/O or another thread wakes us.
            let work_left = main.is_woken() || !self.run_queue.borrow().is_empty();
            if !work_left {
                self.park(Park::Idle);
                self.drain_remote();
                polls_since_driver = 0;
            } else if polls_since_driver >= self.config.event_interval {
                self.park(Park::Peek);
                polls_since_driver = 0;
            }
        }
    }
    // ANCHOR_END: run_loop    // ANCHOR_END: run_loop

    /// Polls up to `event_interval` tasks; returns how many it polled.
    fn run_batch(&self) -> usize {
        for polled in 0..self.config.event_interval {
            let next = self.run_queue.borrow_mut().pop_front();
            let Some(task) = next else { return polled };
            self.run_task(task);
        }
        self.config.event_interval
    }

    // ANCHOR: run_task
    /// Polls one task and does what the poll's outcome asks.
    fn run_task(&self, task: TaskRef) {
        let header = task.header();
        header.stats.record_poll();
        self.counters.polls.set(self.counters.polls.get() + 1);
        self.current_task.set(Some(header.meta.id));
        let outcome = task.poll();
        self.current_task.set(None);

        match outcome {
            // Nobody woke it: whoever holds its waker will. Drop the queue's reference.
            PollOutcome::Parked | PollOutcome::Skip => drop(task),
            // It woke itself during the poll: it is our job to requeue it, exactly once.
            PollOutcome::Requeue => self.push_local(task),
            // It finished: forget it. The drop happens after the table's borrow ends.
            PollOutcome::Complete => {
                let wakes = self.counters.wakes_of_finished.get() + header.stats.wakes();
                self.counters.wakes_of_finished.set(wakes);
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
        self.counters.tasks_spawned.set(self.counters.tasks_spawned.get() + 1);
        self.tasks.borrow_mut().insert(table);
        self.push_local(queue);
        JoinHandle::new(join)
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
                Remote::Wake(task) => self.push_local(task),
                Remote::Spawn(spawn) => {
                    let (table, queue) = spawn.deliver();
                    self.counters.tasks_spawned.set(self.counters.tasks_spawned.get() + 1);
                    self.tasks.borrow_mut().insert(table);
                    self.push_local(queue);
                }
            }
        }
    }

    fn park(&self, park: Park) {
        if park == Park::Idle {
            self.counters.parks.set(self.counters.parks.get() + 1);
        }
        // Paused time jumps only when nothing else can happen: no blocking job is running and
        // no wake from another thread is waiting to be drained.
        let may_auto_advance = self.shared.blocking_jobs() == 0 && self.remote.is_empty();
        let outcome = self.driver.park(park, may_auto_advance);
        let timers_fired = self.counters.timers_fired.get() + outcome.timers_fired as u64;
        self.counters.timers_fired.set(timers_fired);
        let io_events = self.counters.io_events.get() + outcome.io_events as u64;
        self.counters.io_events.set(io_events);
    }

    /// The runtime's clock and timing wheel.
    pub(crate) fn time(&self) -> &TimeDriver {
        &self.driver.time
    }

    /// A number that tells this runtime apart from every other one in the process.
    pub(crate) fn runtime_id(&self) -> u64 {
        self.shared.id
    }

    pub(crate) fn current_task(&self) -> Option<Id> {
        self.current_task.get()
    }

    pub(crate) fn metrics(&self) -> RuntimeMetrics {
        let tasks = self.tasks.borrow();
        RuntimeMetrics {
            tasks_alive: tasks.len(),
            tasks_spawned: self.counters.tasks_spawned.get(),
            polls: self.counters.polls.get(),
            wakes: self.counters.wakes_of_finished.get()
                + tasks.iter().map(|task| task.header().stats.wakes()).sum::<u64>(),
            parks: self.counters.parks.get(),
            run_queue_len: self.run_queue.borrow().len(),
            timers: self.driver.time.timers(),
            timers_fired: self.counters.timers_fired.get(),
            io_events: self.counters.io_events.get(),
        }
    }

    /// The task table as text, one line per live task.
    pub(crate) fn dump(&self) -> String {
        use std::fmt::Write;
        let tasks = self.tasks.borrow();
        let mut out = format!("{} live task(s)\n", tasks.len());
        let _ = writeln!(
            out,
            "{:<10} {:<20} {:<17} {:>7} {:>7}  spawned at",
            "id", "name", "state", "polls", "wakes"
        );
        for task in tasks.iter() {
            let header = task.header();
            let name = header.meta.name.as_deref().unwrap_or("-");
            let _ = writeln!(
                out,
                "{:<10} {:<20} {:<17} {:>7} {:>7}  {}",
                format!("{:?}", header.meta.id),
                name,
                header.state.load().name(),
                header.stats.polls(),
                header.stats.wakes(),
                header.meta.location,
            );
        }
        out
    }

    // ANCHOR: shutdown
    /// Cancels every task and drops every future, on this thread. Runs when the `Runtime` drops.
    pub(crate) fn shutdown(self: &Rc<Self>) {
        // A future's `Drop` may spawn or wake, so the runtime stays current while they run.
        let _entered = context::enter(self.clone());
        loop {
            // Spawns from other threads that arrived before the end are cancelled like the rest.
            self.drain_remote();
            let tasks = self.tasks.borrow_mut().take_all();
            if tasks.is_empty() {
                break;
            }
            // Dropping a future may spawn a new task: the next round of the loop cancels it.
            for task in tasks {
                task.shutdown();
            }
        }
        // From now on, remote wakes are dropped where they happen.
        self.shared.close();
        let queued = std::mem::take(&mut *self.run_queue.borrow_mut());
        drop(queued);
        self.drain_remote();
        let leftover = std::mem::take(&mut *self.run_queue.borrow_mut());
        drop(leftover);
        // I/O futures held outside the runtime now fail instead of hanging; timers go.
        self.driver.shutdown();
    }
    // ANCHOR_END: shutdown
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("run_queue_len", &self.run_queue.borrow().len())
            .field("tasks_alive", &self.tasks.borrow().len())
            .field("driver", &self.driver)
            .field("counters", &self.counters)
            .finish()
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
