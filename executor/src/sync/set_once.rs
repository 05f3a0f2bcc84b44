//! `SetOnce`: a value set once, that tasks can wait for.
//!
//! Where `OnceCell` lets the first task run an initializer, `SetOnce` is set from outside
//! (`set`) and awaited (`wait`). It is a `std::sync::OnceLock` for the value and a `Notify`
//! for the waiters: `set` stores the value, then wakes everyone with `notify_waiters`. A
//! waiter enables its `Notified` before looking at the value, so a `set` that comes between
//! the look and the wait still wakes it.

use std::fmt;
use std::pin::pin;
use std::sync::OnceLock;

use crate::sync::Notify;

/// A value set once, then read by everyone; tasks can wait for it, as
/// `tokio::sync::SetOnce`.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// let ready = Arc::new(clockwork::sync::SetOnce::new());
/// let waiter = clockwork::spawn({
///     let ready = ready.clone();
///     async move { *ready.wait().await }
/// });
/// ready.set(42).unwrap();
/// assert_eq!(waiter.await.unwrap(), 42);
/// assert!(ready.set(43).is_err(), "only the first set counts");
/// # });
/// ```
pub struct SetOnce<T> {
    value: OnceLock<T>,
    set: Notify,
}

/// [`SetOnce::set`] found a value already there; the refused value is in `.0`.
#[derive(Debug, PartialEq, Eq)]
pub struct SetOnceError<T>(pub T);

impl<T> SetOnce<T> {
    /// An empty `SetOnce`.
    pub fn new() -> SetOnce<T> {
        SetOnce { value: OnceLock::new(), set: Notify::new() }
    }

    /// An empty `SetOnce`, in a `const` context (a `static`, say); not under `--cfg loom`.
    #[cfg(not(loom))]
    pub const fn const_new() -> SetOnce<T> {
        SetOnce { value: OnceLock::new(), set: Notify::const_new() }
    }

    /// A `SetOnce` holding `value` if it is `Some`, empty otherwise.
    pub fn new_with(value: Option<T>) -> SetOnce<T> {
        let once = SetOnce::new();
        if let Some(value) = value {
            let _always_empty = once.set(value);
        }
        once
    }

    /// True once a value was set.
    pub fn initialized(&self) -> bool {
        self.value.get().is_some()
    }

    /// The value, if one was set.
    pub fn get(&self) -> Option<&T> {
        self.value.get()
    }

    /// Stores `value` and wakes every waiting task, unless a value is already there.
    pub fn set(&self, value: T) -> Result<(), SetOnceError<T>> {
        self.value.set(value).map_err(SetOnceError)?;
        self.set.notify_waiters();
        Ok(())
    }

    /// Waits until a value is set, and returns it.
    ///
    /// Cancel safety: cancel-safe; nothing is consumed.
    pub async fn wait(&self) -> &T {
        loop {
            let mut notified = pin!(self.set.notified());
            // Joining the waiters before looking means a `set` in between still wakes us.
            notified.as_mut().enable();
            if let Some(value) = self.get() {
                return value;
            }
            notified.await;
        }
    }

    /// The value, consuming the `SetOnce`.
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }
}

impl<T> Default for SetOnce<T> {
    fn default() -> SetOnce<T> {
        SetOnce::new()
    }
}

impl<T> From<T> for SetOnce<T> {
    fn from(value: T) -> SetOnce<T> {
        SetOnce::new_with(Some(value))
    }
}

impl<T: Clone> Clone for SetOnce<T> {
    fn clone(&self) -> SetOnce<T> {
        SetOnce::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for SetOnce<T> {
    fn eq(&self, other: &SetOnce<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for SetOnce<T> {}

impl<T: fmt::Debug> fmt::Debug for SetOnce<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetOnce").field("value", &self.get()).finish()
    }
}

impl<T> fmt::Display for SetOnceError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SetOnceError")
    }
}

impl<T: fmt::Debug> std::error::Error for SetOnceError<T> {}
