//! The error that I/O gets once its reactor has shut down.
//!
//! A socket outlives the runtime that registered it as easily as `drop(runtime)`: the socket is
//! still a value, but nobody will ever report its readiness again. Every operation on it then
//! fails with this error instead of waiting forever.
//!
//! The error carries its own type, [`Gone`], so that [`is_gone`] (tokio's
//! `runtime::is_rt_shutdown_err`) recognizes it by type rather than by comparing text: an
//! `io::Error` that merely *says* the same thing is not this error.

use std::error::Error;
use std::fmt;
use std::io;

/// What the error holds. Private: nobody outside can make one, so [`is_gone`] cannot be fooled.
struct Gone;

const MESSAGE: &str = "the reactor has shut down: the Clockwork runtime is gone";

impl fmt::Display for Gone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MESSAGE)
    }
}

/// Shows the message, as the error of `io::Error::other("...")` would, so that an `unwrap`
/// says what happened.
impl fmt::Debug for Gone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(MESSAGE, f)
    }
}

impl Error for Gone {}

/// The error pending and new I/O sees once the reactor has shut down. Public as
/// `shutdown_error`, for the executor's other resources that stop with their runtime (the
/// standard streams' writes on the blocking pool).
pub fn gone() -> io::Error {
    io::Error::other(Gone)
}

/// Whether `err` is the error of I/O whose reactor has shut down (tokio's
/// `runtime::is_rt_shutdown_err`). A program that outlives one runtime uses it to tell "the
/// runtime went away" from a real I/O failure.
pub fn is_gone(err: &io::Error) -> bool {
    err.get_ref().is_some_and(|inner| inner.is::<Gone>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_reactors_own_error_counts() {
        assert!(is_gone(&gone()));
        // The same text in another error is not the same error.
        let lookalike = io::Error::other(gone().to_string());
        assert!(!is_gone(&lookalike));
        assert!(!is_gone(&io::Error::from(io::ErrorKind::Other)));
    }
}
