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

/// Only Clockwork can run a test under many orders of polls (`explore.rs`).
pub mod schedules {
    use std::future::Future;

    pub use crate::explore::Explored;

    /// Runs `test` under `runs` orders of polls with `clockwork::explore`: what it found.
    pub async fn explore<F, Fut>(runs: u32, test: F) -> Option<Explored>
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        Some(crate::explore::explore(runs, test).await)
    }
}

// One module per pattern, from the list in `lib.rs`.
crate::with_patterns!(declare_patterns);
