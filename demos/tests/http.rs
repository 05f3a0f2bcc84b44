//! The demo HTTP server answers malformed requests with `400` and keeps serving, on both runtimes.
//!
//! The checks are written once in a macro and expanded once per runtime module (`on_clockwork`,
//! `on_tokio`), the same way the patterns are compiled twice.

/// The same checks, written once per runtime module (`on_clockwork` or `on_tokio`).
macro_rules! malformed_requests_get_400 {
    ($test:ident, $on:ident, $runtime:expr) => {
        #[test]
        fn $test() {
            use clockwork_demos::$on::http::{MAX_HEAD_BYTES, User, client, server};
            use clockwork_demos::$on::rt;

            $runtime.block_on(async {
                let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                let server = rt::spawn(server::serve(listener));

                // A request line that is not three words.
                let bad_line = client::send(addr, b"HELLO\r\n\r\n").await.unwrap();
                assert_eq!(bad_line.status, 400, "bad request line: {bad_line:?}");

                // A version that is not HTTP/1.x.
                let bad_version = client::send(addr, b"GET / SMTP\r\n\r\n").await.unwrap();
                assert_eq!(bad_version.status, 400, "bad version: {bad_version:?}");

                // A head longer than the limit, never ending in a blank line.
                let mut oversized = b"GET /users/1 HTTP/1.1\r\nX-Filler: ".to_vec();
                oversized.resize(2 * MAX_HEAD_BYTES, b'a');
                let too_long = client::send(addr, &oversized).await.unwrap();
                assert_eq!(too_long.status, 400, "oversized head: {too_long:?}");

                // A body shorter than its Content-Length: the client closes after 3 of 100.
                let truncated = b"POST /users HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc";
                let truncated = client::send(addr, truncated).await.unwrap();
                assert_eq!(truncated.status, 400, "truncated body: {truncated:?}");

                // A header line without a colon.
                let no_colon = client::send(addr, b"GET /users/1 HTTP/1.1\r\nNoColon\r\n\r\n");
                assert_eq!(no_colon.await.unwrap().status, 400);

                // After all that, the server still serves, and unknown paths get 404.
                let user: User = client::get_json(addr, "/users/7").await.unwrap();
                assert_eq!(user, User { id: 7, name: "User 7".to_string() });
                let missing = client::send(addr, b"GET /nope HTTP/1.1\r\n\r\n").await.unwrap();
                assert_eq!(missing.status, 404);
                server.abort();
            });
        }
    };
}

/// A `Content-Length` is a number the client chose: the server checks it before trusting it.
///
/// Issue 12 found that the server allocated the whole body at once, so `1000000000000` aborted
/// the process and a value near `u64::MAX` panicked the connection's task.
macro_rules! content_length_is_checked {
    ($test:ident, $on:ident, $runtime:expr) => {
        #[test]
        fn $test() {
            use clockwork_demos::$on::http::{MAX_BODY_BYTES, User, client, server};
            use clockwork_demos::$on::rt;

            $runtime.block_on(async {
                let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                let server = rt::spawn(server::serve(listener));
                let status_for = |length: String| async move {
                    let head = format!("POST /echo HTTP/1.1\r\nContent-Length: {length}\r\n\r\n");
                    client::send(addr, head.as_bytes()).await.unwrap().status
                };

                // Numbers above the limit, up to the largest u64, are too large: 413.
                for huge in ["1000000000000", "18446744073709551615"] {
                    assert_eq!(status_for(huge.to_string()).await, 413, "length {huge}");
                }
                assert_eq!(status_for((MAX_BODY_BYTES + 1).to_string()).await, 413);

                // Anything that is not plain decimal digits fitting a u64 is malformed: 400.
                // (Rust's own `parse` would accept "+5"; HTTP does not.)
                let malformed =
                    ["18446744073709551616", "99999999999999999999999", "abc", "+5", "-1", ""];
                for length in malformed {
                    assert_eq!(status_for(length.to_string()).await, 400, "length {length:?}");
                }

                // Two lengths that disagree leave the body's end ambiguous: 400.
                let twice =
                    b"POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
                assert_eq!(client::send(addr, twice).await.unwrap().status, 400);

                // A body of exactly the limit is served, and echoed back whole.
                let body = "x".repeat(MAX_BODY_BYTES);
                let full = format!(
                    "POST /echo HTTP/1.1\r\nContent-Length: {MAX_BODY_BYTES}\r\n\r\n{body}"
                );
                let echoed = client::send(addr, full.as_bytes()).await.unwrap();
                assert_eq!((echoed.status, echoed.body.len()), (200, MAX_BODY_BYTES));
                assert!(echoed.body == body, "the echo differs from the body sent");

                // After all that, the server still serves.
                let user: User = client::get_json(addr, "/users/3").await.unwrap();
                assert_eq!(user.id, 3);
                server.abort();
            });
        }
    };
}

/// One connection carries many requests, even sent back to back, until one says `close`.
macro_rules! connections_are_kept_alive {
    ($test:ident, $on:ident, $runtime:expr) => {
        #[test]
        fn $test() {
            use clockwork_demos::$on::http::{client, server};
            use clockwork_demos::$on::rt;
            use rt::io::{AsyncReadExt, AsyncWriteExt};

            $runtime.block_on(async {
                let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                let server = rt::spawn(server::serve(listener));
                let stream = rt::net::TcpStream::connect(addr).await.unwrap();
                let mut connection = client::Connection::new(stream);

                // Two echoes in a row on one connection.
                assert_eq!(connection.echo(b"first").await.unwrap().body, "first");
                assert_eq!(connection.echo(b"").await.unwrap().body, "");

                // Two requests in one write (pipelining): the second must not be lost in the
                // buffer of the first, nor mistaken for its body.
                let two = b"POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\
                            POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nde";
                connection.stream().write_all(two).await.unwrap();
                assert_eq!(connection.read_response().await.unwrap().body, "abc");
                assert_eq!(connection.read_response().await.unwrap().body, "de");

                // A request that says `Connection: close` is answered, then the server closes.
                let last =
                    b"POST /echo HTTP/1.1\r\nConnection: close\r\nContent-Length: 1\r\n\r\ng";
                connection.stream().write_all(last).await.unwrap();
                assert_eq!(connection.read_response().await.unwrap().body, "g");
                let mut after = [0; 1];
                assert_eq!(connection.stream().read(&mut after).await.unwrap(), 0, "EOF");

                // HTTP/1.0 closes by default; a chunked body is not understood: 501, and close.
                let old = client::send(addr, b"GET /users/1 HTTP/1.0\r\n\r\n").await.unwrap();
                assert_eq!(old.status, 200);
                let chunked = b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
                assert_eq!(client::send(addr, chunked).await.unwrap().status, 501);
                server.abort();
            });
        }
    };
}

malformed_requests_get_400!(
    on_clockwork,
    on_clockwork,
    clockwork::runtime::Runtime::new().unwrap()
);

malformed_requests_get_400!(
    on_tokio,
    on_tokio,
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
);

content_length_is_checked!(
    content_length_on_clockwork,
    on_clockwork,
    clockwork::runtime::Runtime::new().unwrap()
);

content_length_is_checked!(
    content_length_on_tokio,
    on_tokio,
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
);

connections_are_kept_alive!(
    keep_alive_on_clockwork,
    on_clockwork,
    clockwork::runtime::Runtime::new().unwrap()
);

connections_are_kept_alive!(
    keep_alive_on_tokio,
    on_tokio,
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
);
