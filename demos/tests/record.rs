//! tokio's side of every pattern is recorded: each task the pattern spawns, with its polls.

use clockwork_demos::harness::{self, Runtime};
use clockwork_demos::patterns;

#[test]
fn the_tokio_recorder_sees_every_task_the_pattern_spawns() {
    let mut never_polled = Vec::new();
    for pattern in patterns() {
        let clockwork = harness::run(&pattern, Runtime::Clockwork).log.tasks();
        let tokio = harness::run(&pattern, Runtime::Tokio).log.tasks();
        if pattern.name == "async_http" {
            // The tokio build also checks the server with reqwest: its connections are
            // answered by more tasks of the server.
            assert!(tokio.len() > clockwork.len(), "async_http: {tokio:?}");
        } else {
            assert_eq!(tokio.len(), clockwork.len(), "{}: tasks spawned", pattern.name);
        }
        for task in tokio.iter().filter(|task| task.polls == 0) {
            never_polled.push(format!(
                "{} task#{} line {}",
                pattern.name,
                task.task,
                task.location.line()
            ));
        }
        // The same task, spawned from the same line, has the same number on both runtimes,
        // and is polled on both or on neither.
        for (on_clockwork, on_tokio) in clockwork.iter().zip(&tokio) {
            assert_eq!(on_clockwork.location, on_tokio.location, "{}", pattern.name);
            assert_eq!(on_clockwork.polls == 0, on_tokio.polls == 0, "{}", pattern.name);
        }
    }
    // Every task is polled at least once, but one: leak's last task is spawned just before
    // the program returns, and the runtime drops it unpolled (`save_in_background`).
    assert_eq!(never_polled, ["leak task#21 line 71"]);
}

#[test]
fn a_wake_on_tokio_names_its_origin() {
    use clockwork_demos::record::{Origin, StepKind};
    // flow: the task sleeps, and the timer wakes it from the driver, outside any poll.
    let flow = patterns().into_iter().find(|p| p.name == "flow").unwrap();
    let log = harness::run(&flow, Runtime::Tokio).log;
    let wakes: Vec<Origin> = log
        .steps
        .iter()
        .filter_map(|step| match step.kind {
            StepKind::Wake { by, .. } => Some(by),
            _ => None,
        })
        .collect();
    assert_eq!(wakes, [Origin::Driver], "{log:?}");
}

#[test]
fn tokio_narration_reads_as_clockwork_narration() {
    let narrate = |runtime: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_clockwork-demos"))
            .args(["flow", "--runtime", runtime])
            .env("CLOCKWORK_LOG", "spawn,poll")
            .output()
            .expect("the demos run");
        assert!(output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        // The lines without their durations, which differ from run to run.
        let lines: Vec<String> = stderr
            .lines()
            .filter(|line| line.starts_with("spawn ") || line.starts_with("poll "))
            .map(|line| line.split(" after ").next().unwrap().to_string())
            .collect();
        lines
    };
    let on_tokio = narrate("tokio");
    assert_eq!(
        on_tokio,
        [
            "spawn  task#1 (demos/src/patterns/flow.rs:12)",
            "poll   task#1 (demos/src/patterns/flow.rs:12) -> Pending",
            "poll   task#1 (demos/src/patterns/flow.rs:12) -> Ready",
        ]
    );
    assert_eq!(on_tokio, narrate("clockwork"));
}
