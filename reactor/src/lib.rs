//! Clockwork's reactor: readiness from the OS (epoll, through mio or polling) turned into wakers.
//!
//! A future that reads a socket cannot block the thread when no data is there.
//! It leaves its [`Waker`](std::task::Waker) with the reactor and returns `Pending`; when the
//! executor has nothing else to run it calls [`Reactor::turn`], which sleeps in `epoll_wait`
//! until the socket is ready and then wakes the future. That is all a reactor does: it knows
//! nothing of tasks or timers.
//!
//! # A guided tour
//!
//! **Step 1: a reactor and its handle.** The [`Reactor`] owns the epoll instance; a [`Handle`]
//! is what I/O types keep; it is `Send + Sync`, so they are too, as in tokio. [`enter`] makes a
//! handle *current* on this thread, so `TcpStream::connect` can find it without an argument.
//!
//! ```
//! use clockwork_reactor::{Handle, Reactor, enter};
//!
//! let reactor = Reactor::new()?;
//! let _guard = enter(&reactor.handle());
//! assert!(Handle::try_current().is_some());
//! # std::io::Result::Ok(())
//! ```
//!
//! **Step 2: register a source.** A [`Registration`] owns a nonblocking fd and a *slot* that
//! records its readiness and one waker per [`Direction`]. A read that would block stores the
//! waker in the slot.
//!
//! ```
//! use std::io::{Read, Write};
//! use std::os::unix::net::UnixStream;
//! use std::sync::Arc;
//! use std::task::{Context, Poll, Wake, Waker};
//! use clockwork_reactor::{Direction, Reactor, Registration};
//!
//! struct Flag(std::sync::atomic::AtomicBool);
//! impl Wake for Flag {
//!     fn wake(self: Arc<Self>) { self.0.store(true, std::sync::atomic::Ordering::SeqCst) }
//! }
//!
//! let reactor = Reactor::new()?;
//! let (ours, mut theirs) = UnixStream::pair()?;
//! ours.set_nonblocking(true)?;
//! let registration = Registration::new(&reactor.handle(), ours)?;
//!
//! let flag = Arc::new(Flag(Default::default()));
//! let waker = Waker::from(flag.clone());
//! let mut cx = Context::from_waker(&waker);
//! let mut buf = [0_u8; 8];
//! let first = registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buf));
//! assert!(first.is_pending(), "nothing to read yet: the waker is stored");
//! # std::io::Result::Ok(())
//! ```
//!
//! **Step 3: turn.** When the peer writes, `epoll_wait` reports the fd, [`Reactor::turn`]
//! marks the slot readable and wakes the stored waker; polling again reads the data.
//!
//! ```
//! # use std::io::{Read, Write};
//! # use std::os::unix::net::UnixStream;
//! # use std::sync::Arc;
//! # use std::sync::atomic::{AtomicBool, Ordering};
//! # use std::task::{Context, Poll, Wake, Waker};
//! # use clockwork_reactor::{Direction, Reactor, Registration};
//! # struct Flag(AtomicBool);
//! # impl Wake for Flag { fn wake(self: Arc<Self>) { self.0.store(true, Ordering::SeqCst) } }
//! # let reactor = Reactor::new()?;
//! # let (ours, mut theirs) = UnixStream::pair()?;
//! # ours.set_nonblocking(true)?;
//! # let registration = Registration::new(&reactor.handle(), ours)?;
//! # let flag = Arc::new(Flag(AtomicBool::new(false)));
//! # let waker = Waker::from(flag.clone());
//! # let mut cx = Context::from_waker(&waker);
//! # let mut buf = [0_u8; 8];
//! # assert!(registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buf)).is_pending());
//! theirs.write_all(b"hi")?;
//! let dispatched = reactor.turn(None)?;
//! assert_eq!(dispatched, 1);
//! assert!(flag.0.load(Ordering::SeqCst), "the reactor woke the reader");
//! let second = registration.poll_io(&mut cx, Direction::Read, |mut s| s.read(&mut buf));
//! assert!(matches!(second, Poll::Ready(Ok(2))));
//! # std::io::Result::Ok(())
//! ```
//!
//! **Step 4: the I/O types.** [`net::TcpListener`], [`net::TcpStream`], [`net::UdpSocket`] and
//! the Unix-domain sockets of [`net::unix`] are registrations with tokio's method names;
//! [`signal::ctrl_c`] is a registration of a self-pipe. An executor runs them by entering the
//! reactor and calling `turn` when idle. They implement futures-io's `AsyncRead` and
//! `AsyncWrite`; the executor adds tokio's.
//!
//! # Where to read next
//!
//! `reactor.rs` (the turn, with the diagram of one read), `registration.rs` (the edge-triggered
//! rules), `slots.rs` (tokens and generations), `sys/` (the two backends).

#![warn(missing_docs)]

mod current;
mod gone;
pub mod net;
mod reactor;
mod registration;
pub mod signal;
pub mod slots;
mod sys;

pub use current::{EnterGuard, enter, enter_disabled};
pub use gone::{gone as shutdown_error, is_gone};
pub use reactor::{Handle, Reactor, Unparker};
pub use registration::Registration;
pub use slots::{Direction, Ready, Tick, Token, Waiter};
