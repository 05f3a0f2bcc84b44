//! Which runtime is current on this thread, so that [`spawn`] and wakers can find it.
//!
//! A thread-local keeps a small stack of *entered* runtimes, innermost last. `block_on` pushes
//! its runtime's [`Core`] while it runs, so does the shutdown (a future's `Drop` may still spawn
//! or wake), and so does [`Runtime::enter`], which makes a runtime current without running it.
//! [`spawn`], `task::id`, the timer, the local wake path and the debugger's `clockwork_dump` all
//! start from the top of that stack.
//!
//! The top is one of two things:
//!
//! ```text
//!   Entered::Core(core)     a runtime of this thread: spawn files the task in its table
//!   Entered::Remote(handle) a runtime reached through its handle: spawn sends the task through
//!                           its cross-thread queue. `Handle::enter` on another thread makes
//!                           one; so does `block_in_place`, which pauses the running runtime
//! ```
//!
//! Apart from the stack, a list says which runtimes run a `block_on` on this thread (one,
//! except inside `block_in_place`): a second `block_on` would block every task of the first,
//! so it panics, unless `block_in_place` has paused the first. And a list of the runtimes
//! built on this thread lets `Handle::enter` find the runtime's core when it is called at home.
//!
//! [`spawn`]: fn@crate::task::spawn
//! [`Runtime::enter`]: crate::runtime::Runtime::enter

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::ptr;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use crate::runtime::Handle;
use crate::runtime::core::Core;
use crate::runtime::settings::Drivers;
use crate::runtime::shared::Shared;
use crate::task::raw::TaskRef;
use crate::trace::SocketWait;

/// What a thread's context holds.
struct Context {
    /// The runtimes entered on this thread, innermost last.
    entered: RefCell<Vec<Entered>>,
    /// The runtimes whose `block_on` runs on this thread, outermost first.
    blocking_on: RefCell<Vec<Rc<Core>>>,
    /// How many of `blocking_on` (counted from the first) a `block_in_place` has paused.
    paused: Cell<usize>,
    /// The runtimes built on this thread and not dropped yet, for `Handle::enter`.
    live: RefCell<Vec<Weak<Core>>>,
}

thread_local! {
    static CONTEXT: Context = const {
        Context {
            entered: RefCell::new(Vec::new()),
            blocking_on: RefCell::new(Vec::new()),
            paused: Cell::new(0),
            live: RefCell::new(Vec::new()),
        }
    };
}

/// One entry of the stack of entered runtimes (see the module docs).
#[derive(Clone)]
pub(crate) enum Entered {
    /// A runtime of this thread.
    Core(Rc<Core>),
    /// A runtime reached through its handle (of another thread, or paused).
    Remote(Handle),
}

/// The innermost entered runtime, or `None` when nothing was entered on this thread.
pub(crate) fn current() -> Option<Entered> {
    // `try_with` fails only while the thread is being torn down; there is no runtime then.
    // `try_borrow` fails only when a debugger stops us in the middle of `push` or a guard's
    // drop and calls `clockwork_dump`: it must not panic then either.
    let top = CONTEXT.try_with(|context| {
        let entered = context.entered.try_borrow().ok()?;
        entered.last().cloned()
    });
    top.ok().flatten()
}

/// The drivers of the innermost entered runtime, without cloning it (a `Sleep` asks this when it
/// is made, so it must be cheap). `None` when nothing is entered.
pub(crate) fn current_drivers() -> Option<Drivers> {
    let drivers = CONTEXT.try_with(|context| {
        let entered = context.entered.try_borrow().ok()?;
        Some(match entered.last()? {
            Entered::Core(core) => core.config.settings.drivers,
            Entered::Remote(handle) => handle.settings.drivers,
        })
    });
    drivers.ok().flatten()
}

