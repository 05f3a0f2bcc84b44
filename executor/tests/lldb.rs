//! Runs `lldb -b` on `examples/stepping.rs` with the session of `executor/lldb/stepping.lldb`:
//! the breakpoint inside a task is hit, the formatters print the task and the wheel, and
//! `expr clockwork_dump()` prints the task table.
//!
//! Skips (with a message) only when lldb is not installed. CI installs it:
//! `apt-get install -y lldb` (see `.ci/run`, which also fixes Debian's lldb 14 Python path).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The example's debug binary, built next to this test (cargo builds examples for `cargo test`),
/// or built now if it is missing.
fn stepping_binary() -> PathBuf {
    let test_exe = std::env::current_exe().expect("the test knows where it is");
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

fn lldb_works() -> bool {
    let version = Command::new("lldb").arg("--version").output();
    version.is_ok_and(|output| output.status.success())
}

#[test]
fn lldb_stops_in_a_task_prints_it_and_dumps_the_table() {
    if !lldb_works() {
        println!("SKIPPED: lldb is not installed (apt-get install -y lldb)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new("lldb")
        .current_dir(&root)
        .args(["-b", "-s", "executor/lldb/stepping.lldb"])
        .arg(stepping_binary())
        .env("CLOCKWORK_LOG", "0")
        .output()
        .expect("lldb runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    assert!(text.contains("stop reason = breakpoint 1"), "the breakpoint is hit:\n{text}");
    assert!(text.contains("Core::run_task"), "the backtrace shows the run loop:\n{text}");
    assert!(
        text.lines().any(|l| l.starts_with("task#") && l.contains("fetch_user (")),
        "expr clockwork_dump() printed the table:\n{text}"
    );
    assert!(
        text.contains("task = TaskRef -> task#1 fetch_user at executor/examples/stepping.rs:21"),
        "the formatter shows the task in frame 9, Core::run_task:\n{text}"
    );
    assert!(text.contains("TimeDriver { Wheel { hand_ms: "), "and the wheel:\n{text}");
    // task#2 sleeps 20 ms from about 1 ms: its timer sits in a level-0 slot, one per ms.
    assert!(
        text.contains("timers: 1 } = {level 0 = slots ["),
        "the wheel's summary lists task#2's timer in level 0:\n{text}"
    );
    assert!(text.contains("user 1, user 2"), "the program ran to its end:\n{text}");
}
