//! What the tracer costs a poll and a wake when nothing listens: run under callgrind.
//!
//! 100 tasks each yield 1,000 times: 100,000 polls and as many wakes, with warnings off and no
//! narration, timeline or hook. `docs/src/observing.md` ("What it costs") gives the command
//! that counts the instructions spent in `trace.rs` and `task/stats.rs` per poll.

use clockwork::runtime::Builder;

fn main() {
    let warnings = std::env::args().any(|arg| arg == "--warnings");
    let runtime = Builder::new_current_thread().enable_all().warnings(warnings).build().unwrap();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                clockwork::spawn(async {
                    for _ in 0..1_000 {
                        clockwork::task::yield_now().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let metrics = runtime.metrics();
    println!("polls: {}, wakes: {}", metrics.polls, metrics.wakes);
}