/// The innermost entered runtime's time now, and its drivers, in one look-up that clones
/// nothing: [`Instant::now`](crate::time::Instant::now) and every `sleep` and `timeout` ask
/// this, so it must be cheap. `None` when nothing is entered; the time is `None` for a runtime
/// entered through its `Handle` (another thread's, or this thread's while `block_in_place`
/// pauses it): callers then read the real clock.
pub(crate) fn clock_and_drivers() -> Option<(Option<std::time::Instant>, Drivers)> {
    let found = CONTEXT.try_with(|context| {
        let entered = context.entered.try_borrow().ok()?;
        Some(match entered.last()? {
            Entered::Core(core) => (Some(core.time().clock.now()), core.config.settings.drivers),
            Entered::Remote(handle) => (None, handle.settings.drivers),
        })
    });
    found.ok().flatten()
}

/// The core of the runtime whose `block_on` runs on this thread, unless `block_in_place` has
/// paused it.
pub(crate) fn running_core() -> Option<Rc<Core>> {
    let core = CONTEXT.try_with(|context| {
        let blocking_on = context.blocking_on.borrow();
        blocking_on.get(context.paused.get()..)?.last().cloned()
    });
    core.ok().flatten()
}

/// True if `core`'s `block_on` runs on this thread, paused or not: it must not start again.
pub(crate) fn is_blocking_on(core: &Rc<Core>) -> bool {
    let found = CONTEXT.try_with(|context| {
        context.blocking_on.borrow().iter().any(|running| Rc::ptr_eq(running, core))
    });
    found.unwrap_or(false)
}

/// Runs `f` with the current runtime's core, or returns `None` when the current runtime is not
/// one of this thread's (or there is none).
pub(crate) fn with_core<R>(f: impl FnOnce(&Rc<Core>) -> R) -> Option<R> {
    let Some(Entered::Core(core)) = current() else { return None };
    Some(f(&core))
}

/// The running task's I/O returned `Pending` on a socket: tells the current runtime's tracer,
/// so that the reactor's next wake of the task names it (`trace::SocketWait`). `socket` is
/// called only while events are recorded.
pub(crate) fn waiting_on_socket(socket: impl FnOnce() -> SocketWait) {
    with_core(|core| {
        let task = core.current_task().filter(|_| core.trace.is_recording());
        if let Some(task) = task {
            core.trace.waiting_on_socket(task, socket());
        }
    });
}

/// Runs `f` with the current runtime's core, or panics with a message that says what to do.
#[track_caller]
pub(crate) fn expect_core<R>(what: &str, f: impl FnOnce(&Rc<Core>) -> R) -> R {
    match with_core(f) {
        Some(result) => result,
        None => panic_outside(what),
    }
}

/// The panic of [`expect_core`], for callers that find the runtime some other way.
#[track_caller]
pub(crate) fn panic_outside(what: &str) -> ! {
    // A guard of `enter` may outlive its runtime: the runtime is then current, but shut down.
    if let Some(Entered::Remote(handle)) = current() {
        if handle.shared.is_closed() {
            panic!(
                "{what} called on a Clockwork runtime that has shut down (a guard of \
                 Runtime::enter outlived it)"
            );
        }
    }
    panic!(
        "{what} called outside a Clockwork runtime: call it from code running inside \
         Runtime::block_on or #[clockwork::main] (from another thread, use \
         runtime::Handle::spawn)"
    )
}

/// The core of `shared`'s runtime, if it is the current one of this thread. Every wake asks
/// this, so it clones nothing but that `Rc` (and only when it matches); the `Rc` is cloned,
/// not borrowed, so that the context is free again while the core handles the wake.
fn current_core_of(shared: &Shared) -> Option<Rc<Core>> {
    let core = CONTEXT.try_with(|context| {
        let entered = context.entered.try_borrow().ok()?;
        match entered.last()? {
            Entered::Core(core) if ptr::eq(&*core.shared, shared) => Some(Rc::clone(core)),
            _ => None,
        }
    });
    core.ok().flatten()
}

/// Queues `task` on the local run queue if `shared`'s runtime is the current one of this
/// thread. Gives the task back otherwise.
pub(crate) fn queue_here(shared: &Shared, task: TaskRef) -> Result<(), TaskRef> {
    match current_core_of(shared) {
        Some(core) => {
            core.queue_woken(task);
            Ok(())
        }
        None => Err(task),
    }
}

