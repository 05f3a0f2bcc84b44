//! `AsyncWriteExt`: tokio's `async fn`s for every writer, each a small future over `poll_write`.
//!
//! # Cancel safety
//!
//! As in tokio: `write`, `write_vectored` and `write_buf` are cancel safe (a dropped future
//! wrote nothing); `write_all`, `write_all_buf` and the integer writes are not (some bytes may
//! have gone out; `write_all_buf` has advanced the buffer past them, so retrying is correct).

use std::io::IoSlice;

use crate::io::AsyncWrite;
use crate::io::write::{Flush, Shutdown, Write, WriteAll, WriteAllBuf, WriteBuf, WriteVectored};
use crate::io::write_int::WriteInt;

/// Declares `write_*` methods that encode a fixed-size number with a `to_*_bytes` encoder.
macro_rules! write_number {
    ($($(#[$doc:meta])* $name:ident($ty:ty), $encode:ident;)*) => {$(
        $(#[$doc])*
        fn $name(&mut self, n: $ty) -> WriteInt<'_, Self, { std::mem::size_of::<$ty>() }>
        where
            Self: Unpin,
        {
            WriteInt { writer: self, bytes: n.$encode(), written: 0 }
        }
    )*};
}

/// Writing methods for every [`AsyncWrite`], as `tokio::io::AsyncWriteExt`.
pub trait AsyncWriteExt: AsyncWrite {
    /// Writes some bytes of `src`; answers how many. Cancel safe.
    fn write<'a>(&'a mut self, src: &'a [u8]) -> Write<'a, Self>
    where
        Self: Unpin,
    {
        Write { writer: self, buf: src }
    }

    /// Writes some bytes from several buffers at once; answers how many. Cancel safe.
    fn write_vectored<'a, 'b>(&'a mut self, bufs: &'a [IoSlice<'b>]) -> WriteVectored<'a, 'b, Self>
    where
        Self: Unpin,
    {
        WriteVectored { writer: self, bufs }
    }

    /// Writes some bytes of `src` and advances it past them; answers how many. Cancel safe.
    fn write_buf<'a, B>(&'a mut self, src: &'a mut B) -> WriteBuf<'a, Self, B>
    where
        Self: Sized + Unpin,
        B: bytes::Buf,
    {
        WriteBuf { writer: self, buf: src }
    }

    /// Writes all of `src`, advancing it as bytes go out. Not cancel safe.
    fn write_all_buf<'a, B>(&'a mut self, src: &'a mut B) -> WriteAllBuf<'a, Self, B>
    where
        Self: Sized + Unpin,
        B: bytes::Buf,
    {
        WriteAllBuf { writer: self, buf: src }
    }

    /// Writes all of `src`, looping over short writes. Not cancel safe.
    fn write_all<'a>(&'a mut self, src: &'a [u8]) -> WriteAll<'a, Self>
    where
        Self: Unpin,
    {
        WriteAll { writer: self, buf: src }
    }

    write_number! {
        /// Writes one byte.
        write_u8(u8), to_be_bytes;
        /// Writes one signed byte.
        write_i8(i8), to_be_bytes;
        /// Writes a big-endian (network order) `u16`.
        write_u16(u16), to_be_bytes;
        /// Writes a big-endian `i16`.
        write_i16(i16), to_be_bytes;
        /// Writes a big-endian `u32`.
        write_u32(u32), to_be_bytes;
        /// Writes a big-endian `i32`.
        write_i32(i32), to_be_bytes;
        /// Writes a big-endian `u64`.
        write_u64(u64), to_be_bytes;
        /// Writes a big-endian `i64`.
        write_i64(i64), to_be_bytes;
        /// Writes a big-endian `u128`.
        write_u128(u128), to_be_bytes;
        /// Writes a big-endian `i128`.
        write_i128(i128), to_be_bytes;
        /// Writes a big-endian `f32`.
        write_f32(f32), to_be_bytes;
        /// Writes a big-endian `f64`.
        write_f64(f64), to_be_bytes;
        /// Writes a little-endian `u16`.
        write_u16_le(u16), to_le_bytes;
        /// Writes a little-endian `i16`.
        write_i16_le(i16), to_le_bytes;
        /// Writes a little-endian `u32`.
        write_u32_le(u32), to_le_bytes;
        /// Writes a little-endian `i32`.
        write_i32_le(i32), to_le_bytes;
        /// Writes a little-endian `u64`.
        write_u64_le(u64), to_le_bytes;
        /// Writes a little-endian `i64`.
        write_i64_le(i64), to_le_bytes;
        /// Writes a little-endian `u128`.
        write_u128_le(u128), to_le_bytes;
        /// Writes a little-endian `i128`.
        write_i128_le(i128), to_le_bytes;
        /// Writes a little-endian `f32`.
        write_f32_le(f32), to_le_bytes;
        /// Writes a little-endian `f64`.
        write_f64_le(f64), to_le_bytes;
    }

    /// Pushes buffered bytes to their destination.
    fn flush(&mut self) -> Flush<'_, Self>
    where
        Self: Unpin,
    {
        Flush { writer: self }
    }

    /// Flushes, then closes the writing side; for a TCP stream, the peer then reads EOF.
    fn shutdown(&mut self) -> Shutdown<'_, Self>
    where
        Self: Unpin,
    {
        Shutdown { writer: self }
    }
}

impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}
