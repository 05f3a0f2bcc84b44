//! I/O traits and helpers under tokio's path `clockwork::io`.
//!
//! Clockwork's sockets implement the runtime-agnostic `futures-io` traits (`AsyncRead`,
//! `AsyncWrite`), so the whole futures ecosystem works with them. The extension traits that give
//! `read`, `read_exact`, `read_to_end`, `write_all`, `flush` and `close` come from
//! `futures-util`; a tokio program that imports `tokio::io::{AsyncReadExt, AsyncWriteExt}` finds
//! the same method names here.
//!
//! One difference shows through: tokio's `AsyncWriteExt::shutdown` is `close` in futures.

pub use futures_io::{AsyncBufRead, AsyncRead, AsyncWrite};
pub use futures_util::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, BufWriter, copy,
};
pub use std::io::{Error, ErrorKind, Result};
