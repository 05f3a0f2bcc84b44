//! Every pattern of the patterns document, written once and run on two runtimes.
//!
//! Each pattern is one file in `src/patterns/`, written against a runtime called `rt` with
//! tokio's API. The file is compiled twice: in `on_clockwork.rs` with `rt = clockwork`, and in
//! `on_tokio.rs` with `rt = tokio`. The same text runs on both; that is the comparison.
//!
//! A pattern prints with [`say!`], which records each line so the harness can compare the two
//! runs (`harness.rs`).

// Loading each pattern file twice, once per runtime, is the whole point of this crate.
#![allow(clippy::duplicate_mod)]

pub mod harness;
pub mod on_clockwork;
pub mod on_tokio;
pub mod say;
pub mod timeline;

use std::future::Future;
use std::pin::Pin;

/// A pattern's `run()` future, boxed so that both runtimes' versions fit one type.
pub type Run = Pin<Box<dyn Future<Output = ()>>>;

/// One pattern: its name, what it shows, and its two compiled versions.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// The name given on the command line.
    pub name: &'static str,
    /// One line: what the pattern shows.
    pub about: &'static str,
    /// Whether the output is deterministic line for line. When it is not (tasks finishing in
    /// an order the runtime does not promise), the harness sorts the lines before comparing.
    pub ordered: bool,
    /// The pattern compiled with `rt = clockwork`.
    pub clockwork: fn() -> Run,
    /// The pattern compiled with `rt = tokio`.
    pub tokio: fn() -> Run,
}

/// Builds a [`Pattern`] from a module that exists in both `on_clockwork` and `on_tokio`.
macro_rules! pattern {
    ($module:ident, $about:literal, ordered = $ordered:expr) => {
        Pattern {
            name: stringify!($module),
            about: $about,
            ordered: $ordered,
            clockwork: || Box::pin(on_clockwork::$module::run()),
            tokio: || Box::pin(on_tokio::$module::run()),
        }
    };
}

/// Every pattern, in the order of the document.
pub fn patterns() -> Vec<Pattern> {
    vec![
        pattern!(
            basic,
            "1. Basic async: sleep, then join! of three fetch_user calls (100 ms, not 300)",
            ordered = true
        ),
        pattern!(
            async_http,
            "2. Async HTTP: five concurrent GETs with try_join_all, JSON with serde",
            ordered = true
        ),
        pattern!(
            channels,
            "3. Channels and streams: mpsc backpressure; a stream's map, filter, for_each",
            ordered = true
        ),
        pattern!(
            cancel,
            "4. Timeouts and cancellation: timeout, Ctrl-C racing a task, abort",
            ordered = true
        ),
        pattern!(
            traits,
            "5. Async traits: #[async_trait] and native async fn in traits",
            ordered = true
        ),
        pattern!(smol, "Variation 1. Other runtimes: the basic program on smol", ordered = true),
        pattern!(join_set, "Variation 2. JoinSet processing a batch", ordered = true),
        pattern!(
            locks,
            "Variation 3. Async Mutex, RwLock, and a Semaphore limiting concurrency",
            ordered = true
        ),
        pattern!(
            pipeline,
            "Variation 4. A receiver stream through buffer_unordered(10)",
            ordered = true
        ),
        pattern!(actor, "Variation 5. The actor: mpsc in, oneshot replies", ordered = true),
        pattern!(
            iteration,
            "Variation 6. Async iteration: while let Some(x) = stream.next().await",
            ordered = true
        ),
        pattern!(
            blocking,
            "Pitfall 1. Blocking the runtime: a late ticker, fixed by spawn_blocking",
            ordered = true
        ),
        pattern!(not_awaited, "Pitfall 2. A future never awaited does nothing", ordered = true),
        pattern!(
            std_mutex,
            "Pitfall 3. A std Mutex held across .await, and the short lock scope",
            ordered = true
        ),
        pattern!(
            leak,
            "Pitfall 4. Task leakage: tasks alive after their owner returns",
            ordered = true
        ),
        pattern!(
            panic,
            "Pitfall 5. A panic in a spawned task, seen through JoinError::is_panic",
            ordered = true
        ),
        pattern!(
            unbounded,
            "Pitfall 6. Unbounded vs bounded channel: peak queue length and memory",
            ordered = true
        ),
        pattern!(
            lost_waker,
            "Pitfall 7. A future that returns Pending without keeping its waker is never woken",
            ordered = true
        ),
        pattern!(
            busy_wait,
            "Pitfall 8. Busy-waiting in a yield_now loop instead of being woken",
            ordered = true
        ),
        pattern!(
            state_machine,
            "How it works: an async fn and its hand-written state machine",
            ordered = true
        ),
        pattern!(
            hand_poll,
            "How it works: a future polled by hand with a counting waker",
            ordered = true
        ),
        pattern!(flow, "How it works: the life of one task, narrated", ordered = true),
        pattern!(
            channel_kinds,
            "How it works: oneshot, broadcast with a lagging receiver, watch",
            ordered = true
        ),
        pattern!(echo, "Reactor: a TCP echo server and client, every byte checked", ordered = true),
    ]
}
