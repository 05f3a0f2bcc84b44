//! `AsyncBufReadExt`: tokio's `async fn`s for every buffered reader.
//!
//! # Cancel safety
//!
//! As in tokio: `fill_buf` is cancel safe, and so are `Lines::next_line` and
//! `Split::next_segment`; `read_until` and `read_line` are not (bytes read before the drop
//! stay in your buffer, and the reader has consumed them).

use std::pin::Pin;

use crate::io::AsyncBufRead;
use crate::io::lines::{Lines, Split};
use crate::io::read_until::{FillBuf, ReadLine, ReadUntil};

/// Methods for every [`AsyncBufRead`], as `tokio::io::AsyncBufReadExt`.
pub trait AsyncBufReadExt: AsyncBufRead {
    /// Appends bytes to `buf` up to and including `byte`, or to end of stream; answers how
    /// many. Not cancel safe.
    fn read_until<'a>(&'a mut self, byte: u8, buf: &'a mut Vec<u8>) -> ReadUntil<'a, Self>
    where
        Self: Unpin,
    {
        ReadUntil { reader: self, delimiter: byte, buf, read: 0 }
    }

    /// Appends a line, with its `\n`, to `buf`; answers how many bytes. If the line is not
    /// UTF-8, fails with `InvalidData` and leaves `buf` as it was. Not cancel safe.
    fn read_line<'a>(&'a mut self, buf: &'a mut String) -> ReadLine<'a, Self>
    where
        Self: Unpin,
    {
        ReadLine::new(self, buf)
    }

    /// The segments of the reader between `byte`s.
    fn split(self, byte: u8) -> Split<Self>
    where
        Self: Sized,
    {
        Split::new(self, byte)
    }

    /// The buffered bytes, reading more if none are left; empty means end of stream. Cancel
    /// safe. Follow it with [`AsyncBufReadExt::consume`].
    fn fill_buf(&mut self) -> FillBuf<'_, Self>
    where
        Self: Unpin,
    {
        FillBuf { reader: Some(self) }
    }

    /// Marks the first `amt` buffered bytes used.
    fn consume(&mut self, amt: usize)
    where
        Self: Unpin,
    {
        Pin::new(self).consume(amt)
    }

    /// The lines of the reader, without their `\n` or `\r\n`.
    fn lines(self) -> Lines<Self>
    where
        Self: Sized,
    {
        Lines::new(self)
    }
}

impl<R: AsyncBufRead + ?Sized> AsyncBufReadExt for R {}
