//! `ReadBuf`: the buffer a tokio-shaped read fills, with a cursor that says how much it filled.
//!
//! `std::io::Read::read` takes a `&mut [u8]` and returns a count, which leaves the caller to
//! remember how far the buffer is filled. tokio's readers take a `ReadBuf` instead: the buffer
//! and its *filled* cursor travel together, so a reader appends with [`ReadBuf::put_slice`] or
//! [`ReadBuf::advance`] and returns `Poll<io::Result<()>>`.
//!
//! ```text
//!   0            filled                     capacity
//!   [ bytes read | room for the next read    ]
//!                 ^ unfilled: what `initialize_unfilled` hands to a `read(2)`
//! ```
//!
//! It lives in the reactor, not in the executor's `io` module, because the sockets take it too
//! (`UdpSocket::poll_recv`, `TcpStream::poll_peek`), and the reactor never depends on the
//! executor. `clockwork::io::ReadBuf` is this type.
//!
//! # How this differs from tokio
//!
//! tokio's `ReadBuf` can wrap uninitialized memory and tracks a third cursor, *initialized*, so
//! that nobody reads bytes that were never written. Clockwork's always holds initialized bytes:
//! [`ReadBuf::uninit`] writes zeros into the memory it is given, once. That costs a `memset`,
//! and it keeps `unsafe` down to the places where the signatures demand it (`uninit`,
//! `inner_mut`, `unfilled_mut`, and `bytes::BufMut`, an `unsafe` trait). Everything else is
//! safe slicing.

use std::fmt;
use std::mem::MaybeUninit;

/// A byte buffer being filled by a read, with a cursor at the end of the filled part.
///
/// Every byte of the buffer is initialized (see the module docs), so [`ReadBuf::initialized`]
/// is always the whole buffer.
pub struct ReadBuf<'a> {
    /// The memory being filled; all of it holds initialized bytes.
    buf: &'a mut [u8],
    /// How many bytes at the front hold data a reader put there.
    filled: usize,
}

impl<'a> ReadBuf<'a> {
    /// Wraps `buf`, with nothing filled yet.
    pub fn new(buf: &'a mut [u8]) -> ReadBuf<'a> {
        ReadBuf { buf, filled: 0 }
    }

    /// Wraps memory that may be uninitialized, writing zeros into it first.
    pub fn uninit(buf: &'a mut [MaybeUninit<u8>]) -> ReadBuf<'a> {
        for byte in buf.iter_mut() {
            byte.write(0);
        }
        let len = buf.len();
        let start = buf.as_mut_ptr().cast::<u8>();
        // SAFETY: every element was just written, so the memory holds `len` initialized `u8`s;
        // `MaybeUninit<u8>` has the layout of `u8`; the new slice borrows `buf` for `'a`, so
        // nothing else can reach the memory while it lives.
        let buf = unsafe { std::slice::from_raw_parts_mut(start, len) };
        ReadBuf::new(buf)
    }

    /// The size of the whole buffer.
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// The part a reader has filled.
    pub fn filled(&self) -> &[u8] {
        &self.buf[..self.filled]
    }

    /// The filled part, mutably.
    pub fn filled_mut(&mut self) -> &mut [u8] {
        &mut self.buf[..self.filled]
    }

    /// A new `ReadBuf` over at most `n` bytes of the unfilled part, with nothing filled.
    ///
    /// What a reader puts there does not move this buffer's cursor: call
    /// [`ReadBuf::advance`] with the inner buffer's `filled().len()` afterwards.
    pub fn take(&mut self, n: usize) -> ReadBuf<'_> {
        let end = self.filled + n.min(self.remaining());
        ReadBuf::new(&mut self.buf[self.filled..end])
    }

    /// The initialized part: here, the whole buffer.
    pub fn initialized(&self) -> &[u8] {
        self.buf
    }

    /// The initialized part, mutably: here, the whole buffer.
    pub fn initialized_mut(&mut self) -> &mut [u8] {
        self.buf
    }

    /// The whole buffer as possibly-uninitialized memory.
    ///
    /// # Safety
    ///
    /// The caller must not write `MaybeUninit::uninit()` into it: the rest of `ReadBuf` hands
    /// these bytes out as initialized `u8`s.
    pub unsafe fn inner_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        let len = self.buf.len();
        let start = self.buf.as_mut_ptr().cast::<MaybeUninit<u8>>();
        // SAFETY: `MaybeUninit<u8>` has the layout of `u8` and accepts any byte; the slice
        // reborrows `self.buf` mutably, so it is the only way to the memory while it lives; the
        // caller promised not to de-initialize it.
        unsafe { std::slice::from_raw_parts_mut(start, len) }
    }

