//! Asynchronous I/O with tokio's traits and helpers, under tokio's path `clockwork::io`.
//!
//! A reader is anything with `poll_read`; a writer anything with `poll_write`, `poll_flush` and
//! `poll_shutdown`. Everything else here is built on those few poll methods: the `async fn`s of
//! the `*Ext` traits are small futures that call them in a loop, and the utilities (`BufReader`,
//! `copy`, `split`, `duplex`, ...) are readers and writers wrapping readers and writers.
//!
//! ```
//! use clockwork::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
//!
//! # clockwork::runtime::Runtime::new().unwrap().block_on(async {
//! let mut written = Vec::new();
//! written.write_all(b"ping\n").await?;
//! written.write_u32(7).await?;
//!
//! let mut reader = BufReader::new(&written[..]);
//! let mut line = String::new();
//! reader.read_line(&mut line).await?;
//! assert_eq!(line, "ping\n");
//! assert_eq!(reader.read_u32().await?, 7);
//! # Ok::<(), std::io::Error>(()) }).unwrap();
//! ```
//!
//! # tokio's shapes, and futures-io through `compat`
//!
//! The traits are tokio's, with tokio's signatures: a reader fills a [`ReadBuf`], and a writer
//! has `poll_shutdown`. So a tokio program that implements them, or uses `BufReader`, `copy`,
//! `split`, `duplex` or `lines`, compiles against Clockwork renamed to `tokio`.
//! The sockets of [`net`](crate::net) implement them, and also futures-io's `AsyncRead` and
//! `AsyncWrite`, so the `futures` crate and smol's helpers work on them directly; any other
//! value crosses between the two dialects in a [`compat::Compat`].
//!
//! # Reading order
//!
//! The traits: `io/async_read.rs`, `async_write.rs`, `async_buf_read.rs`, `async_seek.rs`
//! ([`ReadBuf`] itself is in the reactor crate, because the sockets take it too).
//! Their `async fn`s: `read_ext.rs` (futures in `read.rs`, `read_to_end.rs`, `read_int.rs`),
//! `write_ext.rs` (`write.rs`, `write_int.rs`), `buf_read_ext.rs` (`read_until.rs`,
//! `lines.rs`), `seek_ext.rs`.
//! The utilities, one a file: `buf_reader.rs`, `buf_writer.rs`, `buf_stream.rs`, `copy.rs`,
//! `copy_bidirectional.rs`, `split.rs`, `join.rs`, `mem.rs`, `take.rs`, `chain.rs`,
//! `empty.rs`, `sink.rs`, `repeat.rs`; `stdio.rs` for `stdin`, `stdout` and `stderr`, which
//! run on the blocking pool through `blocking.rs`.
//! Between dialects: `compat.rs`, and `net_impls.rs` for the sockets.
//!
//! # Not here
//!
//! `AsyncFd` (any file descriptor registered with the reactor) is not implemented yet.

mod async_buf_read;
mod async_read;
mod async_seek;
mod async_write;
mod blocking;
mod buf_read_ext;
mod buf_reader;
mod buf_stream;
mod buf_writer;
mod chain;
pub mod compat;
mod copy;
mod copy_bidirectional;
mod empty;
mod join;
mod lines;
mod mem;
mod net_impls;
mod read;
mod read_ext;
mod read_int;
mod read_to_end;
mod read_until;
mod repeat;
mod seek_ext;
mod sink;
mod split;
mod stdio;
mod take;
mod write;
mod write_ext;
mod write_int;

pub use async_buf_read::AsyncBufRead;
pub use async_read::AsyncRead;
pub use async_seek::AsyncSeek;
pub use async_write::AsyncWrite;
pub use buf_read_ext::AsyncBufReadExt;
pub use buf_reader::BufReader;
pub use buf_stream::BufStream;
pub use buf_writer::BufWriter;
pub use chain::Chain;
pub use clockwork_reactor::net::{Interest, ReadBuf, Ready};
pub use copy::{copy, copy_buf};
pub use copy_bidirectional::{copy_bidirectional, copy_bidirectional_with_sizes};
pub use empty::{Empty, empty};
pub use join::{Join, join};
pub use lines::{Lines, Split};
pub use mem::{DuplexStream, SimplexStream, duplex, simplex};
pub use read_ext::AsyncReadExt;
pub use repeat::{Repeat, repeat};
pub use seek_ext::AsyncSeekExt;
pub use sink::{Sink, sink};
pub use split::{ReadHalf, WriteHalf, split};
pub use std::io::{Error, ErrorKind, Result, SeekFrom};
pub use stdio::{Stderr, Stdin, Stdout, stderr, stdin, stdout};
pub use take::Take;
pub use write_ext::AsyncWriteExt;

/// The futures that the `*Ext` traits' methods return, for naming in type annotations.
pub mod futures {
    pub use super::read::{Read, ReadExact, ReadIntoBuf};
    pub use super::read_int::ReadInt;
    pub use super::read_to_end::{ReadToEnd, ReadToString};
    pub use super::read_until::{FillBuf, ReadLine, ReadUntil};
    pub use super::seek_ext::Seek;
    pub use super::write::{
        Flush, Shutdown, Write, WriteAll, WriteAllBuf, WriteBuf, WriteVectored,
    };
    pub use super::write_int::WriteInt;
}
