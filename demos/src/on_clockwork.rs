//! The patterns compiled with `rt = clockwork`.

pub use ::clockwork as rt;

/// Stream adapters for the runtime's channels (tokio keeps them in `tokio-stream`).
pub use ::clockwork::stream;

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
