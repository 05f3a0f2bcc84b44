//! Which runtime is running on this thread, so that [`spawn`] and wakers can find it.
//!
//! A thread-local holds the runtime's [`Core`] while `block_on` runs (and while the runtime shuts
//! down, so that a future's `Drop` may still spawn or wake). [`spawn`], `task::id`, the timer,
//! the local wake path and the debugger's `clockwork_dump` all start here.
//!
//! [`spawn`]: fn@crate::task::spawn

use std::cell::RefCell;
use std::ptr;
use std::rc::Rc;

use crate::runtime::core::Core;
use crate::runtime::shared::Shared;
use crate::task::raw::TaskRef;

thread_local! {
    static CURRENT: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

/// Runs `f` with the current runtime's core, or returns `None` outside a runtime.
pub(crate) fn with_core<R>(f: impl FnOnce(&Rc<Core>) -> R) -> Option<R> {
    // `try_with` fails only while the thread is being torn down; there is no runtime then.
    let core = CURRENT.try_with(|current| current.borrow().clone()).ok().flatten()?;
    Some(f(&core))
}

/// Runs `f` with the current runtime's core, or panics with a message that says what to do.
#[track_caller]
pub(crate) fn expect_core<R>(what: &str, f: impl FnOnce(&Rc<Core>) -> R) -> R {
    match with_core(f) {
        Some(result) => result,
        None => panic!(
            "{what} called outside a Clockwork runtime: call it from code running inside \
             Runtime::block_on or #[clockwork::main] (from another thread, use \
             runtime::Handle::spawn)"
        ),
    }
}

/// Queues `task` on the local run queue if `shared`'s runtime is the one running on this thread.
/// Gives the task back otherwise.
pub(crate) fn queue_here(shared: &Shared, task: TaskRef) -> Result<(), TaskRef> {
    let mut task = Some(task);
    let _ = CURRENT.try_with(|current| {
        if let Some(core) = &*current.borrow() {
            if ptr::eq(&*core.shared, shared) {
                core.queue_woken(task.take().expect("try_with runs the closure at most once"));
            }
        }
    });
    match task {
        None => Ok(()),
        Some(task) => Err(task),
    }
}

/// Hands a wake of `task` to the run loop if `shared`'s runtime is the one running on this
/// thread ([`Core::woken`]), and says whether it did.
pub(crate) fn woken_here(shared: &Shared, task: &TaskRef, queue: bool) -> bool {
    let here = CURRENT.try_with(|current| match &*current.borrow() {
        Some(core) if ptr::eq(&*core.shared, shared) => {
            core.woken(task, queue);
            true
        }
        _ => false,
    });
    here.unwrap_or(false)
}

/// Restores the previous runtime (usually none) when dropped.
#[derive(Debug)]
pub(crate) struct EnterGuard {
    previous: Option<Rc<Core>>,
}

/// Makes `core` the current runtime for `block_on`.
///
/// # Panics
///
/// Panics if a runtime is already running on this thread.
pub(crate) fn enter_block_on(core: Rc<Core>) -> EnterGuard {
    let busy = CURRENT.try_with(|current| current.borrow().is_some()).unwrap_or(false);
    if busy {
        panic!(
            "Cannot start a runtime from within a runtime: block_on was called on a thread that \
             is already running a Clockwork runtime. This would block every other task; \
             .await the future instead."
        );
    }
    enter(core)
}

/// Makes `core` the current runtime whatever was there before (for shutdown).
///
/// While the thread is being torn down (a [`Runtime`] kept in a `thread_local!` of its own,
/// dropped after ours), there is no context to enter: the runtime shuts down without one, and
/// a [`spawn`] from a `Drop` then panics with the usual message instead of aborting the process.
///
/// [`Runtime`]: crate::runtime::Runtime
/// [`spawn`]: fn@crate::task::spawn
pub(crate) fn enter(core: Rc<Core>) -> EnterGuard {
    let previous = CURRENT.try_with(|current| current.borrow_mut().replace(core)).ok().flatten();
    EnterGuard { previous }
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // Ignore a thread in teardown: there is nothing left to restore then.
        let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
    }
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
