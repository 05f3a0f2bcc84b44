//! Clockwork: a small, single-threaded async runtime, written to be read.
//!
//! An `async fn` does nothing until something polls the future it returns. Clockwork is that
//! something: it polls futures, puts them aside when they return `Pending`, and polls them again
//! when their `Waker` says they can make progress. This page builds the idea in three steps;
//! the modules then show each piece.
//!
//! # 1. `block_on`: poll one future until it is done
//!
//! ```
//! let runtime = clockwork::runtime::Runtime::new().unwrap();
//! let greeting = runtime.block_on(async { "hello" });
//! assert_eq!(greeting, "hello");
//! ```
//!
//! # 2. `spawn`: more futures, polled in turn
//!
//! A spawned future becomes a *task*. The runtime keeps a queue of tasks that are ready to be
//! polled, and polls them while the `block_on` future waits. The [`JoinHandle`](task::JoinHandle)
//! is itself a future: it resolves when the task finishes.
//!
//! ```
//! # let runtime = clockwork::runtime::Runtime::new().unwrap();
//! runtime.block_on(async {
//!     let a = clockwork::spawn(async { 1 });
//!     let b = clockwork::spawn(async { 2 });
//!     assert_eq!(a.await.unwrap() + b.await.unwrap(), 3);
//! });
//! ```
//!
//! # 3. Wakers: how a waiting task gets back into the queue
//!
//! A future that cannot finish yet returns `Pending` and keeps the `Waker` it was given. Calling
//! `wake` puts the task back in the run queue. [`task::yield_now`] is the smallest example: it
//! wakes itself and returns `Pending` once.
//!
//! ```
//! # let runtime = clockwork::runtime::Runtime::new().unwrap();
//! runtime.block_on(async {
//!     let task = clockwork::spawn(async {
//!         clockwork::task::yield_now().await; // Pending once, then polled again
//!         "done"
//!     });
//!     assert_eq!(task.await.unwrap(), "done");
//! });
//! ```
//!
//! Where to read next: `runtime/core.rs` holds the run loop in one function; `task/state.rs`
//! the task lifecycle with its diagram; `task/raw.rs` what a task looks like in memory;
//! [`trace`] how to watch the runtime work (`CLOCKWORK_LOG=1`, `CLOCKWORK_TRACE=out.json`,
//! `Runtime::dump`, and `call clockwork_dump()` in a debugger); [`fs`] and [`process`] why
//! files wait on the blocking pool and child processes on the reactor.
//!
//! The public names follow tokio's, so that a tokio program that uses what Clockwork offers
//! compiles by changing the crate name.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]
// Pretty-printers for the task header, the run queue and the wheel: rust-gdb loads them.
#![debugger_visualizer(gdb_script_file = "../gdb/clockwork.py")]

#[doc(hidden)]
pub mod macros;

mod contain;
pub mod fs;
pub mod io;
mod loom;
pub mod net;
pub mod process;
pub mod runtime;
pub mod signal;
pub mod stream;
pub mod sync;
pub mod task;
pub mod time;
pub mod trace;

#[doc(hidden)]
pub use clockwork_macros::{__numbered, __select_clean_pattern};
pub use clockwork_macros::{main, test};
pub use runtime::explore;
pub use task::{spawn, spawn_blocking};
