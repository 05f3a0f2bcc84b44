//! tokio's I/O traits on Clockwork: the memory readers and writers, and the `*Ext` futures.

use std::io::{Cursor, ErrorKind, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll};

use clockwork::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWrite, AsyncWriteExt, ReadBuf};

/// A reader that hands out its bytes `chunk` at a time, to exercise the loops over short reads.
struct Trickle {
    bytes: Vec<u8>,
    chunk: usize,
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let len = self.chunk.min(self.bytes.len()).min(buf.remaining());
        let taken: Vec<u8> = self.bytes.drain(..len).collect();
        buf.put_slice(&taken);
        Poll::Ready(Ok(()))
    }
}

/// A writer that takes nothing, ever.
struct Full;

impl AsyncWrite for Full {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(Ok(0))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[clockwork::test]
async fn a_slice_reads_from_its_front_and_ends_with_zero() {
    let mut reader: &[u8] = b"abcdef";
    let mut buf = [0; 4];
    assert_eq!(reader.read(&mut buf).await.unwrap(), 4);
    assert_eq!(&buf, b"abcd");
    assert_eq!(reader, b"ef", "the slice moved past what it gave");
    assert_eq!(reader.read(&mut buf).await.unwrap(), 2);
    assert_eq!(reader.read(&mut buf).await.unwrap(), 0, "end of stream");
}

#[clockwork::test]
async fn read_exact_loops_over_short_reads_and_answers_the_length() {
    let mut reader = Trickle { bytes: b"0123456789".to_vec(), chunk: 3 };
    let mut buf = [0; 8];
    assert_eq!(reader.read_exact(&mut buf).await.unwrap(), 8);
    assert_eq!(&buf, b"01234567");
    let error = reader.read_exact(&mut buf).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedEof, "2 bytes left for 8 asked");
}

#[clockwork::test]
async fn read_to_end_keeps_an_exactly_full_vector_s_capacity() {
    let mut reader: &[u8] = &[7; 40];
    let mut vec = Vec::with_capacity(40);
    assert_eq!(reader.read_to_end(&mut vec).await.unwrap(), 40);
    assert_eq!(vec, [7; 40]);
    assert_eq!(vec.capacity(), 40, "the probe read found EOF without growing the vector");
}

#[clockwork::test]
async fn read_to_end_appends_and_grows() {
    let mut reader = Trickle { bytes: (0..=255).collect(), chunk: 7 };
    let mut vec = b"head".to_vec();
    assert_eq!(reader.read_to_end(&mut vec).await.unwrap(), 256);
    assert_eq!(&vec[..4], b"head");
    assert_eq!(vec[4..], (0..=255).collect::<Vec<u8>>()[..]);
}

#[clockwork::test]
async fn standard_output_takes_bytes_and_flushes_them() {
    let mut stdout = clockwork::io::stdout();
    stdout.write_all(b"").await.unwrap();
    assert_eq!(stdout.write(b"\n").await.unwrap(), 1, "accepted, to be written on the pool");
    stdout.flush().await.unwrap();
}

#[clockwork::test]
async fn a_utf8_error_counts_from_the_start_of_the_string() {
    let mut text = String::from("abc");
    let error = (&b"\xff"[..]).read_to_string(&mut text).await.unwrap_err();
    let utf8 = error.into_inner().unwrap().downcast::<std::str::Utf8Error>().unwrap();
    assert_eq!(utf8.valid_up_to(), 3, "the three bytes already in the string are valid");
}

#[clockwork::test]
async fn read_to_string_leaves_the_string_alone_when_the_bytes_are_not_utf8() {
    let mut text = String::from("kept");
    let mut reader: &[u8] = b"ok \xff no";
    let error = reader.read_to_string(&mut text).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert_eq!(text, "kept");
    // A character whose bytes arrive in different reads is still one character.
    let mut good = Trickle { bytes: "é, split anywhere".as_bytes().to_vec(), chunk: 1 };
    good.read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "kept\u{e9}, split anywhere");
}

