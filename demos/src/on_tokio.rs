//! The patterns compiled with `rt = tokio`: the same files as `on_clockwork.rs`.

pub use ::tokio as rt;

/// Stream adapters for the runtime's channels, from `tokio-stream`.
pub use ::tokio_stream as stream;

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

#[path = "patterns/basic.rs"]
pub mod basic;

#[path = "patterns/async_http.rs"]
pub mod async_http;

#[path = "patterns/cancel.rs"]
pub mod cancel;

#[path = "patterns/traits.rs"]
pub mod traits;

#[path = "patterns/smol.rs"]
pub mod smol;

#[path = "patterns/blocking.rs"]
pub mod blocking;

#[path = "patterns/not_awaited.rs"]
pub mod not_awaited;

#[path = "patterns/std_mutex.rs"]
pub mod std_mutex;

#[path = "patterns/leak.rs"]
pub mod leak;

#[path = "patterns/lost_waker.rs"]
pub mod lost_waker;

#[path = "patterns/busy_wait.rs"]
pub mod busy_wait;

#[path = "patterns/panic.rs"]
pub mod panic;

#[path = "patterns/state_machine.rs"]
pub mod state_machine;

#[path = "patterns/hand_poll.rs"]
pub mod hand_poll;

#[path = "patterns/flow.rs"]
pub mod flow;

#[path = "patterns/echo.rs"]
pub mod echo;

#[path = "patterns/channels.rs"]
pub mod channels;

#[path = "patterns/join_set.rs"]
pub mod join_set;

#[path = "patterns/locks.rs"]
pub mod locks;

#[path = "patterns/pipeline.rs"]
pub mod pipeline;

#[path = "patterns/actor.rs"]
pub mod actor;

#[path = "patterns/iteration.rs"]
pub mod iteration;

#[path = "patterns/unbounded.rs"]
pub mod unbounded;

#[path = "patterns/channel_kinds.rs"]
pub mod channel_kinds;
