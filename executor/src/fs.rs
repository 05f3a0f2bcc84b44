//! Files and directories under tokio's path `clockwork::fs`: `std::fs`, run on the blocking pool.
//!
//! # Why files use the blocking pool
//!
//! The reactor waits for sockets and pipes with `epoll`, which answers one question: "can this
//! fd be read (or written) without blocking?".
//! For a regular file the kernel has no useful answer.
//! `epoll_ctl` refuses a regular file outright (`EPERM`, see `epoll_ctl(2)`), and `poll(2)`
//! reports one as always ready: a read of a file never waits for a *peer* to send something,
//! only for the disk, and `O_NONBLOCK` does not stop that wait (`open(2)`: the flag has no
//! effect on regular files).
//! So there is no readiness to wait for, and the only way to keep the runtime's thread from
//! blocking on the disk is to let another thread block instead.
//! Every function here, like tokio's, runs its `std::fs` call on the blocking pool
//! ([`spawn_blocking`]) and awaits the job's `JoinHandle`:
//!
//! ```text
//!   task: fs::read(path).await
//!     1: spawn_blocking(move || std::fs::read(path))   the job goes to a pool thread
//!     2: the task awaits the JoinHandle: Pending        the runtime runs other tasks
//!     3: read(2) returns on the pool thread
//!     4: the job's result is stored, the task is woken (from another thread)
//!     5: the task is polled again and gets the bytes
//! ```
//!
//! The cost is a thread hand-off per call (tens of microseconds), so many small operations on a
//! [`File`] are slow; wrap it in a [`BufReader`](crate::io::BufReader) or
//! [`BufWriter`](crate::io::BufWriter), or read a whole file with [`read`].
//! Linux has a true asynchronous interface for files, io_uring; tokio uses it for a few
//! operations behind `tokio_unstable`, and Clockwork does not.
//!
//! ```
//! # clockwork::runtime::Runtime::new().unwrap().block_on(async {
//! let dir = std::env::temp_dir().join(format!("clockwork-fs-doc-{}", std::process::id()));
//! clockwork::fs::create_dir_all(&dir).await?;
//! let path = dir.join("greeting.txt");
//! clockwork::fs::write(&path, "hello").await?;
//! assert_eq!(clockwork::fs::read_to_string(&path).await?, "hello");
//! clockwork::fs::remove_dir_all(&dir).await?;
//! # std::io::Result::Ok(()) }).unwrap();
//! ```
//!
//! # Reading order
//!
//! `fs/functions.rs` holds the free functions, each one `std::fs` call on the pool;
//! `fs/file.rs` is [`File`], the one type with state (one operation in flight and a buffer, with
//! its diagram), with `fs/file/buf.rs` its buffer and `fs/file/fd.rs` its conversions;
//! `fs/open_options.rs` and `fs/dir_builder.rs` are the builders; `fs/read_dir.rs` lists a
//! directory a chunk of entries at a time.

mod dir_builder;
mod file;
mod functions;
mod open_options;
mod read_dir;

use std::io;
use std::marker::PhantomData;

pub use dir_builder::DirBuilder;
pub use file::File;
#[cfg(unix)]
pub use functions::symlink;
pub use functions::{
    canonicalize, copy, create_dir, create_dir_all, hard_link, metadata, read, read_link,
    read_to_string, remove_dir, remove_dir_all, remove_file, rename, set_permissions,
    symlink_metadata, try_exists, write,
};
pub use open_options::OpenOptions;
pub use read_dir::{DirEntry, ReadDir, read_dir};
/// The times of a file to change with [`File::set_times`]: `std`'s type, whose builder methods
/// (`new`, `set_accessed`, `set_modified`) are the ones tokio's `FileTimes` has.
pub use std::fs::FileTimes;

use crate::task::{JoinHandle, spawn_blocking};

// ANCHOR: asyncify
/// Runs `f` on the blocking pool and waits for its answer.
///
/// A job that could not run to its end (the runtime shut down before it started, or it
/// panicked) answers an error of kind `Other`, as tokio's do. Not `Interrupted`, which is what
/// a `JoinError` turns into elsewhere: `write_all` and `read_to_end` retry an `Interrupted`
/// error, and would retry a dead runtime for ever.
pub(crate) async fn asyncify<F, T>(f: F) -> io::Result<T>
where
    F: FnOnce() -> io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    match spawn_blocking(f).await {
        Ok(answer) => answer,
        Err(join_error) => Err(background_failed(join_error)),
    }
}
// ANCHOR_END: asyncify

/// The error a file operation answers when its job on the pool did not run to its end.
pub(crate) fn background_failed(join_error: crate::task::JoinError) -> io::Error {
    io::Error::other(format!("background task failed: {join_error}"))
}

// ANCHOR: mandatory
/// Runs `f` on the blocking pool, and runs it even if the pool never starts it.
///
/// A write is *accepted* (`poll_write` answers `Ready(Ok(n))`) as soon as its job is handed to
/// the pool, so the job must not be lost: a runtime that shuts down drops the jobs its pool has
/// not started, and a runtime that is already gone drops the job at once. tokio's answer is a
/// "mandatory" job that its pool runs even while shutting down. Clockwork's is a guard around
/// the closure: if the closure is dropped without having run, its `Drop` runs it, right there,
/// on the thread that dropped it (the one shutting the runtime down). The bytes reach the file
/// either way; only the answer has nobody left to read it.
pub(crate) fn spawn_mandatory_blocking<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let mut guard = RunOnDrop { job: Some(f), answer: PhantomData };
    spawn_blocking(move || {
        let f = guard.job.take().expect("a job runs once, and the guard only runs what is left");
        f()
    })
}

/// Holds a job; runs it on drop unless it was taken out to run. See [`spawn_mandatory_blocking`].
struct RunOnDrop<F: FnOnce() -> R, R> {
    job: Option<F>,
    answer: PhantomData<fn() -> R>,
}

impl<F: FnOnce() -> R, R> Drop for RunOnDrop<F, R> {
    fn drop(&mut self) {
        if let Some(f) = self.job.take() {
            // The pool dropped the job without running it: the write runs here, now.
            drop(f());
        }
    }
}
// ANCHOR_END: mandatory
