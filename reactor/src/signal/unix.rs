//! `signal(SignalKind)`: a stream of deliveries of one Unix signal.

use std::fmt;
use std::future::poll_fn;
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Mutex;
use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::task::{Context, Poll, ready};

use signal_hook::SigId;

use crate::registration::Registration;
use crate::slots::Direction;

/// Which signal to listen for; the named constructors follow tokio's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalKind {
    signal_number: libc::c_int,
}

impl SignalKind {
    /// Any signal by number, e.g. [`libc::SIGWINCH`].
    pub const fn from_raw(signal_number: libc::c_int) -> SignalKind {
        SignalKind { signal_number }
    }

    /// The signal's number.
    pub const fn as_raw_value(&self) -> libc::c_int {
        self.signal_number
    }

    /// `SIGINT`, sent by Ctrl-C.
    pub const fn interrupt() -> SignalKind {
        SignalKind::from_raw(libc::SIGINT)
    }

    /// `SIGTERM`, the polite request to exit.
    pub const fn terminate() -> SignalKind {
        SignalKind::from_raw(libc::SIGTERM)
    }

    /// `SIGHUP`, the terminal went away.
    pub const fn hangup() -> SignalKind {
        SignalKind::from_raw(libc::SIGHUP)
    }

    /// `SIGQUIT`, Ctrl-\.
    pub const fn quit() -> SignalKind {
        SignalKind::from_raw(libc::SIGQUIT)
    }

    /// `SIGUSR1`.
    pub const fn user_defined1() -> SignalKind {
        SignalKind::from_raw(libc::SIGUSR1)
    }

    /// `SIGUSR2`.
    pub const fn user_defined2() -> SignalKind {
        SignalKind::from_raw(libc::SIGUSR2)
    }
}

/// Deliveries of one signal, received in order; deliveries that arrive between two `recv`s
/// are merged into one, as in tokio.
pub struct Signal {
    /// The read end of the self-pipe, registered with the reactor.
    pipe: Registration<UnixStream>,
    /// signal-hook's handle for our handler action, removed on drop.
    action: SigId,
    kind: SignalKind,
}

// ANCHOR: kept
/// Signal numbers below this one keep a delivery that finds no [`Signal`] (all of Linux's,
/// real-time signals included, are below 65).
const KEPT_SIGNALS: usize = 128;

/// Per signal number, one word: the [`Signal`]s alive, counted in steps of `ONE_LISTENER`,
/// plus `UNCLAIMED` if a delivery arrived while none was. One word, so that the handler's "is
/// anyone listening?" and a new `Signal`'s "count me, and is there a delivery for me?" are
/// each one atomic step and cannot interleave.
static LISTENING: [AtomicUsize; KEPT_SIGNALS] = [const { AtomicUsize::new(0) }; KEPT_SIGNALS];
const UNCLAIMED: usize = 1;
const ONE_LISTENER: usize = 2;
/// Some number has an unclaimed delivery: the reactor's next turn forgets it.
static ANY_UNCLAIMED: AtomicBool = AtomicBool::new(false);
/// Which numbers have their keeping handler installed (once, for the life of the process).
static KEEPING: Mutex<[bool; KEPT_SIGNALS]> = Mutex::new([false; KEPT_SIGNALS]);

/// Installs, once per signal number, the handler that keeps a delivery nobody listens for.
///
/// A signal handler may only do async-signal-safe things: this one does a compare-and-swap
/// and perhaps an atomic store, nothing else (no lock, no allocation).
fn keep_unclaimed_deliveries(number: usize) -> io::Result<()> {
    let mut keeping = KEEPING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !keeping[number] {
        let action = move || {
            let nobody = |state: usize| (state < ONE_LISTENER).then_some(state | UNCLAIMED);
            if LISTENING[number].fetch_update(SeqCst, SeqCst, nobody).is_ok() {
                ANY_UNCLAIMED.store(true, SeqCst);
            }
        };
        // SAFETY: the action is async-signal-safe: atomic operations only.
        unsafe { signal_hook::low_level::register(number as libc::c_int, action) }?;
        keeping[number] = true;
    }
    Ok(())
}