/// Hands a wake of `task` to the run loop if `shared`'s runtime is the current one of this
/// thread ([`Core::woken`]), and says whether it did.
pub(crate) fn woken_here(shared: &Shared, task: &TaskRef, queue: bool) -> bool {
    let Some(core) = current_core_of(shared) else { return false };
    core.woken(task, queue);
    true
}

// === entering and leaving ===

/// Leaves what its constructor entered when dropped. Guards must be dropped in the reverse
/// order of their making; a guard dropped out of order panics (as tokio's do).
#[derive(Debug)]
pub(crate) struct EnterGuard {
    /// The stack's length with this guard's entry on it; `None` when nothing was pushed
    /// (the thread is being torn down).
    depth: Option<usize>,
    /// What else to undo besides the entry.
    undo: Undo,
    /// The stack belongs to this thread, so the guard must stay on it too.
    _not_send: PhantomData<Rc<()>>,
}

/// What a guard undoes besides popping its entry.
#[derive(Debug, Clone, Copy)]
enum Undo {
    Nothing,
    /// Forget the last `block_on` of the list.
    BlockOn,
    /// Put back how many runtimes were paused before `block_in_place`.
    Unpause(usize),
}

/// Makes `core` the current runtime for `block_on`.
///
/// # Panics
///
/// Panics if a `block_on` runs on this thread, or if `core`'s own `block_on` is paused by a
/// `block_in_place` (its run loop is in the middle of polling a task).
#[track_caller]
pub(crate) fn enter_block_on(core: Rc<Core>) -> EnterGuard {
    assert_not_running();
    if is_blocking_on(&core) {
        panic_nested();
    }
    let _ = CONTEXT.try_with(|context| context.blocking_on.borrow_mut().push(core.clone()));
    push(Entered::Core(core), Undo::BlockOn)
}

/// Panics if a `block_on` runs on this thread: blocking here would stop all its tasks.
#[track_caller]
pub(crate) fn assert_not_running() {
    if running_core().is_some() {
        panic_nested();
    }
}

#[track_caller]
fn panic_nested() -> ! {
    panic!(
        "Cannot start a runtime from within a runtime: block_on was called on a thread that is \
         already running a Clockwork runtime. This would block every other task; .await the \
         future instead."
    )
}

/// Makes `core` the current runtime without running it (for [`Runtime::enter`] and the
/// shutdown).
///
/// While the thread is being torn down (a [`Runtime`] kept in a `thread_local!` of its own,
/// dropped after ours), there is no context to enter: the runtime shuts down without one, and
/// a [`spawn`] from a `Drop` then panics with the usual message instead of aborting the process.
///
/// [`Runtime`]: crate::runtime::Runtime
/// [`Runtime::enter`]: crate::runtime::Runtime::enter
/// [`spawn`]: fn@crate::task::spawn
pub(crate) fn enter(core: Rc<Core>) -> EnterGuard {
    push(Entered::Core(core), Undo::Nothing)
}

/// Makes `handle`'s runtime current: its core if it was built on this thread and is still
/// alive, the handle otherwise (for `Handle::enter`).
pub(crate) fn enter_handle(handle: &Handle) -> EnterGuard {
    match find_live(&handle.shared) {
        Some(core) if !is_blocking_on(&core) => push(Entered::Core(core), Undo::Nothing),
        _ => push(Entered::Remote(handle.clone()), Undo::Nothing),
    }
}

/// Pauses `core`, whose `block_on` runs on this thread, until the guard drops (for
/// `block_in_place`): a `block_on` may start meanwhile, and the runtime is still current, but
/// only through its handle, as from another thread (its run loop is in the middle of a poll).
pub(crate) fn pause(core: &Rc<Core>) -> EnterGuard {
    let paused = CONTEXT.try_with(|context| {
        let before = context.paused.get();
        context.paused.set(context.blocking_on.borrow().len());
        before
    });
    push(Entered::Remote(Handle::of(core)), Undo::Unpause(paused.unwrap_or(0)))
}

