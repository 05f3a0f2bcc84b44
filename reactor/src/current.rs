//! The thread's *current* reactor, so I/O types can be created without passing a handle around.
//!
//! `TcpStream::connect(addr)` takes no reactor argument, as in tokio. Instead the executor enters
//! its reactor's handle for as long as it runs (`block_on`) and under `Runtime::enter`, and the
//! I/O types look it up when they are made.

use std::cell::RefCell;

use crate::reactor::Handle;

thread_local! {
    /// What was entered last on this thread, if anything.
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

/// What a runtime made current: its reactor, or the fact that it has none.
#[derive(Debug, Clone)]
enum Current {
    Reactor(Handle),
    /// A runtime built without `enable_io`: I/O made here panics and says how to enable it,
    /// as tokio's does, rather than that no runtime is running.
    Disabled,
}

/// Makes `handle` the current reactor on this thread until the guard is dropped.
///
/// Guards nest: dropping one restores whatever was current before it.
pub fn enter(handle: &Handle) -> EnterGuard {
    replace(Current::Reactor(handle.clone()))
}

/// Marks this thread's runtime as one without I/O until the guard is dropped: creating an I/O
/// type then panics with a message that names `enable_io`.
pub fn enter_disabled() -> EnterGuard {
    replace(Current::Disabled)
}

fn replace(entered: Current) -> EnterGuard {
    let previous = CURRENT.with(|current| current.replace(Some(entered)));
    EnterGuard { previous }
}

/// Restores the previously current reactor when dropped; see [`enter`].
#[derive(Debug)]
#[must_use = "the reactor stops being current as soon as the guard is dropped"]
pub struct EnterGuard {
    previous: Option<Current>,
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
    /// Panics outside [`enter`], i.e. when no Clockwork runtime is running on this thread, and
    /// under [`enter_disabled`], on a runtime built without I/O.
    #[track_caller]
    pub fn current() -> Handle {
        match CURRENT.with(|current| current.borrow().clone()) {
            Some(Current::Reactor(handle)) => handle,
            Some(Current::Disabled) => panic!(
                "I/O is disabled on this Clockwork runtime: build it with enable_io() or \
                 enable_all() on its Builder"
            ),
            None => panic!(
                "there is no reactor running, must be called from the context of a Clockwork runtime"
            ),
        }
    }

    /// The current reactor's handle, or `None` outside [`enter`] (or under
    /// [`enter_disabled`]).
    pub fn try_current() -> Option<Handle> {
        match CURRENT.with(|current| current.borrow().clone()) {
            Some(Current::Reactor(handle)) => Some(handle),
            _ => None,
        }
    }
}
