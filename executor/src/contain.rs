//! Calling user code that may panic, from places a panic must not unwind through.
//!
//! A `Waker` is user code: a custom executor's wake function, a test's counting waker. So is a
//! value's `Drop`. Clockwork calls both from its own bookkeeping: the timer fires a batch of
//! wakers, a channel wakes the receiver after queuing a message, a finished task wakes its
//! `JoinHandle`, the run loop drops a finished future. If such a call panicked and the panic
//! unwound out of Clockwork, the rest of the batch would never be woken (tasks hang), a message
//! could be lost, and a panic in a `Drop` that runs while another panic unwinds would abort the
//! process.
//!
//! So Clockwork *contains* these panics where they happen: the panic hook reports them on
//! stderr as it reports every panic (with the location of the waker's or the value's code),
//! then the payload is dropped and Clockwork goes on with the next waker. tokio differs: its
//! wake lists let the first panic propagate to the caller and drop the wakers not yet woken.
//! `docs/src/sync.md` ("When user code panics") says why Clockwork chose otherwise.

use std::any::Any;
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::task::Waker;

/// Wakes `waker`; a panic from it is reported by the panic hook and goes no further.
pub(crate) fn wake(waker: Waker) {
    forget_panic(panic::catch_unwind(AssertUnwindSafe(|| waker.wake())).err());
}

/// Wakes `waker` by reference; a panic from it is reported by the panic hook and goes no further.
pub(crate) fn wake_by_ref(waker: &Waker) {
    forget_panic(panic::catch_unwind(AssertUnwindSafe(|| waker.wake_by_ref())).err());
}

/// Drops `value`; a panic from its `Drop` is reported by the panic hook and goes no further.
pub(crate) fn drop_value<T>(value: T) {
    forget_panic(panic::catch_unwind(AssertUnwindSafe(move || drop(value))).err());
}

/// Drops a caught panic payload, without letting a second panic (from the payload's own `Drop`)
/// escape: such a payload is leaked, the only quiet choice left.
pub(crate) fn forget_panic(payload: Option<Box<dyn Any + Send>>) {
    if let Some(payload) = payload {
        let second = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
        mem::forget(second);
    }
}
