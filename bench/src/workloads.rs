//! The workloads, each written once against `rt` and compiled for clockwork and tokio.
//!
//! The files in `workloads/` are compiled twice, like the demos: in `on_clockwork` with
//! `rt = clockwork`, and in `on_tokio` with `rt = tokio`. smol and futures' `LocalPool` get
//! their own versions (`peers.rs`) of the workloads that need nothing they lack.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::peers;
use crate::{on_clockwork, on_tokio};

/// One measurement: milliseconds, or bytes per task.
pub type Sample = f64;

/// A workload's future, boxed so that every workload has one type.
pub type Run = Pin<Box<dyn Future<Output = Sample>>>;

/// What a workload's samples count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Wall-clock milliseconds.
    Millis,
    /// Heap bytes per task.
    BytesPerTask,
}

/// One workload and its versions for each runtime.
pub struct Workload {
    pub name: &'static str,
    pub unit: Unit,
    pub clockwork: fn() -> Run,
    pub tokio: fn() -> Run,
    /// A version for smol's `LocalExecutor`, where the workload needs nothing smol lacks here.
    pub smol: Option<fn() -> Sample>,
    /// A version for futures' `LocalPool`.
    pub futures: Option<fn() -> Sample>,
}

/// A duration as a millisecond sample.
pub fn ms(duration: Duration) -> Sample {
    duration.as_secs_f64() * 1_000.0
}

/// A sample that is already in its unit.
pub fn same(sample: Sample) -> Sample {
    sample
}

/// Builds a [`Workload`] from a function that exists in both `on_clockwork` and `on_tokio`.
macro_rules! workload {
    ($name:literal, $unit:expr, $module:ident :: $function:ident ($($arg:expr),*), $convert:expr,
     smol: $smol:expr, futures: $futures:expr) => {
        Workload {
            name: $name,
            unit: $unit,
            clockwork: || Box::pin(async { $convert(on_clockwork::$module::$function($($arg),*).await) }),
            tokio: || Box::pin(async { $convert(on_tokio::$module::$function($($arg),*).await) }),
            smol: $smol,
            futures: $futures,
        }
    };
}

/// Every workload of the issue, in its order.
pub fn all() -> Vec<Workload> {
    vec![
        workload!("spawn_many", Unit::Millis, spawn::spawn_many(), ms,
            smol: Some(peers::smol_spawn_many), futures: Some(peers::futures_spawn_many)),
        workload!("yield_many", Unit::Millis, spawn::yield_many(), ms,
            smol: Some(peers::smol_yield_many), futures: Some(peers::futures_yield_many)),
        workload!("ping_pong", Unit::Millis, spawn::ping_pong(), ms,
            smol: Some(peers::smol_ping_pong), futures: Some(peers::futures_ping_pong)),
        workload!("chained_spawn", Unit::Millis, spawn::chained_spawn(), ms,
            smol: Some(peers::smol_chained_spawn), futures: None),
        workload!("request_reply", Unit::Millis, channels::request_reply(), ms,
            smol: None, futures: None),
        workload!("mpsc_1m_cap1024", Unit::Millis, channels::mpsc_throughput(), ms,
            smol: None, futures: None),
        workload!("mpsc_5x1000", Unit::Millis, channels::mpsc_contended(), ms,
            smol: None, futures: None),
        workload!("mpsc_uncontended", Unit::Millis, channels::mpsc_uncontended(), ms,
            smol: None, futures: None),
        workload!("timer_cancel", Unit::Millis, timers::register_cancel(0), ms,
            smol: None, futures: None),
        workload!("timer_cancel_1m", Unit::Millis, timers::register_cancel(1_000_000), ms,
            smol: None, futures: None),
        workload!("timer_fire_late", Unit::Millis, timers::fire_many(), ms,
            smol: None, futures: None),
        workload!("timeout_ready", Unit::Millis, timers::timeout_ready(), ms,
            smol: None, futures: None),
        workload!("starved_timer", Unit::Millis, timers::starved_timer(), ms,
            smol: None, futures: None),
        workload!("tcp_echo", Unit::Millis, io::tcp_echo(), ms,
            smol: None, futures: None),
        workload!("idle_task_bytes", Unit::BytesPerTask, memory::idle_task_bytes(), same,
            smol: None, futures: None),
        workload!("sleeping_timer_bytes", Unit::BytesPerTask, memory::sleeping_timer_bytes(), same,
            smol: None, futures: None),
        workload!("web_server", Unit::Millis, channels::web_server(), ms,
            smol: None, futures: None),
    ]
}
