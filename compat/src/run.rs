//! Running one test in its own process, with a time limit.
//!
//! A test that hangs or aborts takes its whole process with it. Run one test per process
//! (`binary --exact NAME --test-threads=1`) and a hang costs only that test: after
//! `timeout` it is killed and counted as a timeout, and the next test starts fresh.

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::reason::panic_line;

/// How one test ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    /// It failed; the first line of its panic message, if it printed one.
    Fail(String),
    /// It ran past the time limit and was killed.
    Timeout,
    /// The process died another way (a signal, such as an abort, or an odd exit code).
    Crash(String),
    /// It was removed before the build; the reason (see `reason.rs`).
    NotCompiled(String),
}

impl Outcome {
    pub fn is_pass(&self) -> bool {
        *self == Outcome::Pass
    }

    /// Whether the test was built and run (whatever the result).
    pub fn has_run(&self) -> bool {
        !matches!(self, Outcome::NotCompiled(_))
    }

    /// A few words for the report.
    pub fn describe(&self, timeout: Duration) -> String {
        match self {
            Outcome::Pass => "passes".to_string(),
            Outcome::Fail(message) => format!("fails: {message}"),
            Outcome::Timeout => format!("timed out after {} s", timeout.as_secs()),
            Outcome::Crash(how) => format!("crashed: {how}"),
            Outcome::NotCompiled(reason) => reason.clone(),
        }
    }
}

/// The names of the tests in a test binary that would run by default (ignored ones left
/// out), in the binary's order.
pub fn list_tests(binary: &Path) -> Result<Vec<String>, String> {
    let all = list(binary, &[])?;
    let ignored = list(binary, &["--ignored"])?;
    Ok(all.into_iter().filter(|name| !ignored.contains(name)).collect())
}

fn list(binary: &Path, extra: &[&str]) -> Result<Vec<String>, String> {
    let output = Command::new(binary)
        .args(["--list", "--format", "terse"])
        .args(extra)
        .output()
        .map_err(|error| format!("cannot list {}: {error}", binary.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let names = text.lines().filter_map(|line| line.strip_suffix(": test"));
    Ok(names.map(str::to_string).collect())
}

/// Runs one test, alone in a process, and kills it if it runs longer than `timeout`.
/// `scratch_output` is a file to hold what it prints (a pipe could fill up and block it).
pub fn run_test(binary: &Path, name: &str, timeout: Duration, scratch_output: &Path) -> Outcome {
    let started = match start(binary, name, scratch_output) {
        Ok(child) => child,
        Err(error) => return Outcome::Crash(format!("could not start: {error}")),
    };
    let mut child = started;
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::Timeout;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(error) => return Outcome::Crash(format!("wait failed: {error}")),
        }
    };
    let output = std::fs::read_to_string(scratch_output).unwrap_or_default();
    judge(status, &output)
}

fn start(binary: &Path, name: &str, output_path: &Path) -> std::io::Result<std::process::Child> {
    let output = File::create(output_path)?;
    Command::new(binary)
        .args(["--exact", name, "--test-threads=1"])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(output.try_clone()?)
        .stderr(output)
        .spawn()
}

/// What an exit status and the printed output mean. libtest exits with 101 when a test
/// fails; passing means status 0 *and* one test run, so a test that was skipped
/// (say, ignored) is not counted as a pass.
fn judge(status: ExitStatus, output: &str) -> Outcome {
    if status.success() && output.contains("1 passed") {
        return Outcome::Pass;
    }
    if status.code() == Some(101) {
        let message = panic_line(output).unwrap_or_else(|| "no panic message".to_string());
        return Outcome::Fail(message);
    }
    match status.signal() {
        Some(signal) => Outcome::Crash(format!("signal {signal}")),
        None => Outcome::Crash(format!("exit status {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_zero_counts_only_if_a_test_ran() {
        let ok = ExitStatus::from_raw(0);
        assert_eq!(judge(ok, "test result: ok. 1 passed; 0 failed"), Outcome::Pass);
        assert!(!judge(ok, "test result: ok. 0 passed; 1 ignored").is_pass());
    }

    #[test]
    fn exit_101_is_a_failure_with_its_panic_line() {
        // A wait status holds the exit code in its second byte.
        let failed = ExitStatus::from_raw(101 << 8);
        let output = "thread 'a' panicked at tests/x.rs:1:1:\nexpected 1\n";
        assert_eq!(judge(failed, output), Outcome::Fail("expected 1".to_string()));
    }

    #[test]
    fn death_by_signal_is_a_crash() {
        let aborted = ExitStatus::from_raw(6);
        assert_eq!(judge(aborted, ""), Outcome::Crash("signal 6".to_string()));
    }
}
