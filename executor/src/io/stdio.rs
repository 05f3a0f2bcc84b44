//! `stdin`, `stdout` and `stderr`: the process's standard streams, read and written on the
//! blocking pool (see `io/blocking.rs`), as in tokio.
//!
//! Each value owns its own `Blocking`, so two `Stdout`s may interleave their writes (as two
//! tokio `Stdout`s may); write whole lines with `write_all` and keep one value per stream for
//! output that must not mix.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::io::blocking::Blocking;
use crate::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The process's standard input, as `tokio::io::Stdin`.
#[derive(Debug)]
pub struct Stdin {
    inner: Blocking<io::Stdin>,
}

/// The process's standard output, as `tokio::io::Stdout`.
#[derive(Debug)]
pub struct Stdout {
    inner: Blocking<io::Stdout>,
}

/// The process's standard error, as `tokio::io::Stderr`.
#[derive(Debug)]
pub struct Stderr {
    inner: Blocking<io::Stderr>,
}

/// A handle to standard input; reads run on the blocking pool.
///
/// Must be read within a Clockwork runtime, which owns that pool.
pub fn stdin() -> Stdin {
    Stdin { inner: Blocking::new(io::stdin()) }
}

/// A handle to standard output; writes run on the blocking pool, so flush before the runtime
/// ends to be sure the last of them went out.
pub fn stdout() -> Stdout {
    Stdout { inner: Blocking::new(io::stdout()) }
}

/// A handle to standard error; writes run on the blocking pool.
pub fn stderr() -> Stderr {
    Stderr { inner: Blocking::new(io::stderr()) }
}

impl AsyncRead for Stdin {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut().inner.poll_read(cx, buf)
    }
}

/// Writes `Stdout` and `Stderr` through their `Blocking`.
macro_rules! blocking_write {
    ($($writer:ty),*) => {$(
        impl AsyncWrite for $writer {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                self.get_mut().inner.poll_write(cx, buf)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().inner.poll_flush(cx)
            }

            /// Flushes: the standard streams stay open for the rest of the process.
            fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().inner.poll_flush(cx)
            }
        }
    )*};
}

blocking_write!(Stdout, Stderr);
