//! The thread's *current* reactor, so I/O types can be created without passing a handle around.
//!
//! `TcpStream::connect(addr)` takes no reactor argument, as in tokio. Instead the executor enters
//! its reactor's handle for as long as it runs (`block_on`) and under `Runtime::enter`, and the
//! I/O types look it up when they are made.

use std::cell::RefCell;

use crate::reactor::Handle;

thread_local! {
    /// The handle entered last on this thread, if any.
    static CURRENT: RefCell<Option<Handle>> = const { RefCell::new(None) };
}

/// Makes `handle` the current reactor on this thread until the guard is dropped.
///
/// Guards nest: dropping one restores whatever was current before it.
pub fn enter(handle: &Handle) -> EnterGuard {
    let entered = Some(handle.clone());
    let previous = CURRENT.with(|current| current.replace(entered));
    EnterGuard { previous }
}

/// Restores the previously current reactor when dropped; see [`enter`].
#[derive(Debug)]
#[must_use = "the reactor stops being current as soon as the guard is dropped"]
pub struct EnterGuard {
    previous: Option<Handle>,
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| current.replace(previous));
    }
}

impl Handle {
    /// The current reactor's handle.
    ///
    /// # Panics
    ///
    /// Panics outside [`enter`], i.e. when no Clockwork runtime is running on this thread.
    #[track_caller]
    pub fn current() -> Handle {
        match Handle::try_current() {
            Some(handle) => handle,
            None => panic!(
                "there is no reactor running, must be called from the context of a Clockwork runtime"
            ),
        }
    }

    /// The current reactor's handle, or `None` outside [`enter`].
    pub fn try_current() -> Option<Handle> {
        CURRENT.with(|current| current.borrow().clone())
    }
}
