//! `task::Builder`: spawn a task with a name.

use std::future::Future;
use std::io;
use std::panic::Location;

use crate::task::{JoinHandle, Meta};

/// Configures a task before spawning it. Names show up in [`Runtime::dump`] and in the narration.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let handle = clockwork::task::Builder::new()
///     .name("answer")
///     .spawn(async { 42 })
///     .unwrap();
/// assert_eq!(handle.await.unwrap(), 42);
/// # });
/// ```
///
/// [`Runtime::dump`]: crate::runtime::Runtime::dump
#[derive(Debug, Default)]
pub struct Builder<'a> {
    name: Option<&'a str>,
}

impl<'a> Builder<'a> {
    /// A builder with no name set.
    pub fn new() -> Builder<'a> {
        Builder { name: None }
    }

    /// Names the task.
    pub fn name(self, name: &'a str) -> Builder<'a> {
        Builder { name: Some(name) }
    }

    /// Spawns a `Send` future, like [`task::spawn`](crate::task::spawn). The [`io::Result`]
    /// mirrors tokio's signature; Clockwork never fails here (outside a runtime it panics like
    /// `task::spawn`).
    #[track_caller]
    pub fn spawn<F>(self, future: F) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = Meta::new(self.name, Location::caller());
        Ok(crate::task::spawn_send(future, meta, "task::Builder::spawn"))
    }

    /// Spawns a future that is not `Send`, like [`task::spawn_local`](crate::task::spawn_local).
    #[track_caller]
    pub fn spawn_local<F>(self, future: F) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let meta = Meta::new(self.name, Location::caller());
        Ok(crate::task::spawn_local_with(future, meta))
    }
}