#[clockwork::test]
async fn integers_go_out_and_come_back_in_both_byte_orders() {
    let mut written = Vec::new();
    written.write_u16(0x0102).await.unwrap();
    written.write_u16_le(0x0102).await.unwrap();
    written.write_i64(-2).await.unwrap();
    written.write_f32_le(1.5).await.unwrap();
    written.write_u128(u128::MAX - 1).await.unwrap();
    assert_eq!(&written[..4], &[1, 2, 2, 1], "big-endian first, then little-endian");

    let mut reader = Trickle { bytes: written, chunk: 1 };
    assert_eq!(reader.read_u16().await.unwrap(), 0x0102);
    assert_eq!(reader.read_u16_le().await.unwrap(), 0x0102);
    assert_eq!(reader.read_i64().await.unwrap(), -2);
    assert_eq!(reader.read_f32_le().await.unwrap(), 1.5);
    assert_eq!(reader.read_u128().await.unwrap(), u128::MAX - 1);
    assert_eq!(reader.read_u8().await.unwrap_err().kind(), ErrorKind::UnexpectedEof);
}

#[clockwork::test]
async fn write_all_into_a_writer_that_takes_nothing_fails_with_write_zero() {
    let error = Full.write_all(b"x").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::WriteZero);
    assert_eq!(Full.write_all(b"").await.unwrap(), (), "nothing to write is no error");
}

#[clockwork::test]
async fn read_buf_and_write_buf_move_the_bytes_crate_s_cursors() {
    let mut reader: &[u8] = b"hello";
    let mut vec = Vec::with_capacity(2);
    let read = reader.read_buf(&mut vec).await.unwrap();
    assert!(read > 0 && read <= 5, "one read into the spare capacity");
    assert_eq!(vec, b"hello"[..read]);

    let mut source = bytes::Bytes::from_static(b"world");
    let mut written = Vec::new();
    written.write_all_buf(&mut source).await.unwrap();
    assert_eq!(written, b"world");
    assert!(source.is_empty(), "write_all_buf advanced the buffer past what went out");
}

#[clockwork::test]
async fn a_cursor_reads_writes_and_seeks() {
    let mut cursor = Cursor::new(Vec::new());
    cursor.write_all(b"0123456789").await.unwrap();
    assert_eq!(cursor.seek(SeekFrom::Start(2)).await.unwrap(), 2);
    let mut buf = [0; 3];
    cursor.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"234");
    assert_eq!(cursor.stream_position().await.unwrap(), 5);
    assert_eq!(cursor.seek(SeekFrom::End(-1)).await.unwrap(), 9);
    cursor.rewind().await.unwrap();
    assert_eq!(cursor.read_u8().await.unwrap(), b'0');
}

#[clockwork::test]
async fn boxes_and_references_forward_to_what_they_point_to() {
    /// Reads all of `reader`, whatever reader type it is.
    async fn read_all<R: AsyncRead + Unpin>(mut reader: R) -> String {
        let mut text = String::new();
        reader.read_to_string(&mut text).await.unwrap();
        text
    }
    let mut boxed: Box<dyn AsyncRead + Unpin> = Box::new(&b"boxed"[..]);
    assert_eq!(read_all(&mut boxed).await, "boxed", "`&mut Box<dyn AsyncRead>` reads");

    let mut sink: Pin<Box<Vec<u8>>> = Box::pin(Vec::new());
    sink.write_all(b"pinned").await.unwrap();
    assert_eq!(&**sink, b"pinned");
}

#[test]
fn read_buf_cursor_moves_only_within_the_buffer() {
    let mut memory = [0_u8; 4];
    let mut buf = ReadBuf::new(&mut memory);
    buf.put_slice(b"ab");
    assert_eq!(buf.filled(), b"ab");
    assert_eq!(buf.remaining(), 2);
    let over = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| buf.advance(3)));
    assert!(over.is_err(), "advancing past the end panics");
}
