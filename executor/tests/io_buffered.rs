//! `BufReader`, `BufWriter`, `BufStream`, and the buffered reader's `async fn`s on Clockwork.

use std::io::{Cursor, ErrorKind, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll};

use clockwork::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWrite, AsyncWriteExt, BufReader,
    BufStream, BufWriter, ReadBuf,
};

/// A reader that counts its `poll_read` calls.
struct Counting<'a> {
    bytes: &'a [u8],
    reads: usize,
}

impl AsyncRead for Counting<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.reads += 1;
        Pin::new(&mut self.bytes).poll_read(cx, buf)
    }
}

/// A writer that records each `poll_write` call as one entry.
#[derive(Default)]
struct Calls(Vec<Vec<u8>>);

impl AsyncWrite for Calls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.0.push(buf.to_vec());
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[clockwork::test]
async fn small_reads_cost_one_read_of_the_inner_reader() {
    let mut reader = BufReader::with_capacity(16, Counting { bytes: b"abcdefgh", reads: 0 });
    let mut byte = [0; 1];
    for expected in b"abcd" {
        reader.read_exact(&mut byte).await.unwrap();
        assert_eq!(byte[0], *expected);
    }
    assert_eq!(reader.get_ref().reads, 1, "four one-byte reads, one inner read");
    assert_eq!(reader.buffer(), b"efgh");
}

#[clockwork::test]
async fn a_read_larger_than_the_buffer_skips_it() {
    let mut reader = BufReader::with_capacity(4, Counting { bytes: b"0123456789", reads: 0 });
    let mut big = [0; 8];
    assert_eq!(reader.read(&mut big).await.unwrap(), 8);
    assert_eq!(&big, b"01234567");
    assert!(reader.buffer().is_empty(), "nothing was copied through the buffer");
}

#[clockwork::test]
async fn a_relative_seek_counts_the_bytes_still_buffered() {
    let mut reader = BufReader::with_capacity(4, Cursor::new(b"0123456789".to_vec()));
    assert_eq!(reader.read_u8().await.unwrap(), b'0');
    // The cursor is at 4 (one buffer read); the caller has seen one byte.
    assert_eq!(reader.seek(SeekFrom::Current(2)).await.unwrap(), 3);
    assert!(reader.buffer().is_empty(), "a seek discards the buffer");
    assert_eq!(reader.read_u8().await.unwrap(), b'3');
    assert_eq!(
        reader.seek(SeekFrom::Current(i64::MIN)).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
#[should_panic(expected = "capacity must be greater than zero")]
fn a_buffer_of_zero_bytes_is_refused() {
    let _ = BufReader::with_capacity(0, &b""[..]);
}

#[clockwork::test]
async fn buf_writer_holds_small_writes_until_flush() {
    let mut writer = BufWriter::with_capacity(8, Calls::default());
    writer.write_all(b"ab").await.unwrap();
    writer.write_all(b"cd").await.unwrap();
    assert!(writer.get_ref().0.is_empty(), "nothing reached the inner writer yet");
    assert_eq!(writer.buffer(), b"abcd");
    writer.flush().await.unwrap();
    assert_eq!(writer.get_ref().0, [b"abcd".to_vec()], "one write for both");
}

#[clockwork::test]
async fn buf_writer_passes_a_large_write_straight_through() {
    let mut writer = BufWriter::with_capacity(4, Calls::default());
    writer.write_all(b"a").await.unwrap();
    writer.write_all(b"0123456789").await.unwrap();
    assert_eq!(writer.get_ref().0, [b"a".to_vec(), b"0123456789".to_vec()], "flushed, then direct");
}

#[clockwork::test]
async fn buf_writer_shutdown_flushes_first() {
    let mut writer = BufWriter::new(Vec::new());
    writer.write_all(b"last words").await.unwrap();
    writer.shutdown().await.unwrap();
    assert_eq!(writer.get_ref(), b"last words");
}

#[clockwork::test]
async fn buf_stream_buffers_both_ways() {
    let mut stream = BufStream::new(Cursor::new(b"line one\n".to_vec()));
    let mut line = String::new();
    stream.read_line(&mut line).await.unwrap();
    assert_eq!(line, "line one\n");
    stream.write_all(b"appended").await.unwrap();
    assert_eq!(stream.get_ref().get_ref().len(), 9, "the write is still buffered");
    stream.flush().await.unwrap();
    assert_eq!(stream.get_ref().get_ref(), b"line one\nappended");
}

#[clockwork::test]
async fn lines_drop_their_endings_including_crlf() {
    let mut lines = BufReader::new(&b"one\r\ntwo\n\nlast"[..]).lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        seen.push(line);
    }
    assert_eq!(seen, ["one", "two", "", "last"]);
}

#[clockwork::test]
async fn split_cuts_at_the_delimiter() {
    let mut segments = AsyncBufReadExt::split(BufReader::new(&b"a,bb,,c"[..]), b',');
    let mut seen = Vec::new();
    while let Some(segment) = segments.next_segment().await.unwrap() {
        seen.push(segment);
    }
    assert_eq!(seen, [b"a".to_vec(), b"bb".to_vec(), vec![], b"c".to_vec()]);
}

#[clockwork::test]
async fn read_line_keeps_the_string_when_the_line_is_not_utf8() {
    let mut reader = BufReader::new(&b"bad \xff line\ngood\n"[..]);
    let mut line = String::from("before:");
    let error = reader.read_line(&mut line).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert_eq!(line, "before:", "the string is as it was");
    reader.read_line(&mut line).await.unwrap();
    assert_eq!(line, "before:good\n", "the bad line was consumed");
}

#[clockwork::test]
async fn read_until_and_fill_buf_then_consume() {
    let mut reader = BufReader::with_capacity(3, &b"key=value"[..]);
    let mut key = Vec::new();
    assert_eq!(reader.read_until(b'=', &mut key).await.unwrap(), 4);
    assert_eq!(key, b"key=");
    // The buffer held "=va"; `read_until` consumed the "=".
    let available = reader.fill_buf().await.unwrap();
    assert_eq!(available, b"va", "what is left of the buffer, without a new read");
    reader.consume(2);
    assert_eq!(reader.fill_buf().await.unwrap(), b"lue", "an empty buffer is refilled");
}

#[clockwork::test]
async fn a_line_that_is_not_utf8_fails_once_and_the_next_line_follows() {
    let mut lines = BufReader::new(&b"ok\n\xff\nnext\n"[..]).lines();
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("ok"));
    let error = lines.next_line().await.unwrap_err();
    let bad = error.into_inner().unwrap().downcast::<std::string::FromUtf8Error>().unwrap();
    assert_eq!(bad.into_bytes(), b"\xff", "the error carries the line's bytes");
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("next"));
}

#[clockwork::test]
async fn vectored_writes_into_a_plain_writer_buffer_whole_slices() {
    use std::io::IoSlice;
    let mut writer = BufWriter::with_capacity(8, Calls::default());
    let slices = [IoSlice::new(b"abcd"), IoSlice::new(b"efgh"), IoSlice::new(b"ijk")];
    assert_eq!(writer.write_vectored(&slices).await.unwrap(), 8, "the slices that fit");
    assert_eq!(writer.buffer(), b"abcdefgh");
    assert_eq!(writer.write_vectored(&slices[2..]).await.unwrap(), 3);
    assert_eq!(writer.get_ref().0, [b"abcdefgh".to_vec()], "the full buffer went out first");
    assert_eq!(writer.buffer(), b"ijk");
}