    /// The unfilled part as possibly-uninitialized memory.
    ///
    /// # Safety
    ///
    /// As for [`ReadBuf::inner_mut`]: the caller must not de-initialize any byte.
    pub unsafe fn unfilled_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        let filled = self.filled;
        // SAFETY: the caller's promise is the one `inner_mut` asks for.
        let inner = unsafe { self.inner_mut() };
        &mut inner[filled..]
    }

    /// The unfilled part, ready to pass to a `read`.
    pub fn initialize_unfilled(&mut self) -> &mut [u8] {
        &mut self.buf[self.filled..]
    }

    /// The first `n` bytes of the unfilled part.
    ///
    /// # Panics
    ///
    /// If `n` is more than [`ReadBuf::remaining`].
    #[track_caller]
    pub fn initialize_unfilled_to(&mut self, n: usize) -> &mut [u8] {
        assert!(n <= self.remaining(), "n ({n}) overflows the unfilled part");
        let end = self.filled + n;
        &mut self.buf[self.filled..end]
    }

    /// How many bytes are left to fill.
    pub fn remaining(&self) -> usize {
        self.capacity() - self.filled
    }

    /// Forgets the filled bytes: the cursor goes back to the start.
    pub fn clear(&mut self) {
        self.filled = 0;
    }

    /// Moves the cursor `n` bytes on, after a read wrote them into the unfilled part.
    ///
    /// # Panics
    ///
    /// If that would move it past the end of the buffer.
    #[track_caller]
    pub fn advance(&mut self, n: usize) {
        let filled = self.filled.checked_add(n).expect("filled overflow");
        self.set_filled(filled);
    }

    /// Puts the cursor at `n`.
    ///
    /// # Panics
    ///
    /// If `n` is past the end of the buffer.
    #[track_caller]
    pub fn set_filled(&mut self, n: usize) {
        assert!(n <= self.capacity(), "filled ({n}) must not exceed the capacity");
        self.filled = n;
    }

    /// Declares the first `n` unfilled bytes initialized. A no-op here, where every byte is.
    ///
    /// # Safety
    ///
    /// None beyond tokio's contract (the bytes must be initialized), which this buffer always
    /// meets; the function is `unsafe` only to keep tokio's signature.
    pub unsafe fn assume_init(&mut self, n: usize) {
        debug_assert!(n <= self.remaining(), "assume_init past the end of the buffer");
    }

    /// Appends `bytes` to the filled part.
    ///
    /// # Panics
    ///
    /// If there is not enough room for them.
    #[track_caller]
    pub fn put_slice(&mut self, bytes: &[u8]) {
        assert!(
            bytes.len() <= self.remaining(),
            "put_slice: {} bytes do not fit in the {} remaining",
            bytes.len(),
            self.remaining()
        );
        let end = self.filled + bytes.len();
        self.buf[self.filled..end].copy_from_slice(bytes);
        self.filled = end;
    }
}

/// Lends the next chunk of `dst` to `fill` as a [`ReadBuf`], then advances `dst` past the bytes
/// `fill` put there. Returns what `fill` returned.
///
/// This is Clockwork's bridge from tokio's `ReadBuf` to the `bytes` crate's `BufMut`, behind
/// `try_read_buf`, `recv_buf` and `AsyncReadExt::read_buf`: the chunk may be uninitialized
/// memory, so it is zeroed first (see the module docs), and only then read into.
pub fn fill_buf_mut<B: bytes::BufMut + ?Sized, R>(
    dst: &mut B,
    fill: impl FnOnce(&mut ReadBuf<'_>) -> R,
) -> R {
    let chunk = dst.chunk_mut();
    let chunk_len = chunk.len();
    // SAFETY: `as_uninit_slice_mut` asks that no initialized byte be de-initialized; the only
    // writer is `ReadBuf`, which writes zeros and then the reader's bytes, all initialized.
    let memory = unsafe { chunk.as_uninit_slice_mut() };
    let mut buf = ReadBuf::uninit(memory);
    let lent = buf.initialized().as_ptr();
    let result = fill(&mut buf);
    // A reader may assign a whole new `ReadBuf` to `*buf`; its bytes are not in the chunk.
    assert!(std::ptr::eq(buf.initialized().as_ptr(), lent), "the reader swapped its ReadBuf");
    let filled = buf.filled().len();
    assert!(filled <= chunk_len, "the reader filled more than the chunk it was lent");
    // SAFETY: the whole chunk was zeroed by `ReadBuf::uninit`, so its first `filled` bytes are
    // initialized, and `filled` fits in the chunk (checked above).
    unsafe { dst.advance_mut(filled) };
    result
}

// SAFETY: `BufMut`'s contract is that `chunk_mut` hands out memory that the buffer owns and
// that `advance_mut(n)` only moves past bytes the caller initialized. `chunk_mut` returns the
// unfilled part (initialized, as every byte here), and `advance_mut` moves the cursor only
// within it, panicking otherwise.
unsafe impl bytes::BufMut for ReadBuf<'_> {
    fn remaining_mut(&self) -> usize {
        self.remaining()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        self.advance(cnt);
    }

    fn chunk_mut(&mut self) -> &mut bytes::buf::UninitSlice {
        bytes::buf::UninitSlice::new(self.initialize_unfilled())
    }
}

impl fmt::Debug for ReadBuf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadBuf")
            .field("filled", &self.filled)
            .field("initialized", &self.buf.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

#[cfg(test)]
mod tests;
