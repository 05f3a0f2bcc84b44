//! `OnceCell`: a value set once, by the first of many tasks that may try to initialize it.
//!
//! The value lives in a `std::sync::OnceLock`, which already knows how to be written once and
//! read by everyone after. What the async version adds is the *initializer*: an async function
//! that only one task runs at a time. That is a `Semaphore` with one permit: the task that
//! holds it runs its initializer; the others wait in the semaphore's queue. If the initializer
//! fails, panics or is cancelled, the permit goes to the next task, which tries its own. Once
//! the value is set, the semaphore is closed, and everyone waiting wakes up to read it.

use std::fmt;
use std::future::Future;
use std::sync::OnceLock;

use crate::sync::{Semaphore, SemaphorePermit};

/// A cell initialized once, asynchronously, as `tokio::sync::OnceCell`.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// static CONFIG: clockwork::sync::OnceCell<String> = clockwork::sync::OnceCell::const_new();
/// let value = CONFIG.get_or_init(|| async { "loaded".to_string() }).await;
/// assert_eq!(value, "loaded");
/// assert_eq!(CONFIG.get_or_init(|| async { unreachable!() }).await, "loaded");
/// # });
/// ```
pub struct OnceCell<T> {
    value: OnceLock<T>,
    /// One permit: whoever holds it may initialize. Closed once the value is set.
    initializing: Semaphore,
}

/// Why [`OnceCell::set`] refused the value; the value comes back in either case.
#[derive(Debug, PartialEq, Eq)]
pub enum SetError<T> {
    /// The cell already holds a value.
    AlreadyInitializedError(T),
    /// Another task is running its initializer right now.
    InitializingError(T),
}

impl<T> OnceCell<T> {
    /// An empty cell.
    pub fn new() -> OnceCell<T> {
        OnceCell { value: OnceLock::new(), initializing: Semaphore::new(1) }
    }

    /// An empty cell, in a `const` context (a `static`, say); not under `--cfg loom`.
    #[cfg(not(loom))]
    pub const fn const_new() -> OnceCell<T> {
        OnceCell { value: OnceLock::new(), initializing: Semaphore::const_new(1) }
    }

    /// A cell holding `value` if it is `Some`, empty otherwise.
    pub fn new_with(value: Option<T>) -> OnceCell<T> {
        let cell = OnceCell::new();
        if let Some(value) = value {
            let _always_empty = cell.set(value);
        }
        cell
    }

    /// True once the cell holds a value.
    pub fn initialized(&self) -> bool {
        self.value.get().is_some()
    }

    /// The value, if the cell holds one.
    pub fn get(&self) -> Option<&T> {
        self.value.get()
    }

    /// The value, through a unique borrow.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.value.get_mut()
    }

    /// Stores `value` if the cell is empty and nobody is initializing it.
    pub fn set(&self, value: T) -> Result<(), SetError<T>> {
        if self.initialized() {
            return Err(SetError::AlreadyInitializedError(value));
        }
        match self.initializing.try_acquire() {
            Ok(permit) => {
                self.store(value, permit);
                Ok(())
            }
            Err(crate::sync::TryAcquireError::NoPermits) => Err(SetError::InitializingError(value)),
            Err(crate::sync::TryAcquireError::Closed) => {
                Err(SetError::AlreadyInitializedError(value))
            }
        }
    }

    /// The value, initializing it with `init` first if the cell is empty. Only one task runs
    /// its `init` at a time; the others wait and then read its value.
    ///
    /// Cancel safety: cancel-safe. A cancelled (or panicking) initializer gives the permit to
    /// the next waiting task, which runs its own.
    pub async fn get_or_init<F, Fut>(&self, init: F) -> &T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        let result =
            self.get_or_try_init(|| async { Ok::<T, std::convert::Infallible>(init().await) });
        match result.await {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Like [`get_or_init`](Self::get_or_init), with an initializer that may fail: its error
    /// is returned, the cell stays empty, and the next waiting task tries its own.
    ///
    /// Cancel safety: cancel-safe, as `get_or_init`.
    pub async fn get_or_try_init<E, F, Fut>(&self, init: F) -> Result<&T, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.get() {
            return Ok(value);
        }
        // Wait for our turn to initialize. A closed semaphore means another task succeeded.
        let Ok(permit) = self.initializing.acquire().await else {
            return Ok(self.get().expect("the semaphore closes once the value is set"));
        };
        if let Some(value) = self.get() {
            return Ok(value);
        }
        // If `init` fails, panics or is cancelled, `permit` is dropped: the next task's turn.
        let value = init().await?;
        Ok(self.store(value, permit))
    }

    /// Stores the value while holding the permit, then closes the semaphore so that every
    /// waiting task wakes up to read it.
    fn store(&self, value: T, permit: SemaphorePermit<'_>) -> &T {
        let stored = self.value.get_or_init(|| value);
        permit.forget();
        self.initializing.close();
        stored
    }

    /// The value, consuming the cell.
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }

    /// Takes the value out, leaving the cell empty (and ready to be initialized again).
    pub fn take(&mut self) -> Option<T> {
        std::mem::take(self).into_inner()
    }
}

impl<T> SetError<T> {
    /// True for [`SetError::AlreadyInitializedError`].
    pub fn is_already_init_err(&self) -> bool {
        matches!(self, SetError::AlreadyInitializedError(_))
    }

    /// True for [`SetError::InitializingError`].
    pub fn is_initializing_err(&self) -> bool {
        matches!(self, SetError::InitializingError(_))
    }
}

impl<T> Default for OnceCell<T> {
    fn default() -> OnceCell<T> {
        OnceCell::new()
    }
}

impl<T> From<T> for OnceCell<T> {
    fn from(value: T) -> OnceCell<T> {
        OnceCell::new_with(Some(value))
    }
}

impl<T: Clone> Clone for OnceCell<T> {
    fn clone(&self) -> OnceCell<T> {
        OnceCell::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for OnceCell<T> {
    fn eq(&self, other: &OnceCell<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for OnceCell<T> {}

impl<T: fmt::Debug> fmt::Debug for OnceCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnceCell").field("value", &self.get()).finish()
    }
}

impl<T> fmt::Display for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::AlreadyInitializedError(_) => f.write_str("AlreadyInitializedError"),
            SetError::InitializingError(_) => f.write_str("InitializingError"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for SetError<T> {}
