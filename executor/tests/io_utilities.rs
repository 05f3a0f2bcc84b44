//! The readers and writers built from others: copy, split, join, duplex, simplex, take, chain,
//! empty, sink and repeat.

use std::io::ErrorKind;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use clockwork::io::{
    self, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, BufWriter, duplex, simplex,
};

#[clockwork::test]
async fn copy_moves_everything_and_flushes_at_the_end() {
    let source: Vec<u8> = (0..20_000).map(|i| (i % 251) as u8).collect();
    let mut reader = &source[..];
    let mut writer = BufWriter::new(Vec::new());
    let copied = io::copy(&mut reader, &mut writer).await.unwrap();
    assert_eq!(copied, 20_000);
    assert!(writer.buffer().is_empty(), "copy flushed the buffered writer at EOF");
    assert_eq!(writer.get_ref(), &source);
}

#[clockwork::test]
async fn both_copies_flush_the_writer_while_the_reader_waits() {
    let (mut sender, receiver) = duplex(64);
    sender.write_all(b"abc").await.unwrap();
    let mut reader = BufReader::new(receiver);
    let mut writer = BufWriter::new(Vec::new());
    let mut cx = Context::from_waker(Waker::noop());
    {
        let mut copying = pin!(io::copy_buf(&mut reader, &mut writer));
        assert!(copying.as_mut().poll(&mut cx).is_pending(), "the sender is still open");
    }
    assert_eq!(writer.get_ref(), b"abc", "copy_buf flushed before it waited");

    sender.write_all(b"def").await.unwrap();
    let mut writer = BufWriter::new(Vec::new());
    {
        let mut copying = pin!(io::copy(&mut reader, &mut writer));
        assert!(copying.as_mut().poll(&mut cx).is_pending());
    }
    assert_eq!(writer.get_ref(), b"def", "so did copy");
}

#[clockwork::test]
async fn copy_buf_writes_from_the_reader_s_buffer() {
    let mut reader = BufReader::with_capacity(5, &b"buffered copy"[..]);
    let mut out = Vec::new();
    assert_eq!(io::copy_buf(&mut reader, &mut out).await.unwrap(), 13);
    assert_eq!(out, b"buffered copy");
}

#[clockwork::test]
async fn copy_bidirectional_forwards_both_ways_and_passes_the_shutdown_on() {
    let (mut client, mut proxy_front) = duplex(64);
    let (mut proxy_back, mut server) = duplex(64);
    let proxy =
        clockwork::spawn(
            async move { io::copy_bidirectional(&mut proxy_front, &mut proxy_back).await },
        );
    client.write_all(b"request").await.unwrap();
    client.shutdown().await.unwrap();
    let mut request = Vec::new();
    server.read_to_end(&mut request).await.unwrap();
    assert_eq!(request, b"request", "the client's EOF reached the server");
    server.write_all(b"response!").await.unwrap();
    drop(server);
    let mut response = Vec::new();
    client.read_to_end(&mut response).await.unwrap();
    assert_eq!(response, b"response!");
    assert_eq!(proxy.await.unwrap().unwrap(), (7, 9));
}

#[clockwork::test]
async fn duplex_caps_what_one_write_takes() {
    let (mut a, mut b) = duplex(4);
    assert_eq!(a.write(b"0123456789").await.unwrap(), 4, "the pipe holds four bytes");
    let waker = Waker::noop();
    let mut cx = Context::from_waker(waker);
    let mut more = pin!(a.write(b"x"));
    assert!(more.as_mut().poll(&mut cx).is_pending(), "full: the writer waits");
    let mut buf = [0; 8];
    assert_eq!(b.read(&mut buf).await.unwrap(), 4);
    assert_eq!(more.await.unwrap(), 1, "a read made room");
}

#[clockwork::test]
async fn dropping_one_end_gives_eof_to_reads_and_broken_pipe_to_writes() {
    let (mut a, b) = duplex(16);
    let (mut c, d) = duplex(16);
    let mut b = b;
    b.write_all(b"tail").await.unwrap();
    drop(b);
    let mut rest = Vec::new();
    a.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, b"tail", "buffered bytes first, then EOF");
    drop(d);
    assert_eq!(c.write(b"x").await.unwrap_err().kind(), ErrorKind::BrokenPipe);
}

#[clockwork::test]
async fn simplex_halves_are_a_one_way_pipe() {
    let (mut reader, mut writer) = simplex(8);
    writer.write_all(b"one way").await.unwrap();
    writer.shutdown().await.unwrap();
    let mut text = String::new();
    reader.read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "one way");
}

#[clockwork::test]
async fn split_halves_work_apart_and_unsplit_puts_them_back() {
    let (one, _other) = duplex(16);
    let (reader, writer) = io::split(one);
    let (reader2, writer2) = io::split(duplex(16).0);
    assert!(reader.is_pair_of(&writer));
    assert!(!reader.is_pair_of(&writer2));
    let whole = reader.unsplit(writer);
    drop((whole, reader2, writer2));
}

#[test]
#[should_panic(expected = "unrelated")]
fn unsplit_with_another_stream_s_half_panics() {
    let (reader, _writer) = io::split(duplex(1).0);
    let (_reader, writer) = io::split(duplex(1).0);
    reader.unsplit(writer);
}

#[clockwork::test]
async fn join_reads_from_one_and_writes_to_the_other() {
    let mut joined = io::join(&b"from the reader"[..], Vec::new());
    let mut text = String::new();
    joined.read_to_string(&mut text).await.unwrap();
    joined.write_all(b"to the writer").await.unwrap();
    let (_, written) = joined.into_inner();
    assert_eq!(text, "from the reader");
    assert_eq!(written, b"to the writer");
}

#[clockwork::test]
async fn take_stops_at_its_limit_and_chain_goes_on_to_the_next() {
    let mut limited = (&b"0123456789"[..]).take(4);
    let mut first = Vec::new();
    limited.read_to_end(&mut first).await.unwrap();
    assert_eq!(first, b"0123");
    assert_eq!(limited.limit(), 0);

    let mut chained = (&b"ab"[..]).chain(&b"cd"[..]);
    let mut both = String::new();
    chained.read_to_string(&mut both).await.unwrap();
    assert_eq!(both, "abcd");

    let mut lines = BufReader::new((&b"x\ny"[..]).chain(&b"z\n"[..])).lines();
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("x"));
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("yz"), "a line across the seam");
}

#[clockwork::test]
async fn empty_sink_and_repeat() {
    let mut nothing = Vec::new();
    assert_eq!(io::empty().read_to_end(&mut nothing).await.unwrap(), 0);
    assert_eq!(io::sink().write(b"gone").await.unwrap(), 4);
    let mut buf = [0; 5];
    io::repeat(b'z').read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"zzzzz");
}

#[test]
fn a_duplex_read_with_no_room_answers_at_once() {
    let (mut a, _b) = duplex(1);
    let mut cx = Context::from_waker(Waker::noop());
    let mut empty_read = pin!(a.read(&mut []));
    assert!(matches!(empty_read.as_mut().poll(&mut cx), Poll::Ready(Ok(0))));
}

#[clockwork::test]
async fn a_loop_over_an_always_ready_reader_still_lets_other_tasks_run() {
    let other_ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = other_ran.clone();
    clockwork::spawn(async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) });
    let mut byte = [0; 1];
    // `repeat` is always ready; without the budget this loop would keep the thread.
    while !other_ran.load(std::sync::atomic::Ordering::SeqCst) {
        io::repeat(1).read_exact(&mut byte).await.unwrap();
    }
}
