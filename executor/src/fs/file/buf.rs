//! `Buf`: the bytes a [`File`](crate::fs::File) lends to its job on the pool, and gets back.
//!
//! A job on another thread cannot borrow the caller's buffer (the caller's `poll_read` returns
//! long before the job ends), so the file owns a buffer of its own:
//! a read job fills it and `poll_read` hands the bytes over, possibly over several calls;
//! `poll_write` copies the caller's bytes into it and a write job writes them out.
//! `bytes[pos..]` are the bytes read ahead and not handed over yet.

use std::io::{self, IoSlice, Read, Write};

use crate::io::ReadBuf;

/// A buffer with a read cursor; see the module docs.
#[derive(Debug, Default)]
pub(crate) struct Buf {
    bytes: Vec<u8>,
    /// How many of `bytes` were handed over already.
    pos: usize,
}

impl Buf {
    /// The bytes not handed over yet.
    fn unread(&self) -> &[u8] {
        &self.bytes[self.pos..]
    }

    /// Whether every byte was handed over (or written out).
    pub(crate) fn is_empty(&self) -> bool {
        self.unread().is_empty()
    }

    /// Hands over as many unread bytes as `dst` has room for.
    pub(crate) fn copy_to(&mut self, dst: &mut ReadBuf<'_>) {
        let len = self.unread().len().min(dst.remaining());
        dst.put_slice(&self.unread()[..len]);
        self.pos += len;
        if self.is_empty() {
            self.clear();
        }
    }

    /// Takes up to `max` bytes of `src` to write; answers how many.
    pub(crate) fn copy_from(&mut self, src: &[u8], max: usize) -> usize {
        debug_assert!(self.is_empty(), "a write starts with an empty buffer");
        let len = src.len().min(max);
        self.bytes.extend_from_slice(&src[..len]);
        len
    }

    /// Takes up to `max` bytes from the slices in order, as one write; answers how many.
    pub(crate) fn copy_from_bufs(&mut self, bufs: &[IoSlice<'_>], max: usize) -> usize {
        debug_assert!(self.is_empty(), "a write starts with an empty buffer");
        for slice in bufs {
            let room = max - self.bytes.len();
            if room == 0 {
                break;
            }
            let len = slice.len().min(room);
            self.bytes.extend_from_slice(&slice[..len]);
        }
        self.bytes.len()
    }

    /// Forgets the bytes read ahead, and answers how far the OS's position is ahead of the
    /// reader's because of them: the (negative) offset that moves it back.
    pub(crate) fn discard_read(&mut self) -> i64 {
        let ahead = self.unread().len() as i64;
        self.clear();
        -ahead
    }

    /// On the pool: reads up to `len` bytes from `file` into the empty buffer, retrying a read
    /// that a signal interrupted. `Ok(0)` is the end of the file.
    pub(crate) fn read_from(&mut self, mut file: &std::fs::File, len: usize) -> io::Result<usize> {
        debug_assert!(self.is_empty(), "a read starts with an empty buffer");
        self.bytes.resize(len, 0);
        let read = loop {
            match file.read(&mut self.bytes) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        self.bytes.truncate(*read.as_ref().unwrap_or(&0));
        read
    }

    /// On the pool: writes every byte to `file`; the buffer is empty afterwards either way.
    pub(crate) fn write_to(&mut self, mut file: &std::fs::File) -> io::Result<()> {
        let written = file.write_all(self.unread());
        self.clear();
        written
    }

    /// Empties the buffer, keeping its memory for the next job.
    fn clear(&mut self) {
        self.bytes.clear();
        self.pos = 0;
    }
}
