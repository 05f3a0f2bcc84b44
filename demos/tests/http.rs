//! The demo HTTP server answers malformed requests with `400` and keeps serving, on both runtimes.

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
