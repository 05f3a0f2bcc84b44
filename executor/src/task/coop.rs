//! The cooperative budget under tokio's path, `clockwork::task::coop`.
//!
//! The budget itself lives in the `clockwork-coop` crate (`coop/src/lib.rs`, where the whole
//! story is told), below the executor and the reactor, because the reactor's sockets spend it
//! too. This module re-exports what a program may use, and, to the rest of the executor, what
//! the run loop and the resources use.

pub use clockwork_coop::{
    BUDGET, Coop, RestoreOnPending, Unconstrained, consume_budget, cooperative,
    has_budget_remaining, poll_proceed, unconstrained,
};

pub(crate) use clockwork_coop::{Budget, budgeted, without_budget};
