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

pub mod compare;
pub mod explore;
pub mod harness;
pub mod on_clockwork;
pub mod on_tokio;
pub mod pictures;
pub mod record;
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
    /// Whether the pattern shows one of the warnings a correct program may earn too (a task
    /// leak, a busy loop), which Clockwork gives only when asked (`Builder::all_warnings`).
    pub all_warnings: bool,
    /// The pattern compiled with `rt = clockwork`.
    pub clockwork: fn() -> Run,
    /// The pattern compiled with `rt = tokio`.
    pub tokio: fn() -> Run,
}

/// The one list of patterns, in the order of the document: the pattern's module, its file, whether
/// its output is deterministic line for line, whether it shows a warning Clockwork gives only
/// when asked, and one line about what it shows. `on_clockwork.rs`
/// and `on_tokio.rs` declare a module per entry from it, and [`patterns`] builds the table.
/// `$callback` is the macro that receives the list.
macro_rules! with_patterns {
    ($callback:ident) => {
        $callback! {
            basic "patterns/basic.rs", ordered = true, all_warnings = false,
                "1. Basic async: sleep, then join! of three fetch_user calls (100 ms, not 300)";
            async_http "patterns/async_http.rs", ordered = true, all_warnings = false,
                "2. Async HTTP: five concurrent GETs with try_join_all, JSON with serde";
            channels "patterns/channels.rs", ordered = true, all_warnings = false,
                "3. Channels and streams: mpsc backpressure; a stream's map, filter, for_each";
            cancel "patterns/cancel.rs", ordered = true, all_warnings = false,
                "4. Timeouts and cancellation: timeout, Ctrl-C racing a task, abort";
            traits "patterns/traits.rs", ordered = true, all_warnings = false,
                "5. Async traits: #[async_trait] and native async fn in traits";
            smol "patterns/smol.rs", ordered = true, all_warnings = false,
                "Variation 1. Other runtimes: the basic program on smol";
            join_set "patterns/join_set.rs", ordered = true, all_warnings = false,
                "Variation 2. JoinSet processing a batch";
            locks "patterns/locks.rs", ordered = true, all_warnings = false,
                "Variation 3. Async Mutex, RwLock, and a Semaphore limiting concurrency";
            pipeline "patterns/pipeline.rs", ordered = true, all_warnings = false,
                "Variation 4. A receiver stream through buffer_unordered(10)";
            actor "patterns/actor.rs", ordered = true, all_warnings = false,
                "Variation 5. The actor: mpsc in, oneshot replies";
            iteration "patterns/iteration.rs", ordered = true, all_warnings = false,
                "Variation 6. Async iteration: while let Some(x) = stream.next().await";
            blocking "patterns/blocking.rs", ordered = true, all_warnings = false,
                "Pitfall 1. Blocking the runtime: a late ticker, fixed by spawn_blocking";
            not_awaited "patterns/not_awaited.rs", ordered = true, all_warnings = false,
                "Pitfall 2. A future never awaited does nothing";
            std_mutex "patterns/std_mutex.rs", ordered = true, all_warnings = false,
                "Pitfall 3. A std Mutex held across .await, and the short lock scope";
            leak "patterns/leak.rs", ordered = true, all_warnings = true,
                "Pitfall 4. Task leakage: tasks alive after their owner returns";
            panic "patterns/panic.rs", ordered = true, all_warnings = false,
                "Pitfall 5. A panic in a spawned task, seen through JoinError::is_panic";
            unbounded "patterns/unbounded.rs", ordered = true, all_warnings = false,
                "Pitfall 6. Unbounded vs bounded channel: peak queue length and memory";
            lost_waker "patterns/lost_waker.rs", ordered = true, all_warnings = false,
                "Pitfall 7. A future that returns Pending without keeping its waker is never woken";
            busy_wait "patterns/busy_wait.rs", ordered = true, all_warnings = true,
                "Pitfall 8. Busy-waiting in a yield_now loop instead of being woken";
            starvation "patterns/starvation.rs", ordered = true, all_warnings = false,
                "Pitfall 9. Starvation: a loop on an always-ready channel, with and without a budget";
            race "patterns/race.rs", ordered = true, all_warnings = false,
                "Pitfall 10. A race across .await: read, await, write back, and a deposit is lost";
            state_machine "patterns/state_machine.rs", ordered = true, all_warnings = false,
                "How it works: an async fn and its hand-written state machine";
            hand_poll "patterns/hand_poll.rs", ordered = true, all_warnings = false,
                "How it works: a future polled by hand with a counting waker";
            flow "patterns/flow.rs", ordered = true, all_warnings = false,
                "How it works: the life of one task, narrated";
            channel_kinds "patterns/channel_kinds.rs", ordered = true, all_warnings = false,
                "How it works: oneshot, broadcast with a lagging receiver, watch";
            echo "patterns/echo.rs", ordered = true, all_warnings = false,
                "Reactor: a TCP echo server and client, every byte checked";
        }
    };
}
pub(crate) use with_patterns;

/// Declares one module per pattern, each compiled from its file under the current `rt`.
macro_rules! declare_patterns {
    ($($module:ident $path:literal, ordered = $ordered:expr, all_warnings = $all:expr,
       $about:literal;)*) => {
        $(
            #[path = $path]
            pub mod $module;
        )*
    };
}
pub(crate) use declare_patterns;

/// Builds the list of [`Pattern`]s, each with its two compiled versions.
macro_rules! pattern_table {
    ($($module:ident $path:literal, ordered = $ordered:expr, all_warnings = $all:expr,
       $about:literal;)*) => {
        vec![$(
            Pattern {
                name: stringify!($module),
                about: $about,
                ordered: $ordered,
                all_warnings: $all,
                clockwork: || Box::pin(on_clockwork::$module::run()),
                tokio: || Box::pin(on_tokio::$module::run()),
            },
        )*]
    };
}

/// Every pattern, in the order of the document.
pub fn patterns() -> Vec<Pattern> {
    with_patterns!(pattern_table)
}
