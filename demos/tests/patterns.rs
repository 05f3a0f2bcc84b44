//! Every pattern runs on clockwork with the expected output, and says the same on tokio.

use clockwork_demos::harness::{self, Runtime};
use clockwork_demos::{Pattern, patterns};

fn pattern(name: &str) -> Pattern {
    *patterns().iter().find(|p| p.name == name).expect("the pattern exists")
}

/// Runs `name` on both runtimes; returns clockwork's lines after checking tokio's match.
fn run_both(name: &str) -> Vec<String> {
    let pattern = pattern(name);
    let on_clockwork = harness::run(&pattern, Runtime::Clockwork);
    let on_tokio = harness::run(&pattern, Runtime::Tokio);
    assert_eq!(on_clockwork.lines, on_tokio.lines, "{name}: clockwork and tokio differ");
    on_clockwork.lines
}

#[test]
fn basic() {
    let lines = run_both("basic");
    assert_eq!(
        lines,
        [
            "Starting",
            "Operation started",
            "Operation completed",
            "Done",
            "Results: \"User 1\", \"User 2\", \"User 3\"",
            "took about 100 ms, not 300",
        ]
    );
}
