//! The one small interface that every OS backend implements.
//!
//! The rest of the reactor speaks only its own vocabulary (tokens as `usize`, [`Ready`] flags);
//! each file under `sys/` translates that vocabulary to one library's API.
//! A backend splits the OS queue in two, as mio does: a waiting side that only the `Reactor`
//! touches, and a registering side that every `Handle` shares across threads.
//! It must provide:
//!
//! - `Selector::new() -> (Selector, Registry)`: the OS queue (an epoll instance on Linux) plus a
//!   cross-thread wake-up, as its two sides.
//! - `Selector::select(&mut self, &mut Events, timeout)`: block until events arrive, the timeout
//!   passes, or [`Notifier::notify`] is called from another thread.
//! - [`Selector::notifier()`]: a `Send + Sync` handle whose `notify()` interrupts `select`.
//! - `Registry::register(fd, token)`: watch `fd` for reading and writing, **edge-triggered**,
//!   reporting events under `token`. [`Registry`] is `Send + Sync`.
//! - `Registry::deregister(fd)`: stop watching `fd`.
//! - [`Events::iter()`]: the events of the last `select`, without the wake-up's own event. Each
//!   sets [`Ready::read_closed`] when the peer may have shut down its writing side; a backend
//!   that cannot tell must set it with every readable event.
//!
//! The default backend is mio; the cargo feature `polling` selects the polling crate instead.

use crate::slots::Ready;

#[cfg(not(feature = "polling"))]
mod mio;
#[cfg(not(feature = "polling"))]
pub(crate) use self::mio::{Events, Notifier, Registry, Selector};

#[cfg(feature = "polling")]
mod polling;
#[cfg(feature = "polling")]
pub(crate) use self::polling::{Events, Notifier, Registry, Selector};

/// One readiness event, translated out of the backend's own type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    /// The packed [`Token`](crate::slots::Token) given at registration.
    pub(crate) token: usize,
    /// Which directions may now make progress.
    pub(crate) ready: Ready,
}

/// How many events one `select` can return; more simply wait for the next turn.
pub(crate) const EVENTS_CAPACITY: usize = 1024;

/// The backend's name, shown in `Debug` output.
#[cfg(not(feature = "polling"))]
pub(crate) const NAME: &str = "mio";
#[cfg(feature = "polling")]
pub(crate) const NAME: &str = "polling";
