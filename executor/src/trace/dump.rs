//! The task table as text, for [`Runtime::dump`] and for a debugger's `call clockwork_dump()`
//! (the `extern "C"` function itself is in `runtime/context.rs`: it must find the runtime).
//!
//! ```text
//! 2 live task(s), 1 queued; timers: 3
//! id       state     polls wakes last woken by        age     name / spawned at
//! task#2   idle          1     0 -                     12ms   fetch (src/main.rs:9)
//! task#3   scheduled     1     1 timer (at +100ms)    100ms   task#3 (src/main.rs:10)
//! ```
//!
//! [`Runtime::dump`]: crate::runtime::Runtime::dump

use std::fmt::Write;

use crate::task::raw::TaskRef;
use crate::trace::describe;
use crate::trace::narrate::short;

/// The header line and one line per task.
pub(crate) fn table<'a>(
    tasks: impl Iterator<Item = &'a TaskRef>,
    alive: usize,
    queued: usize,
    timers: usize,
) -> String {
    let now = crate::trace::clock::coarse_now();
    let mut out = format!("{alive} live task(s), {queued} queued; timers: {timers}\n");
    let _ = writeln!(
        out,
        "{:<8} {:<16} {:>6} {:>6} {:<22} {:>7}   name (spawned at)",
        "id", "state", "polls", "wakes", "last woken by", "age"
    );
    for task in tasks {
        let header = task.header();
        let stats = &header.stats;
        let woken_by = stats.last_woken_by().map_or("-".to_string(), |by| by.to_string());
        let age = short(stats.age(now));
        let _ = writeln!(
            out,
            "{:<8} {:<16} {:>6} {:>6} {:<22} {:>7}   {}",
            format!("{:?}", header.meta.id),
            header.state.load().name(),
            stats.polls(),
            stats.wakes(),
            woken_by,
            age,
            describe(header),
        );
        // Only a task that ran out of its cooperative budget says so, at the end of its line.
        let forced = stats.forced_yields();
        if forced > 0 {
            out.pop();
            let _ = writeln!(out, "   [budget spent: {forced} forced yield(s)]");
        }
    }
    out
}
