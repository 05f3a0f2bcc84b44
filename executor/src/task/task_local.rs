//! `task_local!`: a value that belongs to one future and is visible only while it is polled.
//!
//! A thread-local is the wrong tool for "the request id of this task": every task on the
//! thread would see the same one. A task-local is a thread-local slot that a future *borrows*
//! for the length of each of its polls:
//!
//! ```text
//!   KEY.scope(value, future)  ── poll ──► 1. swap `value` into KEY's thread-local slot
//!                                         2. poll `future`: KEY.get() sees `value`
//!                                         3. swap it back out (even if the poll panicked)
//! ```
//!
//! Between polls the value sits in the [`TaskLocalFuture`], so other tasks polled on the same
//! thread see their own value, or none. The same swap surrounds the drop of the inner future,
//! so its destructors see the value too (tokio's behaviour, which its tests check).

use std::cell::RefCell;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;

/// Declares task-local keys, as `tokio::task_local!`.
///
/// ```
/// clockwork::task_local! {
///     static REQUEST_ID: u32;
/// }
///
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// REQUEST_ID.scope(7, async {
///     assert_eq!(REQUEST_ID.get(), 7);
/// }).await;
/// assert!(REQUEST_ID.try_get().is_err(), "outside the scope there is no value");
/// # });
/// ```
#[macro_export]
macro_rules! task_local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty; $($rest:tt)*) => {
        $crate::__task_local_key!($(#[$attr])* $vis $name, $t);
        $crate::task_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty) => {
        $crate::__task_local_key!($(#[$attr])* $vis $name, $t);
    };
}

/// One key of `task_local!`: a `static` [`LocalKey`] around a thread-local slot.
#[doc(hidden)]
#[macro_export]
macro_rules! __task_local_key {
    ($(#[$attr:meta])* $vis:vis $name:ident, $t:ty) => {
        $(#[$attr])*
        $vis static $name: $crate::task::LocalKey<$t> = {
            ::std::thread_local! {
                static SLOT: ::std::cell::RefCell<::std::option::Option<$t>> =
                    const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }
            $crate::task::LocalKey::__new(SLOT)
        };
    };
}

/// A key for task-local data, made by [`task_local!`](crate::task_local), as
/// `tokio::task::LocalKey`.
///
/// The value exists only inside [`LocalKey::scope`] (while its future is polled or dropped)
/// and [`LocalKey::sync_scope`]; it is never created lazily.
pub struct LocalKey<T: 'static> {
    slot: thread::LocalKey<RefCell<Option<T>>>,
}

/// Why [`LocalKey::try_with`] found no value: it was called outside any scope of the key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AccessError {
    _private: (),
}

/// Why a scope could not be entered.
enum ScopeError {
    /// The slot is borrowed: `scope` or `sync_scope` inside `with` of the same key.
    Borrowed,
    /// The thread-local is gone: the thread is exiting.
    Destroyed,
}

impl<T: 'static> LocalKey<T> {
    /// Used by [`task_local!`](crate::task_local); not part of the API.
    #[doc(hidden)]
    pub const fn __new(slot: thread::LocalKey<RefCell<Option<T>>>) -> LocalKey<T> {
        LocalKey { slot }
    }

    /// Wraps `future` so that the key holds `value` while it is polled (and dropped).
    pub fn scope<F: Future>(&'static self, value: T, future: F) -> TaskLocalFuture<T, F> {
        TaskLocalFuture { key: self, value: Some(value), future: Some(future) }
    }

    /// Runs `f` with the key holding `value`, and returns its result.
    ///
    /// # Panics
    ///
    /// Panics if called inside [`LocalKey::with`] of the same key, whose borrow of the value
    /// would then be invalidated.
    #[track_caller]
    pub fn sync_scope<F: FnOnce() -> R, R>(&'static self, value: T, f: F) -> R {
        let mut value = Some(value);
        let entered = self.enter(&mut value);
        match entered {
            Ok(_scope) => f(),
            Err(error) => error.panic(),
        }
    }

    /// Runs `f` with a reference to the key's value.
    ///
    /// # Panics
    ///
    /// Panics outside a scope of the key.
    #[track_caller]
    pub fn with<F: FnOnce(&T) -> R, R>(&'static self, f: F) -> R {
        match self.try_with(f) {
            Ok(result) => result,
            Err(_) => panic!("cannot access a task-local storage value without setting it first"),
        }
    }

    /// Runs `f` with a reference to the key's value, or returns an error outside a scope.
    pub fn try_with<F: FnOnce(&T) -> R, R>(&'static self, f: F) -> Result<R, AccessError> {
        let result = self.slot.try_with(|slot| {
            let slot = slot.try_borrow().ok()?;
            slot.as_ref().map(f)
        });
        result.ok().flatten().ok_or(AccessError { _private: () })
    }

    /// Swaps `value` into the slot; the returned guard swaps it back out when dropped.
    fn enter<'a>(&'static self, value: &'a mut Option<T>) -> Result<Scope<'a, T>, ScopeError> {
        let swapped = self.slot.try_with(|slot| {
            let mut slot = slot.try_borrow_mut().map_err(|_| ScopeError::Borrowed)?;
            mem::swap(&mut *slot, value);
            Ok(())
        });
        swapped.map_err(|_| ScopeError::Destroyed)??;
        Ok(Scope { key: self, value })
    }
}

impl<T: Clone + 'static> LocalKey<T> {
    /// A copy of the key's value.
    ///
    /// # Panics
    ///
    /// Panics outside a scope of the key.
    #[track_caller]
    pub fn get(&'static self) -> T {
        self.with(T::clone)
    }

    /// A copy of the key's value, or an error outside a scope.
    pub fn try_get(&'static self) -> Result<T, AccessError> {
        self.try_with(T::clone)
    }
}

impl<T: 'static> fmt::Debug for LocalKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("LocalKey { .. }")
    }
}

