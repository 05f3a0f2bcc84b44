//! The workloads compiled with `rt = clockwork`.

pub use ::clockwork as rt;

#[path = "workloads/channels.rs"]
pub mod channels;
#[path = "workloads/io.rs"]
pub mod io;
#[path = "workloads/memory.rs"]
pub mod memory;
#[path = "workloads/scaling.rs"]
pub mod scaling;
#[path = "workloads/spawn.rs"]
pub mod spawn;
#[path = "workloads/timers.rs"]
pub mod timers;
