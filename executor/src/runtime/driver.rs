//! How the runtime thread sleeps when there is nothing to run, and how it is woken.
//!
//! For now the driver is a plain thread park: `park(timeout)` sleeps until `Unparker::unpark`
//! is called from any thread, or the timeout passes. `std::thread::park` keeps a token, so an
//! unpark that arrives just *before* the park is not lost: the park returns at once.

use std::fmt;
use std::thread::{self, Thread};
use std::time::Duration;

/// Puts the runtime thread to sleep.
pub(crate) struct Driver {
    unparker: Unparker,
}

/// Wakes a parked runtime thread. `Send + Sync + Clone`.
#[derive(Clone)]
pub(crate) struct Unparker {
    thread: Thread,
}

impl Driver {
    pub(crate) fn new() -> Driver {
        Driver { unparker: Unparker { thread: thread::current() } }
    }

    pub(crate) fn unparker(&self) -> Unparker {
        self.unparker.clone()
    }

    /// Sleeps until unparked or until `timeout` passes (`None`: no limit).
    pub(crate) fn park(&self, timeout: Option<Duration>) {
        match timeout {
            Some(Duration::ZERO) => {}
            Some(timeout) => thread::park_timeout(timeout),
            None => thread::park(),
        }
    }
}

impl Unparker {
    pub(crate) fn unpark(&self) {
        self.thread.unpark();
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver").field("kind", &"thread park").finish()
    }
}
