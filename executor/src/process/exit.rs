//! `ExitWatch`: how a task learns that a child process may have exited, without blocking.
//!
//! `waitpid(2)` either blocks or, with `WNOHANG`, answers "not yet" at once; neither is a
//! readiness a task can wait for. Two things can become one:
//!
//! - **A pidfd** (Linux 5.3 and later, `pidfd_open(2)`): a file descriptor that refers to one
//!   process, and that `epoll` reports readable once that process has exited. It is
//!   registered with the reactor like a socket, so a waiting task is woken by exactly the exit
//!   of its own child, and the runtime needs nothing process-wide.
//! - **`SIGCHLD`**, which the kernel sends the parent whenever one of its children exits,
//!   delivered through the reactor's self-pipe (`clockwork_reactor::signal`). Signals of the
//!   same kind merge while pending, and the signal does not say which child exited, so every
//!   waiting child must ask `waitpid` again on every delivery.
//!
//! Clockwork uses the pidfd, and falls back to `SIGCHLD` where `pidfd_open` fails: on other
//! systems than Linux, on kernels older than 5.3 (`ENOSYS`), and under sandboxes that forbid
//! the call (`EPERM` from a seccomp filter). The reasons for that order are the pidfd's
//! precision (one wake per exit, for the right task), that it changes nothing process-wide,
//! and that it is the same readiness protocol as a socket's, so there is nothing new to learn.
//! `SIGCHLD` costs a handler installed for the whole process (which stays installed, see
//! `clockwork_reactor::signal`) and a `waitpid` per waiting child per delivery; a library
//! that sets `SIGCHLD` to `SIG_IGN` would also make the kernel reap children itself, and
//! `waitpid` then fails with `ECHILD`.
//! Valgrind does not know `pidfd_open` either (it answers `ENOSYS`), so `.ci/memcheck`, which
//! runs the process tests under it, exercises the fallback.
//!
//! Either way the watch only says "ask again": [`ExitWatch::poll_changed`] answers `Ready`
//! when the child *may* have exited, and the caller asks `Child::try_wait` (`waitpid` with
//! `WNOHANG`), which reaps it if it has. The first poll is always `Ready`, because the child
//! may have exited before anybody watched.
//!
//! The watch registers with the reactor of whoever polls it first, and again with the current
//! one if that reactor has shut down, so that a child spawned inside one runtime can be waited
//! for in another (tokio's `process_change_of_runtime` test does that).

use std::fmt;
use std::io;
use std::os::fd::OwnedFd;
use std::task::{Context, Poll, ready};

use clockwork_reactor::signal::unix::{Signal, SignalKind, signal};
use clockwork_reactor::{Direction, Handle, Registration, Tick};

/// What tells a child's waiter that the child may have exited; see the module docs.
pub(crate) struct ExitWatch {
    way: Way,
}

/// The two ways of the module docs.
enum Way {
    /// The child's pidfd, and its registration with the reactor once polled.
    Pidfd {
        pidfd: OwnedFd,
        registered: Option<PidfdRegistration>,
        /// The tick of the readiness the last `Ready` answered: the caller asked `waitpid`
        /// since, so it is cleared before waiting again.
        seen: Option<Tick>,
    },
    /// Deliveries of `SIGCHLD`, once polled; `None` until the first poll, which answers
    /// `Ready` after installing the handler.
    Sigchld { deliveries: Option<Signal> },
}

/// A duplicate of the pidfd, registered with one reactor, and that reactor's handle (to see
/// that it has shut down).
struct PidfdRegistration {
    reactor: Handle,
    io: Registration<OwnedFd>,
}

impl ExitWatch {
    /// A watch for `child`, which must not have been reaped yet (so its pid still names it).
    pub(crate) fn new(child: &std::process::Child) -> ExitWatch {
        match open_pidfd(child) {
            Some(pidfd) => ExitWatch::pidfd(pidfd),
            None => ExitWatch::sigchld(),
        }
    }

    /// A watch through the child's pidfd.
    pub(crate) fn pidfd(pidfd: OwnedFd) -> ExitWatch {
        ExitWatch { way: Way::Pidfd { pidfd, registered: None, seen: None } }
    }

    /// A watch through `SIGCHLD`, where there is no pidfd.
    pub(crate) fn sigchld() -> ExitWatch {
        ExitWatch { way: Way::Sigchld { deliveries: None } }
    }

