//! `sink`: a writer that takes every byte and keeps none.
//!
//! Always ready, so every operation spends a unit of the task's budget (`task::coop`).

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::io::AsyncWrite;
use crate::task::coop::budgeted;

/// Discards what is written to it, as `tokio::io::Sink`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sink {
    _private: (),
}

/// A writer that discards everything, as `tokio::io::sink`.
pub fn sink() -> Sink {
    Sink { _private: () }
}

impl AsyncWrite for Sink {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        budgeted(cx, |_| Poll::Ready(Ok(buf.len())))
    }

    /// Takes every buffer whole.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        budgeted(cx, |_| Poll::Ready(Ok(bufs.iter().map(|buf| buf.len()).sum())))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        budgeted(cx, |_| Poll::Ready(Ok(())))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        budgeted(cx, |_| Poll::Ready(Ok(())))
    }
}
