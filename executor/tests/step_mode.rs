//! Step mode, driven the way a person would drive it: `examples/stepping.rs` runs with
//! `CLOCKWORK_STEP=1` inside a tmux session; `tmux send-keys` types the keys and
//! `tmux capture-pane` reads the screen. Skips (with a message) only when tmux is missing; CI
//! installs it (`.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The example's binary, next to this test. Built now, since `cargo test --test step_mode`
/// alone does not build examples (a no-op when it is up to date).
fn stepping_binary() -> PathBuf {
    let test_exe = std::env::current_exe().expect("the test knows where it is");
    let profile_dir = test_exe.parent().and_then(Path::parent).expect("target/debug");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "clockwork", "--example", "stepping"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the stepping example builds");
    profile_dir.join("examples").join("stepping")
}

fn tmux(args: &[&str]) -> String {
    let output = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A tmux session of its own, killed when the test ends, even on failure.
struct Session(String);

impl Session {
    fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-J", "-S", "-200", "-t", &self.0])
    }

    fn keys(&self, keys: &str) {
        tmux(&["send-keys", "-t", &self.0, keys, "Enter"]);
    }

    /// Waits until the screen holds `text` `count` times.
    fn wait_for(&self, text: &str, count: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.matches(text).count() >= count {
                return screen;
            }
            assert!(Instant::now() < deadline, "waited for {count} x {text:?}; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

#[test]
fn keys_from_the_terminal_step_show_and_release_the_runtime() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("SKIPPED: tmux is not installed (apt-get install -y tmux)");
        return;
    }
    let name = format!("clockwork-step-{}", std::process::id());
    let program = format!(
        "CLOCKWORK_STEP=1 CLOCKWORK_LOG=0 {}; echo EXITED; sleep 30",
        stepping_binary().display()
    );
    let status = Command::new("tmux")
        .args(["new-session", "-d", "-x", "200", "-y", "50", "-s", &name, &program])
        .status()
        .expect("tmux starts");
    assert!(status.success());
    let session = Session(name);

    // The first stop: the first task, with the queue, the timers and the I/O around it.
    let screen = session.wait_for("── next:", 1);
    assert!(screen.contains("fetch_user (executor/examples/stepping.rs:"), "{screen}");
    assert!(screen.contains("poll 1, woken by"), "{screen}");
    assert!(screen.contains("run queue (1): task#"), "the second task waits: {screen}");
    assert!(screen.contains("timers: 0"), "{screen}");
    assert!(screen.contains("I/O waited on: none"), "{screen}");

    // `d` shows the task table, `t` the wheel, and the same task is still next.
    session.keys("d");
    let screen = session.wait_for("live task(s)", 1);
    assert!(screen.contains("last woken by"), "{screen}");
    session.keys("t");
    let screen = session.wait_for("level 5 (slots of 1073741824 ms)", 1);
    assert!(screen.contains("wheel: hand at +0ms, 0 timer(s)"), "{screen}");

    // Enter polls it: the next stop is the second task, and the first one's timer is filed.
    session.keys("");
    let screen = session.wait_for("── next:", 4);
    assert!(screen.contains("timers: 1; the wheel has work next at +"), "filed: {screen}");

    // `r` runs freely to the end.
    session.keys("r");
    let screen = session.wait_for("EXITED", 1);
    assert!(screen.contains("user 1, user 2"), "{screen}");
}

#[test]
fn without_a_terminal_step_mode_says_so_and_runs_freely() {
    if Command::new("setsid").arg("--version").output().is_err() {
        println!("SKIPPED: setsid is not installed");
        return;
    }
    // `setsid` starts the program in a new session, with no controlling terminal.
    let output = Command::new("setsid")
        .arg(stepping_binary())
        .env("CLOCKWORK_STEP", "1")
        .env("CLOCKWORK_LOG", "0")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr.matches("step mode needs a terminal").count(), 1, "said once: {stderr}");
    assert!(stdout.contains("user 1, user 2"), "{stdout}");
}