/// Pushes `entry` on this thread's stack.
fn push(entry: Entered, undo: Undo) -> EnterGuard {
    let pushed = CONTEXT.try_with(|context| {
        let mut entered = context.entered.borrow_mut();
        entered.push(entry);
        entered.len()
    });
    EnterGuard { depth: pushed.ok(), undo, _not_send: PhantomData }
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let Some(depth) = self.depth else { return };
        // 1. Take this guard's entry (and anything a leaked guard left above it) off the stack,
        //    and undo the rest. What comes off is dropped after the borrows end: dropping a
        //    core may run its `Drop`.
        let popped = CONTEXT.try_with(|context| {
            let forgotten = self.undo(context);
            let mut entered = context.entered.borrow_mut();
            let in_order = entered.len() == depth;
            let keep = entered.len().min(depth - 1);
            let removed: Vec<Entered> = entered.drain(keep..).collect();
            (in_order, removed, forgotten)
        });
        // 2. A guard dropped out of order is a bug in the caller; say so, unless a panic is
        //    already unwinding (which is how guards end up out of order after a first one).
        let Ok((in_order, removed, forgotten)) = popped else { return };
        drop((removed, forgotten));
        if !in_order && !std::thread::panicking() {
            panic!(
                "`EnterGuard` values dropped out of order. Guards returned by \
                 `Runtime::enter()` and `Handle::enter()` must be dropped in the reverse order \
                 of their making."
            );
        }
    }
}

impl EnterGuard {
    /// Undoes what this guard did besides its entry; returns a core to drop, if any.
    fn undo(&self, context: &Context) -> Option<Rc<Core>> {
        match self.undo {
            Undo::Nothing => None,
            Undo::BlockOn => context.blocking_on.borrow_mut().pop(),
            Undo::Unpause(before) => {
                context.paused.set(before);
                None
            }
        }
    }
}

// === the runtimes of this thread ===

/// Notes a runtime built on this thread, so that `Handle::enter` can find its core.
pub(crate) fn register(core: &Rc<Core>) {
    let _ = CONTEXT.try_with(|context| context.live.borrow_mut().push(Rc::downgrade(core)));
}

/// Forgets a runtime that is being dropped (and any that already went).
pub(crate) fn unregister(core: &Rc<Core>) {
    let _ = CONTEXT.try_with(|context| {
        let mut live = context.live.borrow_mut();
        live.retain(|weak| weak.strong_count() > 0 && !ptr::eq(weak.as_ptr(), Rc::as_ptr(core)));
    });
}

/// The core of the runtime behind `shared`, if it was built on this thread and is alive.
pub(crate) fn find_live(shared: &Arc<Shared>) -> Option<Rc<Core>> {
    let found = CONTEXT.try_with(|context| {
        let live = context.live.borrow();
        let mut cores = live.iter().filter_map(Weak::upgrade);
        cores.find(|core| Arc::ptr_eq(&core.shared, shared))
    });
    found.ok().flatten()
}

// ANCHOR: clockwork_dump
/// Prints the task table of the runtime running on this thread to stderr.
///
/// It is meant for debuggers: at any stop inside a Clockwork program, `call clockwork_dump()`
/// in gdb (or `expr clockwork_dump()` in lldb) prints what every task is doing. It takes no lock
/// and never panics: a table that is being changed at the stop is reported as busy.
#[unsafe(no_mangle)]
pub extern "C" fn clockwork_dump() {
    // The work is in another function: a closure here would put a namespace named
    // `clockwork_dump` in the debug info, next to the function, and lldb's expression parser
    // would then find the name ambiguous.
    print_task_table();
}

/// The same function under the name lldb looks for. lldb reads `clockwork_dump` in the debug
/// info as a function in the namespace `clockwork::runtime::context`, and calls the symbol a C++
/// compiler would have given such a function; rustc gives a `no_mangle` function its plain name
/// only. So `expr clockwork_dump()` in lldb lands here.
#[unsafe(export_name = "_ZN9clockwork7runtime7context14clockwork_dumpEv")]
pub(crate) extern "C" fn clockwork_dump_as_lldb_names_it() {
    print_task_table();
}

fn print_task_table() {
    let table = with_core(|core| core.dump());
    match table {
        Some(table) => eprint!("{table}"),
        None => eprintln!("clockwork_dump: no Clockwork runtime is running on this thread"),
    }
}
// ANCHOR_END: clockwork_dump
