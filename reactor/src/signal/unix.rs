//! `signal(SignalKind)`: a stream of deliveries of one Unix signal.

use std::fmt;
use std::future::poll_fn;
use std::io::{self, Read};
use std::os::unix::net::UnixStream;
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

/// Installs a handler for `kind` that wakes the returned [`Signal`] through the current reactor.
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
    // From here on, the handler owns the write end and writes a byte on every delivery.
    let action = signal_hook::low_level::pipe::register(kind.as_raw_value(), write_end)?;
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
        // Removing the action drops its write end; the read end is closed after this.
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
