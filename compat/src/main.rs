//! `clockwork-compat`: how much of tokio's own test suite passes on Clockwork.
//!
//! ```text
//! cargo run --release -p clockwork-compat -- regen   # measure everything, rewrite the data
//! cargo run --release -p clockwork-compat -- ci      # the ratchet: fewer passes fails
//! ```
//!
//! `regen` does the whole job, in the order of the modules below:
//!
//! 1. `config`: read `compat/files.toml` (which tokio, which test files).
//! 2. `scratch`: write two scratch cargo projects under `target/compat/`, whose `tokio` is
//!    tokio in one and Clockwork in the other, and find tokio's `tests/` with `cargo metadata`.
//! 3. `outline`, `cargo`, `prune`: build the files on Clockwork, removing each item an error
//!    points into, until they compile; `reason` says why, in a few words.
//! 4. `run`: run every test alone in a process with a time limit, on both runtimes.
//! 5. `results`, `report`: write `compat/results.json`, `compat/pruned.toml` and the book's
//!    chapter `docs/src/compat.md`.
//!
//! `ci` skips step 3's rounds (it applies `pruned.toml`) and tokio's side (its figures are in
//! `results.json`), and compares Clockwork's passes with the recorded figure.

mod cargo;
mod config;
mod outline;
mod prune;
mod reason;
mod report;
mod results;
mod run;
mod scratch;
mod suite;

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let outcome = match command.as_str() {
        "regen" => suite::regen(),
        "ci" => suite::ci(),
        _ => Err("usage: clockwork-compat regen | ci (see docs/src/compat.md)".to_string()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("clockwork-compat: {message}");
            ExitCode::FAILURE
        }
    }
}
