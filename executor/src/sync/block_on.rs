//! Runs one future to completion on the calling thread, for the `blocking_*` methods.
//!
//! tokio's primitives have `blocking_recv`, `blocking_lock` and friends for synchronous code
//! (a plain thread, a `spawn_blocking` closure) that must wait for async code. Each is the
//! async method, driven here: poll the future, and when it is pending, park the thread until
//! the future's waker unparks it. The waker is the thread itself, so any primitive that wakes
//! its waiters wakes this thread.
//!
//! Blocking a thread that runs a runtime would stop every task on it, including the one that
//! would have made the future ready: the runtime deadlocks. So, as tokio does, these methods
//! refuse to run inside a runtime, with a panic that says why.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// A waker that unparks the thread that is blocked in [`block_on`].
struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

// ANCHOR: block_on
/// Polls `future` on this thread until it completes, sleeping between polls.
///
/// # Panics
///
/// Panics if this thread is running a Clockwork runtime (see the module's comment).
#[track_caller]
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    assert_not_in_runtime();
    let waker = Waker::from(Arc::new(Unparker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // `park` may also return spuriously; the loop then polls once more, which is harmless.
        thread::park();
    }
}
// ANCHOR_END: block_on

/// Panics with tokio's explanation if this thread is running a runtime's tasks.
///
/// Only a thread inside `block_on` (and not paused by `block_in_place`) counts. A thread that
/// merely has a runtime *current* may block: a `spawn_blocking` closure, or code under
/// `Runtime::enter`, waiting on a channel is the very use these methods are for. So may a
/// `Handle::block_on` on another thread, which runs no task; tokio refuses that one too.
#[track_caller]
fn assert_not_in_runtime() {
    if crate::runtime::context::running_core().is_some() {
        panic!(
            "Cannot block the current thread from within a runtime. This happens because a \
             function attempted to block the current thread while the thread is being used to \
             drive asynchronous tasks."
        );
    }
}
