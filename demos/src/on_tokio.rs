//! The patterns compiled with `rt = tokio`: the same files as `on_clockwork.rs`.
//!
//! `rt` is tokio, with one change: the functions that spawn a task (`rt::spawn`,
//! `rt::task::spawn`, `rt::task::JoinSet::spawn`) record it first, so that tokio's side of
//! every run has its spawns, polls and wakes too (`record/tokio.rs`).

/// tokio, with its spawns recorded: a name defined here hides tokio's name of the glob.
pub mod rt {
    pub use ::tokio::*;

    pub use crate::record::tokio::spawn;

    /// `tokio::task`, with its spawns recorded.
    pub mod task {
        pub use ::tokio::task::*;

        pub use crate::record::tokio::{JoinSet, spawn};
    }
}

/// Stream adapters for the runtime's channels, from `tokio-stream`.
pub use ::tokio_stream as stream;

use crate::declare_patterns;

#[path = "http.rs"]
pub mod http;

/// reqwest, the document's HTTP client, as the reference for our own client.
pub mod reference {
    use std::net::SocketAddr;

    use super::http::User;

    /// Fetches `/users/{id}` for each of `users` with reqwest; whether it got the same users.
    pub async fn agrees_with(addr: SocketAddr, users: &[User]) -> Option<bool> {
        // Ignore any HTTP(S)_PROXY in the environment: the server is on 127.0.0.1.
        let client = reqwest::Client::builder().no_proxy().build().ok()?;
        let mut fetched = Vec::new();
        for user in users {
            let url = format!("http://{addr}/users/{}", user.id);
            let response = client.get(url).send().await.ok()?;
            fetched.push(response.json::<User>().await.ok()?);
        }
        Some(fetched == users)
    }
}

/// tokio has no mode that runs a test under other orders of polls: `explore` says so.
pub mod schedules {
    use std::future::Future;

    pub use crate::explore::Explored;

    /// No exploration here: `None`, and `test` is never run.
    pub async fn explore<F, Fut>(_runs: u32, _test: F) -> Option<Explored>
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        None
    }
}

// One module per pattern, from the list in `lib.rs`.
crate::with_patterns!(declare_patterns);
