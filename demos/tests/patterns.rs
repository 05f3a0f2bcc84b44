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
fn every_pattern_has_a_test() {
    let this_file = include_str!("patterns.rs");
    for pattern in patterns() {
        let test = format!("fn {}()", pattern.name);
        assert!(this_file.contains(&test), "no test for pattern {}", pattern.name);
    }
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

#[test]
fn async_http() {
    let lines = run_both("async_http");
    let users = (1..=5).map(|id| format!("User {{ id: {id}, name: \"User {id}\" }}"));
    let expected: Vec<String> = users.chain(["Fetched 5 users".to_string()]).collect();
    assert_eq!(lines, expected);
}

#[test]
fn async_http_reqwest_agrees() {
    let on_tokio = harness::run(&pattern("async_http"), Runtime::Tokio);
    assert_eq!(on_tokio.asides, ["reqwest fetched the same users: true"]);
}

#[test]
fn cancel() {
    let lines = run_both("cancel");
    assert_eq!(
        lines,
        ["with_timeout: Operation timed out", "Cancelled", "after abort: cancelled = true"]
    );
}

#[test]
fn traits() {
    let lines = run_both("traits");
    assert_eq!(
        lines,
        [
            "async-trait: found User { id: 1, name: \"Alice\" }",
            "async-trait: saved Alice",
            "native async fn: found User { id: 2, name: \"Bob\" }",
        ]
    );
}

#[test]
fn smol() {
    let lines = run_both("smol");
    assert_eq!(
        lines,
        [
            "smol: Done",
            "smol::spawn: Done",
            "async-std: discontinued; its maintainers recommend smol"
        ]
    );
}

#[test]
fn blocking() {
    let lines = harness::run(&pattern("blocking"), Runtime::Clockwork).lines;
    // Blocking the thread for 80 ms makes a 10 ms tick at least 70 ms late: a lower bound that
    // holds on any machine. That spawn_blocking keeps the tick within 40 ms is an upper bound
    // that a loaded machine may break, so only the shape of that line is checked.
    assert_eq!(lines[0], "std::thread::sleep in async code: ticker held up = true");
    assert!(lines[1].starts_with("spawn_blocking: ticker held up = "), "{lines:?}");
    assert_eq!(lines.len(), 2);
}

#[test]
fn not_awaited() {
    let lines = run_both("not_awaited");
    assert_eq!(
        lines,
        [
            "called fetch_data() without .await: it ran 0 times",
            "after fetch_data().await: it ran 1 times",
            "right after spawn: it ran 1 times",
            "after the spawned task finished: it ran 2 times",
        ]
    );
}

#[test]
fn std_mutex() {
    let lines = run_both("std_mutex");
    assert_eq!(
        lines,
        [
            "other task: lock() here would deadlock the thread",
            "bad: data = [1, 2]",
            "other task: got the lock",
            "short scope: data = [1, 3, 2]",
            "async Mutex: data = [1, 2, 3]",
        ]
    );
}

#[test]
fn leak() {
    let lines = run_both("leak");
    assert_eq!(
        lines,
        [
            "bad_spawn returned; tasks still alive: 10",
            "good_spawn returned; tasks still alive: 0",
            "meanwhile, leaked tasks still alive: 10",
            "returned without awaiting the save; tasks still alive: 11",
        ]
    );
}

#[test]
fn lost_waker() {
    let lines = run_both("lost_waker");
    assert_eq!(
        lines,
        [
            "a future that drops its waker: finished after the flag went up = false",
            "a future that keeps its waker: finished after the flag went up = true",
        ]
    );
}

#[test]
fn busy_wait() {
    let lines = run_both("busy_wait");
    assert_eq!(
        lines,
        [
            "yield_now loop: checked the flag more than 100 times = true",
            "Notify: checked the flag 2 times"
        ]
    );
}

#[test]
fn panic() {
    let lines = run_both("panic");
    assert_eq!(
        lines,
        ["the runtime survived a panic nobody looked at", "Task panicked: This panic is detected!"]
    );
}

#[test]
fn state_machine() {
    let lines = run_both("state_machine");
    let one_run = ["  fetch_data -> 40", "  process(40) -> 41"];
    assert_eq!(lines[..2], one_run);
    assert_eq!(lines[2], "async fn: 42");
    assert_eq!(lines[3..5], one_run, "the state machine does the same steps");
    assert_eq!(lines[5], "state machine: 42");
}

#[test]
fn hand_poll() {
    let lines = run_both("hand_poll");
    assert_eq!(
        lines,
        [
            "poll 1: Pending (wakes so far: 0)",
            "woken: wakes = 1",
            "poll 2: Ready (wakes so far: 1)",
            "a future that is never polled again after Ready: done",
        ]
    );
}

#[test]
fn flow() {
    let lines = run_both("flow");
    let steps: Vec<&str> = lines.iter().map(|line| &line[..2]).collect();
    assert_eq!(steps, ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."], "{lines:?}");
    assert_eq!(lines[7], "8. the JoinHandle yields 42");
}

#[test]
fn echo() {
    let lines = run_both("echo");
    assert_eq!(lines, ["100 round trips of 64 bytes: 6400 bytes echoed, every byte checked"]);
}

#[test]
fn channels() {
    let lines = run_both("channels");
    let mut expected = Vec::new();
    for i in 0..6 {
        expected.push(format!("Received: {i}"));
        // The producer fills the two slots, then each later send waits for the consumer.
        if (2..6).contains(&(i + 2)) {
            expected.push(format!("producer: channel was full, send({}) waited", i + 2));
        }
    }
    expected.extend((6..=18).step_by(2).map(|x| format!("Value: {x}")));
    assert_eq!(lines, expected);
}

#[test]
fn join_set() {
    let lines = run_both("join_set");
    assert_eq!(
        lines,
        ["results: [\"ALPHA\", \"BETA\", \"GAMMA\"]", "took about 100 ms for three 100 ms items"]
    );
}

#[test]
fn locks() {
    let lines = run_both("locks");
    assert_eq!(
        lines,
        [
            "mutex: [1, 2]",
            "rwlock: two readers at once see 42 and 42",
            "rwlock: after the write, 43",
            "semaphore(3), 10 tasks: peak concurrency 3",
        ]
    );
}

#[test]
fn pipeline() {
    let lines = run_both("pipeline");
    let doubled: Vec<u64> = (0..20).map(|x| x * 2).collect();
    assert_eq!(lines[0], format!("results: {doubled:?}"));
    assert_eq!(lines[1], "took about 200 ms: ran in parallel = true");
}

#[test]
fn actor() {
    let lines = run_both("actor");
    assert_eq!(
        lines,
        ["the actor's value after +1 +1 -1 +1: 2", "all senders dropped: the actor stopped"]
    );
}

#[test]
fn iteration() {
    let lines = run_both("iteration");
    let items = (0..5).map(|i| format!("Item: {i}"));
    let slow = (0..3).map(|i| format!("Slow item: {}", i * 10));
    assert_eq!(lines, items.chain(slow).collect::<Vec<_>>());
}

#[test]
fn unbounded() {
    let lines = run_both("unbounded");
    assert_eq!(
        lines,
        [
            "unbounded: peak queue 1000 messages, about 1000 KiB",
            "bounded(100): peak queue 100 messages, about 100 KiB",
        ]
    );
}

#[test]
fn channel_kinds() {
    let lines = run_both("channel_kinds");
    assert_eq!(
        lines,
        [
            "oneshot: pong",
            "broadcast: fast receiver got 1",
            "broadcast: fast receiver got 2",
            "broadcast: fast receiver got 3",
            "broadcast: fast receiver got 4",
            "broadcast: fast receiver got 5",
            "broadcast: slow receiver lagged, missed 3",
            "broadcast: slow receiver got 4",
            "broadcast: slow receiver got 5",
            "watch: after three sends the receiver sees \"serving\"",
            "watch: changed since? false",
        ]
    );
}

#[test]
fn starvation() {
    let lines = run_both("starvation");
    assert_eq!(
        lines,
        [
            "with the budget: the timer task ran while the loop went on = true",
            "unconstrained: the timer task waited for the loop to end = true",
        ]
    );
}

#[test]
fn race() {
    let lines = run_both("race");
    assert_eq!(
        lines,
        [
            "in the runtime's own order: balance 130 (expected 130)",
            "holding the lock across the database call: balance 130",
        ]
    );
}
