//! A small HTTP/1.1 server and client on the runtime's `TcpStream`, for the async HTTP pattern.
//!
//! Like the patterns, these files are written against `rt` and compiled once per runtime (see
//! `on_clockwork.rs` and `on_tokio.rs`). They speak just enough HTTP/1.1 for the demo:
//! `Content-Length` bodies up to a limit, connections kept alive between requests unless the
//! client says `Connection: close`, and a `4xx` or `5xx` status for anything malformed.
//!
//! Read `head.rs` first: it decides, from bytes alone, whether a request is acceptable.
//! `server.rs` and `client.rs` move those bytes over TCP.

use super::rt;

#[path = "http/head.rs"]
pub mod head;

#[path = "http/server.rs"]
pub mod server;

#[path = "http/client.rs"]
pub mod client;

pub use head::{MAX_BODY_BYTES, MAX_HEAD_BYTES};

/// A user, as the server sends it and the client decodes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct User {
    /// The id from the URL.
    pub id: u64,
    /// A made-up name.
    pub name: String,
}
