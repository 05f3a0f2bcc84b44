//! `Blocking` on in-memory handles: reads hand over every byte then EOF, writes arrive once
//! flushed, and an error of a write comes back from the next call.

use std::io::{self, Cursor, Write};
use std::sync::{Arc, Mutex};

use super::Blocking;
use crate::io::ReadBuf;
use crate::runtime::Runtime;

/// A writer whose bytes the test can see from outside, that fails once `fail` is set.
#[derive(Clone, Default)]
struct Shared {
    bytes: Arc<Mutex<Vec<u8>>>,
    fail: bool,
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.fail {
            return Err(io::Error::other("refused"));
        }
        self.bytes.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn reads_hand_over_every_byte_and_then_end() {
    Runtime::new().unwrap().block_on(async {
        let mut reader = Blocking::new(Cursor::new(b"from the pool".to_vec()));
        let mut collected = Vec::new();
        loop {
            let mut memory = [0; 4];
            let mut buf = ReadBuf::new(&mut memory);
            std::future::poll_fn(|cx| reader.poll_read(cx, &mut buf)).await.unwrap();
            if buf.filled().is_empty() {
                break;
            }
            collected.extend_from_slice(buf.filled());
        }
        assert_eq!(collected, b"from the pool");
    });
}

#[test]
fn writes_arrive_by_the_time_flush_answers() {
    Runtime::new().unwrap().block_on(async {
        let shared = Shared::default();
        let mut writer = Blocking::new(shared.clone());
        let taken = std::future::poll_fn(|cx| writer.poll_write(cx, b"one ")).await.unwrap();
        assert_eq!(taken, 4, "accepted at once");
        std::future::poll_fn(|cx| writer.poll_write(cx, b"two")).await.unwrap();
        std::future::poll_fn(|cx| writer.poll_flush(cx)).await.unwrap();
        assert_eq!(*shared.bytes.lock().unwrap(), b"one two");
    });
}

#[test]
fn a_failed_write_is_reported_by_the_next_call() {
    Runtime::new().unwrap().block_on(async {
        let mut writer = Blocking::new(Shared { fail: true, ..Shared::default() });
        let first = std::future::poll_fn(|cx| writer.poll_write(cx, b"x")).await;
        assert!(first.is_ok(), "the bytes were taken; the job has not run yet");
        let flushed = std::future::poll_fn(|cx| writer.poll_flush(cx)).await;
        assert_eq!(flushed.unwrap_err().to_string(), "refused");
    });
}
