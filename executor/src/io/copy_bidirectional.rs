//! `copy_bidirectional`: two copies at once, between two streams, as a proxy does.
//!
//! Each direction is a `CopyBuffer`. When one reaches its reader's end of stream it shuts its
//! writer down (for TCP, the FIN travels on) and waits for the other. An error in either
//! direction ends both at once.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::io::buf_reader::DEFAULT_BUF_SIZE;
use crate::io::copy::CopyBuffer;
use crate::io::{AsyncRead, AsyncWrite};

/// One direction: copying, then shutting the writer down, then done with the total.
#[derive(Debug)]
enum Direction {
    Copying(CopyBuffer),
    ShuttingDown(u64),
    Done(u64),
}

impl Direction {
    /// Moves this direction on; answers its total once it is done.
    fn poll<R, W>(
        &mut self,
        cx: &mut Context<'_>,
        mut reader: Pin<&mut R>,
        mut writer: Pin<&mut W>,
    ) -> Poll<io::Result<u64>>
    where
        R: AsyncRead + ?Sized,
        W: AsyncWrite + ?Sized,
    {
        loop {
            match self {
                Direction::Copying(copy) => {
                    let copied =
                        std::task::ready!(copy.poll_copy(cx, reader.as_mut(), writer.as_mut()))?;
                    *self = Direction::ShuttingDown(copied);
                }
                Direction::ShuttingDown(copied) => {
                    let copied = *copied;
                    std::task::ready!(writer.as_mut().poll_shutdown(cx))?;
                    *self = Direction::Done(copied);
                }
                Direction::Done(copied) => return Poll::Ready(Ok(*copied)),
            }
        }
    }
}

/// Copies `a` to `b` and `b` to `a` at the same time, until both readers end; answers the
/// bytes copied `a` to `b` and `b` to `a`. As `tokio::io::copy_bidirectional`.
pub async fn copy_bidirectional<A, B>(a: &mut A, b: &mut B) -> io::Result<(u64, u64)>
where
    A: AsyncRead + AsyncWrite + Unpin + ?Sized,
    B: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    copy_bidirectional_with_sizes(a, b, DEFAULT_BUF_SIZE, DEFAULT_BUF_SIZE).await
}

/// [`copy_bidirectional`] with buffers of the given sizes for each direction.
pub async fn copy_bidirectional_with_sizes<A, B>(
    a: &mut A,
    b: &mut B,
    a_to_b_size: usize,
    b_to_a_size: usize,
) -> io::Result<(u64, u64)>
where
    A: AsyncRead + AsyncWrite + Unpin + ?Sized,
    B: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    let mut a_to_b = Direction::Copying(CopyBuffer::new(a_to_b_size));
    let mut b_to_a = Direction::Copying(CopyBuffer::new(b_to_a_size));
    poll_fn(|cx| {
        // Both directions are polled every time, so each keeps its waker.
        let forward = a_to_b.poll(cx, Pin::new(&mut *a), Pin::new(&mut *b))?;
        let backward = b_to_a.poll(cx, Pin::new(&mut *b), Pin::new(&mut *a))?;
        match (forward, backward) {
            (Poll::Ready(forward), Poll::Ready(backward)) => Poll::Ready(Ok((forward, backward))),
            _ => Poll::Pending,
        }
    })
    .await
}