    /// `Ready` when the child may have exited since the last `Ready`; the caller then asks
    /// `try_wait`. Otherwise stores the waker and answers `Pending`.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime, as a socket does.
    pub(crate) fn poll_changed(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.way {
            Way::Pidfd { pidfd, registered, seen } => poll_pidfd(cx, pidfd, registered, seen),
            Way::Sigchld { deliveries } => poll_sigchld(cx, deliveries),
        }
    }
}

/// The pidfd of `child`, or `None` where there is none (see the module docs).
#[cfg(target_os = "linux")]
fn open_pidfd(child: &std::process::Child) -> Option<OwnedFd> {
    use rustix::process::{Pid, PidfdFlags, pidfd_open};
    let pid = Pid::from_child(child);
    pidfd_open(pid, PidfdFlags::empty()).ok()
}

/// Other systems have no pidfd.
#[cfg(not(target_os = "linux"))]
fn open_pidfd(_child: &std::process::Child) -> Option<OwnedFd> {
    None
}

// ANCHOR: poll_pidfd
/// [`ExitWatch::poll_changed`] with a pidfd: the registration's read readiness is the exit.
fn poll_pidfd(
    cx: &mut Context<'_>,
    pidfd: &OwnedFd,
    registered: &mut Option<PidfdRegistration>,
    seen: &mut Option<Tick>,
) -> Poll<io::Result<()>> {
    let reactor_gone = registered.as_ref().is_some_and(|it| it.reactor.is_shut_down());
    if registered.is_none() || reactor_gone {
        // First poll, or the child outlived the runtime it was watched from: register with
        // the current reactor. A fresh registration starts out ready, so `try_wait` is asked
        // at once, and the readiness we had seen belongs to the old one.
        *registered = Some(PidfdRegistration::new(pidfd)?);
        *seen = None;
    }
    let registration = &registered.as_ref().expect("registered just above").io;
    // The caller asked `waitpid` after the last `Ready`, and the child was still running:
    // that readiness is stale. The clear is skipped if an event came in since.
    if let Some(stale) = seen.take() {
        registration.clear_readiness(Direction::Read, stale);
    }
    let tick = ready!(registration.poll_ready(cx, Direction::Read))?;
    *seen = Some(tick);
    Poll::Ready(Ok(()))
}
// ANCHOR_END: poll_pidfd

impl PidfdRegistration {
    /// Registers a duplicate of `pidfd` (the registration owns and closes what it registers)
    /// with the current reactor.
    fn new(pidfd: &OwnedFd) -> io::Result<PidfdRegistration> {
        let reactor = Handle::current();
        let io = Registration::new(&reactor, pidfd.try_clone()?)?;
        Ok(PidfdRegistration { reactor, io })
    }
}

/// [`ExitWatch::poll_changed`] through `SIGCHLD`.
fn poll_sigchld(cx: &mut Context<'_>, deliveries: &mut Option<Signal>) -> Poll<io::Result<()>> {
    let Some(signal) = deliveries else {
        // Install the handler first, then let the caller ask: an exit before this point is
        // found by that question, an exit after it by a delivery.
        *deliveries = Some(sigchld_with_current()?);
        return Poll::Ready(Ok(()));
    };
    match ready!(signal.poll_recv(cx)) {
        Some(()) => Poll::Ready(Ok(())),
        None => {
            // The reactor it listened through has shut down: listen through the current one,
            // and ask again, since a delivery may have been lost in between.
            *deliveries = Some(sigchld_with_current()?);
            Poll::Ready(Ok(()))
        }
    }
}

/// A stream of `SIGCHLD` deliveries through the current reactor.
fn sigchld_with_current() -> io::Result<Signal> {
    signal(SignalKind::from_raw(libc::SIGCHLD))
}

impl fmt::Debug for ExitWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.way {
            Way::Pidfd { pidfd, registered, seen } => f
                .debug_struct("ExitWatch::Pidfd")
                .field("pidfd", pidfd)
                .field("registered", &registered.as_ref().map(|it| &it.io))
                .field("seen", seen)
                .finish(),
            Way::Sigchld { deliveries } => {
                f.debug_struct("ExitWatch::Sigchld").field("deliveries", deliveries).finish()
            }
        }
    }
}
