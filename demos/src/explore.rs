//! `clockwork::explore` called from inside a pattern, where a failure is an outcome to show.
//!
//! `explore` runs a test under many orders of polls and, on the first run that fails, prints
//! the line that replays it (on stderr) and panics with that run's panic. It is meant for
//! tests; a pattern wants to say what happened and carry on. So this runs it:
//!
//! - on a thread of its own, because `explore` builds a runtime per run, and a runtime cannot
//!   be started from inside another one's task;
//! - on a thread without a name, so that the replay line says `<the same command>` rather than
//!   naming a test that does not exist;
//! - inside `catch_unwind`, so that the failure becomes an [`Explored::Failed`].
//!
//! Only `on_clockwork.rs` uses it: tokio has no such mode (`on_tokio.rs` says so).

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};

/// What an exploration found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explored {
    /// Run `run` (counting from 1) of `runs` panicked with `message`; `explore` printed its
    /// replay line on stderr.
    Failed { run: u32, runs: u32, message: String },
    /// Every one of the `runs` passed.
    Passed { runs: u32 },
}

/// Runs `clockwork::explore(runs, test)` on a fresh thread, and waits for it without blocking
/// the runtime this is awaited on.
pub async fn explore<F, Fut>(runs: u32, test: F) -> Explored
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let (tx, rx) = clockwork::sync::oneshot::channel();
    std::thread::spawn(move || {
        // The receiver is gone only if the pattern was cancelled: nobody is left to tell.
        let _ = tx.send(explore_here(runs, test));
    });
    rx.await.expect("the exploring thread sends its outcome")
}

/// Runs the exploration on this thread, which must not be inside a runtime.
fn explore_here<F, Fut>(runs: u32, test: F) -> Explored
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let started = AtomicU32::new(0);
    let counted = || {
        started.fetch_add(1, Ordering::SeqCst);
        test()
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| clockwork::explore(runs, counted)));
    match outcome {
        Ok(()) => Explored::Passed { runs: started.load(Ordering::SeqCst) },
        Err(panic) => Explored::Failed {
            run: started.load(Ordering::SeqCst),
            runs,
            message: panic_message(panic.as_ref()),
        },
    }
}

/// The text a panic was given, when it was given text.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else {
        "a panic without a message".to_string()
    }
}
