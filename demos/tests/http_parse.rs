//! Property tests of the HTTP server's reading side: any bytes at all get replies or a close.
//!
//! `parse_head` and `read_request` take bytes, not sockets, so most of these run the server's
//! decisions on a byte slice, thousands of times, with no network. The last test sends a few
//! such inputs to a live server on each runtime, to show the socket side agrees.
//! The fuzz target in `demos/fuzz/` checks the same properties with coverage guidance, on nightly.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use clockwork_demos::on_clockwork::http::head::{self, BadRequest, MAX_BODY_BYTES};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

/// Plays `bytes` as one connection (then EOF) through a runtime's `read_request` and `respond`,
/// and returns every byte the server would write back.
macro_rules! conversation {
    ($on:ident) => {
        |bytes: &[u8]| -> Vec<u8> {
            use clockwork_demos::$on::http::server;
            let (mut reader, mut buffered, mut written) = (bytes, Vec::new(), Vec::new());
            loop {
                let read =
                    futures::executor::block_on(server::read_request(&mut reader, &mut buffered));
                let Some(reply) = server::respond(read) else { return written };
                written.extend(reply.to_bytes());
                if !reply.keep_alive {
                    return written;
                }
            }
        }
    };
}

/// Checks that `written` is a sequence of whole responses, and returns their status codes.
fn statuses(mut written: &[u8]) -> Result<Vec<u16>, String> {
    let mut codes = Vec::new();
    while !written.is_empty() {
        let head_len = head::head_len(written).ok().flatten().ok_or("no blank line")?;
        let head = std::str::from_utf8(&written[..head_len]).map_err(|e| e.to_string())?;
        let status_line = head.lines().next().unwrap_or_default();
        let code = status_line.strip_prefix("HTTP/1.1 ").and_then(|rest| rest.get(..3));
        let code: u16 = code.and_then(|code| code.parse().ok()).ok_or(status_line)?;
        let length = head.lines().find_map(|line| line.strip_prefix("Content-Length: "));
        let length: usize = length.and_then(|n| n.parse().ok()).ok_or("no Content-Length")?;
        written = written.get(head_len + length..).ok_or("body shorter than its length")?;
        codes.push(code);
    }
    Ok(codes)
}

/// The same input gives the same bytes on both runtimes, all of them well-formed responses, at
/// most one per four bytes of input (the shortest head, `\r\n\r\n`) plus one for the last.
fn check_any_input(bytes: &[u8]) -> Result<Vec<u16>, TestCaseError> {
    let on_clockwork = conversation!(on_clockwork)(bytes);
    let on_tokio = conversation!(on_tokio)(bytes);
    prop_assert_eq!(&on_clockwork, &on_tokio, "the runtimes disagree");
    let codes = statuses(&on_clockwork).map_err(TestCaseError::fail)?;
    prop_assert!(
        codes.len() <= bytes.len() / 4 + 1,
        "{} replies to {} bytes",
        codes.len(),
        bytes.len()
    );
    prop_assert!(codes.iter().all(|code| [200, 400, 404, 413, 501].contains(code)), "{codes:?}");
    prop_assert_eq!(codes.is_empty(), bytes.is_empty(), "only silence gets silence");
    Ok(codes)
}

/// A well-formed `POST /echo` with `body`, and a header or two that change nothing.
fn echo_request(body: &[u8], extra: &str) -> Vec<u8> {
    let head = format!("POST /echo HTTP/1.1\r\n{extra}Content-Length: {}\r\n\r\n", body.len());
    [head.as_bytes(), body].concat()
}

/// One small change to a request, in the ways real inputs go wrong.
#[derive(Debug, Clone)]
enum Edit {
    Replace(Index, u8),
    Insert(Index, u8),
    Remove(Index),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that mean something to the parser come up often; any byte may.
    let byte = prop_oneof![any::<u8>(), prop::sample::select(b"\r\n :0123456789/".to_vec())];
    prop_oneof![
        (any::<Index>(), byte.clone()).prop_map(|(at, byte)| Edit::Replace(at, byte)),
        (any::<Index>(), byte).prop_map(|(at, byte)| Edit::Insert(at, byte)),
        any::<Index>().prop_map(Edit::Remove),
        any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    if bytes.is_empty() {
        return;
    }
    let len = bytes.len();
    match *edit {
        Edit::Replace(at, byte) => bytes[at.index(len)] = byte,
        Edit::Insert(at, byte) => bytes.insert(at.index(len + 1), byte),
        Edit::Remove(at) => drop(bytes.remove(at.index(len))),
        Edit::Truncate(at) => bytes.truncate(at.index(len)),
    }
}

/// `cases` cases, with failures kept in `demos/proptest-regressions/` (cargo runs tests from
/// the package's folder) and replayed first on every later run.
fn config(cases: u32) -> ProptestConfig {
    let regressions = FileFailurePersistence::Direct("proptest-regressions/http_parse.txt");
    ProptestConfig { cases, failure_persistence: Some(Box::new(regressions)), ..Default::default() }
}

const EXTRA_HEADERS: [&str; 4] = ["", "Host: a\r\n", "Connection: close\r\n", "X-Y: z\r\n"];

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn any_bytes_get_replies_or_a_close(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        // Whatever parse_head accepts is within the limits the server relies on.
        if let Ok(head) = head::parse_head(&bytes) {
            prop_assert!(head.content_length <= MAX_BODY_BYTES && head.path.starts_with('/'));
        }
        check_any_input(&bytes)?;
    }