/// Called by the reactor after each wait for events: every kept delivery is forgotten (the
/// [`Signal`]s made since it arrived have it in their pipes already), as tokio's driver hands
/// a delivery out when it next runs and then forgets it. Costs one atomic load when nothing is
/// kept.
pub(crate) fn forget_unclaimed() {
    if ANY_UNCLAIMED.load(Relaxed) && ANY_UNCLAIMED.swap(false, SeqCst) {
        for state in &LISTENING {
            state.fetch_and(!UNCLAIMED, SeqCst);
        }
    }
}
// ANCHOR_END: kept

/// Installs a handler for `kind` that wakes the returned [`Signal`] through the current reactor.
///
/// A delivery that arrived while no `Signal` of the same kind was alive is not lost at once:
/// every `Signal` of that kind made before the reactor's next turn receives it, as on tokio,
/// whose driver hands a delivery to whoever subscribed by the time it next runs.
///
/// Fails with an [`io::Error`] for a signal number that is not one (negative), or for a signal
/// that no program may handle (`SIGKILL`, `SIGSTOP`) or should not handle this way (`SIGILL`,
/// `SIGFPE`, `SIGSEGV`: signal-hook's `FORBIDDEN` list), as tokio does.
///
/// # Panics
///
/// Panics outside a Clockwork runtime (see [`crate::Handle::current`]).
#[track_caller]
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    // The runtime first, as tokio does: outside one (or on one without I/O) this panics here,
    // whatever the signal.
    let reactor = crate::Handle::current();
    let number = kind.as_raw_value();
    if number < 0 || signal_hook::consts::FORBIDDEN.contains(&number) {
        let message = format!("signal {number} cannot be handled by a program");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    let (read_end, write_end) = UnixStream::pair()?;
    read_end.set_nonblocking(true)?;
    // signal-hook writes without blocking on its own; a full pipe already means "arrived".
    write_end.set_nonblocking(true)?;
    let pipe = Registration::new(&reactor, read_end)?;
    let kept = usize::try_from(number).ok().filter(|&number| number < KEPT_SIGNALS);
    if let Some(number) = kept {
        keep_unclaimed_deliveries(number)?;
    }
    // A second descriptor of the write end, to hand this `Signal` a delivery it claims below.
    let claim_end = write_end.try_clone()?;
    // From here on, the handler owns the write end (closed when it is removed) and writes a
    // byte into it on every delivery.
    let action = signal_hook::low_level::pipe::register(number, write_end)?;
    if let Some(number) = kept {
        // Counted and claiming in one step. The delivery stays kept for other new `Signal`s
        // until the reactor's next turn. (One that also reached this pipe on its way in makes
        // at most one extra, harmless, wake-up.)
        if LISTENING[number].fetch_add(ONE_LISTENER, SeqCst) & UNCLAIMED != 0 {
            // A full pipe already means "arrived", so `WouldBlock` is no loss.
            let _ = (&claim_end).write(&[1]);
        }
    }
    Ok(Signal { pipe, action, kind })
}

impl Signal {
    /// Waits for the next delivery; `None` once the runtime is gone.
    pub async fn recv(&mut self) -> Option<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next delivery; see [`Signal::recv`].
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        // One byte per delivery; reading up to 64 merges the ones that piled up.
        let mut bytes = [0_u8; 64];
        let read = ready!(self.pipe.poll_io(cx, Direction::Read, |mut pipe| pipe.read(&mut bytes)));
        match read {
            Ok(0) | Err(_) => Poll::Ready(None),
            Ok(_) => Poll::Ready(Some(())),
        }
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        // No longer listening first: a delivery from here on is kept for the next `Signal`.
        let number = usize::try_from(self.kind.as_raw_value()).ok();
        if let Some(number) = number.filter(|&number| number < KEPT_SIGNALS) {
            LISTENING[number].fetch_sub(ONE_LISTENER, SeqCst);
        }
        // Removing the handler closes its write end; the read end is closed after this.
        signal_hook::low_level::unregister(self.action);
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal")
            .field("kind", &self.kind)
            .field("action", &self.action)
            .field("pipe", &self.pipe)
            .finish()
    }
}
