//! `AsyncReadExt`: tokio's `async fn`s for every reader, each a small future over `poll_read`.
//!
//! # Cancel safety
//!
//! As in tokio: `read` and `read_buf` are cancel safe (a dropped future read nothing, or the
//! bytes are in your buffer); `read_exact`, `read_to_end`, `read_to_string` and the integer
//! reads are not (bytes read before the drop are lost, or left in your buffer in part).

use crate::io::AsyncRead;
use crate::io::chain::Chain;
use crate::io::read::{Read, ReadExact, ReadIntoBuf};
use crate::io::read_int::ReadInt;
use crate::io::read_to_end::{ReadToEnd, ReadToString};
use crate::io::take::Take;

/// Declares `read_*` methods that read a fixed-size number with a `from_*_bytes` decoder.
macro_rules! read_number {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty, $decode:path;)*) => {$(
        $(#[$doc])*
        fn $name(&mut self) -> ReadInt<'_, Self, { std::mem::size_of::<$ty>() }, $ty>
        where
            Self: Unpin,
        {
            ReadInt::new(self, $decode)
        }
    )*};
}

/// Reading methods for every [`AsyncRead`], as `tokio::io::AsyncReadExt`.
pub trait AsyncReadExt: AsyncRead {
    /// A reader that reads all of `self`, then all of `next`.
    fn chain<R: AsyncRead>(self, next: R) -> Chain<Self, R>
    where
        Self: Sized,
    {
        Chain::new(self, next)
    }

    /// Reads some bytes into `buf`; `Ok(0)` means end of stream (or an empty `buf`).
    /// Cancel safe.
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a, Self>
    where
        Self: Unpin,
    {
        Read { reader: self, buf }
    }

    /// Reads some bytes into `buf`'s spare capacity (a `Vec<u8>`, a `BytesMut`), advancing it;
    /// answers how many. Cancel safe.
    fn read_buf<'a, B>(&'a mut self, buf: &'a mut B) -> ReadIntoBuf<'a, Self, B>
    where
        Self: Unpin,
        B: bytes::BufMut + ?Sized,
    {
        ReadIntoBuf { reader: self, buf }
    }

    /// Reads exactly `buf.len()` bytes and answers that number; fails with `UnexpectedEof` if
    /// the stream ends first. Not cancel safe.
    fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExact<'a, Self>
    where
        Self: Unpin,
    {
        ReadExact { reader: self, buf, filled: 0 }
    }

    read_number! {
        /// Reads one byte.
        read_u8 -> u8, u8::from_be_bytes;
        /// Reads one signed byte.
        read_i8 -> i8, i8::from_be_bytes;
        /// Reads a big-endian (network order) `u16`.
        read_u16 -> u16, u16::from_be_bytes;
        /// Reads a big-endian `i16`.
        read_i16 -> i16, i16::from_be_bytes;
        /// Reads a big-endian `u32`.
        read_u32 -> u32, u32::from_be_bytes;
        /// Reads a big-endian `i32`.
        read_i32 -> i32, i32::from_be_bytes;
        /// Reads a big-endian `u64`.
        read_u64 -> u64, u64::from_be_bytes;
        /// Reads a big-endian `i64`.
        read_i64 -> i64, i64::from_be_bytes;
        /// Reads a big-endian `u128`.
        read_u128 -> u128, u128::from_be_bytes;
        /// Reads a big-endian `i128`.
        read_i128 -> i128, i128::from_be_bytes;
        /// Reads a big-endian `f32`.
        read_f32 -> f32, f32::from_be_bytes;
        /// Reads a big-endian `f64`.
        read_f64 -> f64, f64::from_be_bytes;
        /// Reads a little-endian `u16`.
        read_u16_le -> u16, u16::from_le_bytes;
        /// Reads a little-endian `i16`.
        read_i16_le -> i16, i16::from_le_bytes;
        /// Reads a little-endian `u32`.
        read_u32_le -> u32, u32::from_le_bytes;
        /// Reads a little-endian `i32`.
        read_i32_le -> i32, i32::from_le_bytes;
        /// Reads a little-endian `u64`.
        read_u64_le -> u64, u64::from_le_bytes;
        /// Reads a little-endian `i64`.
        read_i64_le -> i64, i64::from_le_bytes;
        /// Reads a little-endian `u128`.
        read_u128_le -> u128, u128::from_le_bytes;
        /// Reads a little-endian `i128`.
        read_i128_le -> i128, i128::from_le_bytes;
        /// Reads a little-endian `f32`.
        read_f32_le -> f32, f32::from_le_bytes;
        /// Reads a little-endian `f64`.
        read_f64_le -> f64, f64::from_le_bytes;
    }

    /// Reads until end of stream, appending to `buf`; answers how many bytes it appended.
    /// Not cancel safe.
    fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a, Self>
    where
        Self: Unpin,
    {
        ReadToEnd { reader: self, buf, read: 0 }
    }

    /// Reads until end of stream, appending UTF-8 text to `buf`; answers how many bytes it
    /// read. If they are not UTF-8, fails with `InvalidData` and leaves `buf` as it was.
    /// Not cancel safe.
    fn read_to_string<'a>(&'a mut self, buf: &'a mut String) -> ReadToString<'a, Self>
    where
        Self: Unpin,
    {
        ReadToString { reader: self, string: buf, bytes: Vec::new(), read: 0 }
    }

    /// A reader that reads at most `limit` bytes of `self`.
    fn take(self, limit: u64) -> Take<Self>
    where
        Self: Sized,
    {
        Take::new(self, limit)
    }
}

impl<R: AsyncRead + ?Sized> AsyncReadExt for R {}