impl ScopeError {
    #[track_caller]
    fn panic(self) -> ! {
        match self {
            ScopeError::Borrowed => {
                panic!("cannot enter a task-local scope while the task-local storage is borrowed")
            }
            ScopeError::Destroyed => panic!(
                "cannot enter a task-local scope during or after destruction of the underlying \
                 thread-local"
            ),
        }
    }
}

/// An entered scope: swaps the value back out of the slot when dropped, even in a panic.
struct Scope<'a, T: 'static> {
    key: &'static LocalKey<T>,
    value: &'a mut Option<T>,
}

impl<T: 'static> Drop for Scope<'_, T> {
    fn drop(&mut self) {
        // The slot is ours again: whoever borrowed it inside the scope has returned.
        let _ = self.key.slot.try_with(|slot| mem::swap(&mut *slot.borrow_mut(), self.value));
    }
}

pin_project_lite::pin_project! {
    /// The future [`LocalKey::scope`] returns: `future`, with the key's value in place for
    /// each of its polls.
    pub struct TaskLocalFuture<T: 'static, F> {
        key: &'static LocalKey<T>,
        // The value, while the future is not being polled.
        value: Option<T>,
        // The future; `None` once it has completed.
        #[pin]
        future: Option<F>,
    }

    impl<T: 'static, F> PinnedDrop for TaskLocalFuture<T, F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            // The future's destructors see the value too, as they would in a poll. If the
            // scope cannot be entered (the thread is exiting), the future is dropped without.
            if this.future.is_some() {
                let _scope = this.key.enter(this.value);
                let mut future = this.future;
                future.set(None);
            }
        }
    }
}

impl<T: 'static, F> TaskLocalFuture<T, F> {
    /// Takes the value out of the future; later polls run without it. `None` if it was taken
    /// already.
    pub fn take_value(self: Pin<&mut Self>) -> Option<T> {
        self.project().value.take()
    }
}

// ANCHOR: scope_poll
impl<T: 'static, F: Future> Future for TaskLocalFuture<T, F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let mut future = this.future;
        let scope = match this.key.enter(this.value) {
            Ok(scope) => scope,
            Err(error) => error.panic(),
        };
        let Some(inner) = future.as_mut().as_pin_mut() else {
            panic!("`TaskLocalFuture` polled after completion");
        };
        let poll = inner.poll(cx);
        if poll.is_ready() {
            // Dropped inside the scope, so its destructors see the value.
            future.set(None);
        }
        drop(scope);
        poll
    }
}
// ANCHOR_END: scope_poll

impl<T: fmt::Debug + 'static, F> fmt::Debug for TaskLocalFuture<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskLocalFuture").field("value", &self.value).finish_non_exhaustive()
    }
}

impl fmt::Debug for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessError").finish()
    }
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("task-local value not set")
    }
}

impl Error for AccessError {}
