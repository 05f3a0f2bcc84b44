//! The patterns compiled with `rt = clockwork`.

pub use ::clockwork as rt;

/// Stream adapters for the runtime's channels (tokio keeps them in `tokio-stream`).
pub use ::clockwork::stream;

use crate::declare_patterns;

#[path = "http.rs"]
pub mod http;

/// Only the tokio build has a reference HTTP client (reqwest runs on tokio alone).
pub mod reference {
    use std::net::SocketAddr;

    /// No reference client here: `None`.
    pub async fn agrees_with<T>(_addr: SocketAddr, _users: &[T]) -> Option<bool> {
        None
    }
}

// One module per pattern, from the list in `lib.rs`.
crate::with_patterns!(declare_patterns);
