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
//! So Clockwork wakes every waker it collected, whatever one of them does, and then decides
//! where the first panic goes, by what the caller was doing:
//!
//! - **An operation that gives something** (a send, a notify, an unlock, `add_permits`,
//!   `close`): once every waker is woken and the operation is complete, the first panic is
//!   raised again in the caller, as tokio does. Nothing is lost: the message is queued, the
//!   permit handed over. (`WakeList::wake_all` in `sync/waiters.rs`.)
//! - **A receive, a drop, or the runtime's own bookkeeping** (a batch of timers or of ready
//!   sockets, a task waking its `JoinHandle`): the panic is *contained*. The panic hook has
//!   reported it on stderr (with the location of the waker's code), the payload is dropped,
//!   and the caller carries on. Raising it there would lose the value being received, abort the
//!   process (a panic out of a `Drop` that runs during an unwind), or unwind the run loop.
//!   ([`wake`] and [`drop_value`].)
//!
//! tokio raises the first panic everywhere and drops the wakers not yet woken, whose tasks then
//! wait forever; `docs/src/sync.md` ("When user code panics") compares the two.

use std::any::Any;
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::task::Waker;

/// Wakes `waker`; a panic from it is reported by the panic hook and goes no further.
pub(crate) fn wake(waker: Waker) {
    forget_panic(panic::catch_unwind(AssertUnwindSafe(|| waker.wake())).err());
}

/// Wakes every waker, even after one of them panicked, and returns the first panic's payload
/// (dropping any later ones) for the caller to raise or to forget.
pub(crate) fn wake_each(wakers: impl IntoIterator<Item = Waker>) -> Option<Box<dyn Any + Send>> {
    let mut first = None;
    for waker in wakers {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
            match first {
                None => first = Some(payload),
                Some(_) => forget_panic(Some(payload)),
            }
        }
    }
    first
}

/// Raises `payload` again in the caller, unless this thread is already unwinding (a second
/// panic would abort the process): then it is dropped like a contained one.
pub(crate) fn raise(payload: Option<Box<dyn Any + Send>>) {
    match payload {
        Some(payload) if !std::thread::panicking() => panic::resume_unwind(payload),
        other => forget_panic(other),
    }
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
