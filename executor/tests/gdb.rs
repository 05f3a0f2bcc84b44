//! Runs `rust-gdb -batch` on `examples/stepping.rs`: a breakpoint inside a spawned task is hit,
//! the backtrace shows the run loop, and `call clockwork_dump()` prints the task table.
//!
//! Skips (with a message) only when gdb is not installed. CI installs it:
//! `apt-get install -y gdb` (see `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The example's debug binary, built next to this test (cargo builds examples for `cargo test`),
/// or built now if it is missing.
fn stepping_binary() -> PathBuf {
    let test_exe = std::env::current_exe().expect("the test knows where it is");
    // target/debug/deps/gdb-HASH -> target/debug/examples/stepping
    let profile_dir = test_exe.parent().and_then(Path::parent).expect("target/debug");
    let binary = profile_dir.join("examples").join("stepping");
    if !binary.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-p", "clockwork", "--example", "stepping"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the stepping example builds");
    }
    binary
}

/// The line of `examples/stepping.rs` that holds `marker`, for a breakpoint that survives edits.
fn line_of(marker: &str) -> usize {
    let source = include_str!("../examples/stepping.rs");
    let index = source.lines().position(|line| line.contains(marker)).expect("the marker exists");
    index + 1
}

/// `rust-gdb` when rustup provides it (it adds the std pretty-printers), else plain `gdb`.
fn debugger() -> Option<&'static str> {
    let works =
        |name: &str| Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    if !works("gdb") {
        return None;
    }
    Some(if works("rust-gdb") { "rust-gdb" } else { "gdb" })
}

#[test]
fn gdb_stops_in_a_task_and_prints_the_task_table() {
    let Some(gdb) = debugger() else {
        println!("SKIPPED: gdb is not installed (apt-get install -y gdb)");
        return;
    };
    let binary = stepping_binary();
    let breakpoint = format!("break stepping.rs:{}", line_of("let user = format!"));
    let output = Command::new(gdb)
        .args(["-batch", "-nx"])
        // The pretty-printers and `call clockwork_dump()` come embedded in the binary.
        .args(["-iex", "set auto-load safe-path /"])
        .args(["-ex", "set debuginfod enabled off"])
        .args(["-ex", &breakpoint])
        .args(["-ex", "run"])
        .args(["-ex", "bt"])
        .args(["-ex", "call clockwork_dump()"])
        .args(["-ex", "frame function clockwork::runtime::core::Core::run_task"])
        .args(["-ex", "print task"])
        .args(["-ex", "kill"])
        .arg(&binary)
        .env("CLOCKWORK_LOG", "0")
        .output()
        .expect("gdb runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    assert!(text.contains("Breakpoint 1, stepping::fetch_user"), "the breakpoint is hit:\n{text}");
    assert!(
        text.contains("clockwork::runtime::core::Core::block_on"),
        "the backtrace shows the run loop:\n{text}"
    );
    assert!(text.contains("clockwork::runtime::core::Core::run_task"), "and run_task:\n{text}");
    assert!(text.contains("live task(s)"), "clockwork_dump printed the table:\n{text}");
    assert!(
        text.lines().any(|l| l.starts_with("task#") && l.contains("fetch_user (")),
        "the table names the task:\n{text}"
    );
    assert!(
        text.contains("TaskRef -> task#1 fetch_user at executor/examples/stepping.rs:21"),
        "the pretty-printer shows the task, its name and where it was spawned:\n{text}"
    );
}
