//! The patterns compiled with `rt = clockwork`.

pub use ::clockwork as rt;

#[path = "patterns/basic.rs"]
pub mod basic;
