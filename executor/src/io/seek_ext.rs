//! `AsyncSeekExt`: `seek`, `rewind` and `stream_position` as `async fn`s.

use std::future::Future;
use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::io::AsyncSeek;

/// Methods for every [`AsyncSeek`], as `tokio::io::AsyncSeekExt`.
pub trait AsyncSeekExt: AsyncSeek {
    /// Moves to `position`; answers the new position from the start.
    fn seek(&mut self, position: SeekFrom) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        Seek { seeker: self, position: Some(position) }
    }

    /// Moves to the start.
    fn rewind(&mut self) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        self.seek(SeekFrom::Start(0))
    }

    /// The current position from the start.
    fn stream_position(&mut self) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        self.seek(SeekFrom::Current(0))
    }
}

impl<S: AsyncSeek + ?Sized> AsyncSeekExt for S {}

/// The future of [`AsyncSeekExt::seek`]: waits for any earlier seek, starts this one, and
/// waits for it.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Seek<'a, S: ?Sized> {
    seeker: &'a mut S,
    /// The position to move to, until the move has started.
    position: Option<SeekFrom>,
}

impl<S: AsyncSeek + ?Sized + Unpin> Future for Seek<'_, S> {
    type Output = io::Result<u64>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        let Some(position) = this.position else {
            return Pin::new(&mut *this.seeker).poll_complete(cx);
        };
        // A seek started earlier (by someone else) must end before ours may start.
        if let Err(error) = std::task::ready!(Pin::new(&mut *this.seeker).poll_complete(cx)) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut *this.seeker).start_seek(position)?;
        this.position = None;
        Pin::new(&mut *this.seeker).poll_complete(cx)
    }
}
