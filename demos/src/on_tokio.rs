//! The patterns compiled with `rt = tokio`: the same files as `on_clockwork.rs`.

pub use ::tokio as rt;

#[path = "patterns/basic.rs"]
pub mod basic;