    #[test]
    fn edited_requests_get_replies_or_a_close(
        bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..4),
        extra in prop::sample::select(&EXTRA_HEADERS[..]),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        let mut bytes: Vec<u8> = bodies.iter().flat_map(|body| echo_request(body, extra)).collect();
        let untouched = edits.is_empty();
        edits.iter().for_each(|edit| apply(&mut bytes, edit));
        let codes = check_any_input(&bytes)?;
        if untouched {
            // The model: each request echoed, or only the first when it asked to close.
            let expected = if extra.starts_with("Connection") { 1 } else { bodies.len() };
            prop_assert_eq!(codes, vec![200; expected]);
        }
    }

    #[test]
    fn content_length_is_digits_then_a_limit(value in "[0-9]{1,25}|[-+ a-z0-9]{0,6}") {
        let head = format!("POST /echo HTTP/1.1\r\nContent-Length: {value}\r\n\r\n");
        let parsed = head::parse_head(head.as_bytes()).map(|head| head.content_length);
        let digits = !value.trim().is_empty() && value.trim().bytes().all(|b| b.is_ascii_digit());
        let expected = match value.trim().parse::<u128>() {
            Ok(n) if digits && n <= MAX_BODY_BYTES as u128 => Ok(n as usize),
            Ok(n) if digits && n <= u64::MAX as u128 => Err(BadRequest::BodyTooLarge),
            _ => Err(BadRequest::ContentLength),
        };
        prop_assert_eq!(parsed, expected, "Content-Length: {:?}", value);
    }
}

/// Starts the server on a thread of its own with the given runtime, once per test binary.
macro_rules! live_server {
    ($on:ident, $runtime:expr) => {{
        static ADDR: OnceLock<SocketAddr> = OnceLock::new();
        *ADDR.get_or_init(|| {
            use clockwork_demos::$on::{http::server, rt};
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            listener.set_nonblocking(true).unwrap();
            // The thread serves until the test binary exits.
            std::thread::spawn(move || {
                $runtime.block_on(async {
                    server::serve(rt::net::TcpListener::from_std(listener).unwrap()).await
                })
            });
            addr
        })
    }};
}

/// Sends `bytes` to the live server, closes the write side, and reads to the server's close.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Result<Vec<u8>, TestCaseError> {
    let mut stream = TcpStream::connect(addr).map_err(|e| TestCaseError::fail(e.to_string()))?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // Writing may fail once the server has answered 400 and closed; its reply is still there.
    let _ = stream.write_all(bytes).and_then(|()| stream.shutdown(Shutdown::Write));
    let mut written = Vec::new();
    let read = stream.read_to_end(&mut written);
    prop_assert!(read.is_ok(), "not a clean close: {:?}", read);
    Ok(written)
}

/// Arbitrary bytes, or edited requests, as the live servers' input.
fn live_input() -> impl Strategy<Value = Vec<u8>> {
    let edited = (prop::collection::vec(any::<u8>(), 0..40), prop::collection::vec(edit(), 1..3))
        .prop_map(|(body, edits)| {
            let mut bytes = echo_request(&body, "");
            edits.iter().for_each(|edit| apply(&mut bytes, edit));
            bytes
        });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..300), edited]
}

proptest! {
    // Each case is a real connection on each runtime: a few are enough to show the socket side.
    #![proptest_config(config(32))]

    #[test]
    fn live_servers_reply_like_the_model(bytes in live_input()) {
        let on_clockwork = live_server!(on_clockwork, clockwork::runtime::Runtime::new().unwrap());
        let on_tokio = live_server!(
            on_tokio,
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
        );
        check_any_input(&bytes)?;
        let expected = conversation!(on_clockwork)(&bytes);
        prop_assert_eq!(exchange(on_clockwork, &bytes)?, expected.clone(), "clockwork's server");
        prop_assert_eq!(exchange(on_tokio, &bytes)?, expected, "tokio's server");
    }
}
