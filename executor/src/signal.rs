//! Signals delivered through the reactor: `ctrl_c()` and, on unix, `signal(SignalKind)`.
//!
//! Re-exported from `clockwork-reactor` (`reactor/src/signal.rs`), under tokio's path.

pub use clockwork_reactor::signal::*;
