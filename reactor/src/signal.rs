//! Unix signals delivered through the reactor, so awaiting Ctrl-C is just another read.
//!
//! A signal handler may run on any thread and may do almost nothing (only async-signal-safe
//! calls, see `signal-safety(7)`), so it cannot touch a waker. Instead, signal-hook's handler
//! writes one byte into a socket pair (the *self-pipe trick*); the other end is registered with
//! the reactor like any socket, and a readable pipe means "the signal arrived".
//!
//! Like tokio, once a handler is installed for a signal it stays installed for the life of the
//! process: after the last [`unix::Signal`] is dropped, the signal is no longer acted upon
//! (e.g. Ctrl-C no longer terminates the process). A delivery then reaches the `Signal`s of
//! its kind made before the reactor's next turn, and is forgotten at that turn, as tokio's
//! driver forgets it (`unix.rs`, "kept").

pub mod unix;

use std::io;

use crate::gone::gone;

/// Completes when the process receives `SIGINT` (Ctrl-C).
///
/// The handler is installed when `ctrl_c()` is *called*, not when the future is first polled,
/// so a signal that arrives in between is not lost.
///
/// # Panics
///
/// Panics outside a Clockwork runtime (see [`crate::Handle::current`]).
pub fn ctrl_c() -> impl Future<Output = io::Result<()>> {
    let registered = unix::signal(unix::SignalKind::interrupt());
    async move {
        let mut signal = registered?;
        match signal.recv().await {
            Some(()) => Ok(()),
            None => Err(gone()),
        }
    }
}
