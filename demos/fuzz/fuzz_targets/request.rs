//! Fuzzes the HTTP server's reading side: any bytes give whole responses or a silent close.
//!
//! This is `demos/tests/http_parse.rs`'s first property with libFuzzer's coverage guidance,
//! which finds the inputs that reach new branches instead of drawing them at random.
//! Run it on nightly from `demos/fuzz/`: `cargo +nightly fuzz run request`.

#![no_main]

use clockwork_demos::on_clockwork::http::{head, server};

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    // parse_head on any bytes, delimited or not, stays within the server's limits.
    if let Ok(head) = head::parse_head(bytes) {
        assert!(head.content_length <= head::MAX_BODY_BYTES && head.path.starts_with('/'));
    }
    // The whole conversation: one reply per request until a reply closes or the input ends.
    let (mut reader, mut buffered, mut replies) = (bytes, Vec::new(), 0);
    loop {
        let read = futures::executor::block_on(server::read_request(&mut reader, &mut buffered));
        let Some(reply) = server::respond(read) else { break };
        replies += 1;
        let written = reply.to_bytes();
        assert!(written.starts_with(b"HTTP/1.1 ") && written[12] == b' ', "status line");
        if !reply.keep_alive {
            break;
        }
    }
    assert!(replies <= bytes.len() / 4 + 1, "{replies} replies to {} bytes", bytes.len());
    assert_eq!(replies == 0, bytes.is_empty(), "only silence gets silence");
});
