//! A small HTTP/1.1 server and client on the runtime's `TcpStream`, for the async HTTP pattern.
//!
//! Like the patterns, these files are written against `rt` and compiled once per runtime (see
//! `on_clockwork.rs` and `on_tokio.rs`). They speak just enough HTTP/1.1 for the demo: one
//! request per connection, `Content-Length` bodies, and a `400` for anything malformed.

use super::rt;

#[path = "http/server.rs"]
pub mod server;

#[path = "http/client.rs"]
pub mod client;

/// The longest request head (request line and headers) the server accepts, in bytes.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;

/// A user, as the server sends it and the client decodes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct User {
    /// The id from the URL.
    pub id: u64,
    /// A made-up name.
    pub name: String,
}
