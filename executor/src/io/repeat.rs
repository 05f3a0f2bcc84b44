//! `repeat`: a reader that yields one byte for ever.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::io::{AsyncRead, ReadBuf};
use crate::task::coop::budgeted;

/// Fills every read with the same byte, as `tokio::io::Repeat`.
#[derive(Debug, Clone, Copy)]
pub struct Repeat {
    byte: u8,
}

/// A reader that never ends, every byte `byte`, as `tokio::io::repeat`.
pub fn repeat(byte: u8) -> Repeat {
    Repeat { byte }
}

impl AsyncRead for Repeat {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        // Always ready: each read spends a unit of the task's budget (`task::coop`).
        budgeted(cx, |_| {
            let unfilled = buf.initialize_unfilled();
            unfilled.fill(self.byte);
            let len = unfilled.len();
            buf.advance(len);
            Poll::Ready(Ok(()))
        })
    }
}
