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
    vec![pattern!(
        basic,
        "1. Basic async: sleep, then join! of three fetch_user calls (100 ms, not 300)",
        ordered = true
    )]
}
