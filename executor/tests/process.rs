//! `clockwork::process`: spawning, piped streams through the reactor, waiting, killing, and
//! reaping children nobody waits for.

use std::io::ErrorKind;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use clockwork::io::{AsyncReadExt, AsyncWriteExt};
use clockwork::process::Command;
use clockwork::runtime::Runtime;

/// Whether the process `pid` is gone from the process table (reaped, not a zombie).
fn is_reaped(pid: u32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

/// Whether the process `pid` has exited but not been reaped.
fn is_zombie(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the command name, which is in parentheses.
    stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'))
}

/// Waits (up to five seconds, letting the runtime run) until `pid` is reaped.
async fn until_reaped(pid: u32) -> bool {
    for _ in 0..500 {
        if is_reaped(pid) {
            return true;
        }
        clockwork::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[clockwork::test]
async fn status_reports_the_exit_code() {
    assert!(Command::new("true").status().await.unwrap().success());
    let failed = Command::new("false").status().await.unwrap();
    assert_eq!(failed.code(), Some(1));
}

#[clockwork::test]
async fn output_collects_both_streams() {
    let output =
        Command::new("sh").args(["-c", "echo out; echo err >&2; exit 7"]).output().await.unwrap();
    assert_eq!(output.stdout, b"out\n");
    assert_eq!(output.stderr, b"err\n");
    assert_eq!(output.status.code(), Some(7));
}

#[clockwork::test]
async fn a_piped_child_echoes_what_it_is_sent() {
    let mut child =
        Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    stdin.write_all(b"there and back").await.unwrap();
    let mut echoed = [0; 14];
    stdout.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"there and back");
    // Dropping our end of its stdin is the end of cat's input: it exits, and stdout ends.
    drop(stdin);
    let mut rest = Vec::new();
    assert_eq!(stdout.read_to_end(&mut rest).await.unwrap(), 0);
    assert!(child.wait().await.unwrap().success());
}

#[clockwork::test]
async fn more_than_a_pipe_holds_flows_through() {
    // 1 MiB is sixteen times what a pipe buffers, so both sides must wait on the reactor.
    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = clockwork::spawn(async move {
        stdin.write_all(&vec![7u8; 1 << 20]).await.unwrap();
    });
    let mut received = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut received).await.unwrap();
    writer.await.unwrap();
    assert_eq!(received.len(), 1 << 20);
    assert!(received.iter().all(|&byte| byte == 7));
}

#[clockwork::test]
async fn a_killed_child_is_reaped_and_the_status_says_how() {
    let mut child = Command::new("sleep").arg("10").spawn().unwrap();
    assert!(child.try_wait().unwrap().is_none(), "still sleeping");
    let pid = child.id().unwrap();
    child.kill().await.unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    assert!(is_reaped(pid));
    // Fused: the status stays, the id goes, and killing again is fine.
    assert_eq!(child.try_wait().unwrap(), Some(status));
    assert_eq!(child.wait().await.unwrap(), status);
    assert_eq!(child.id(), None);
    child.start_kill().unwrap();
}

#[clockwork::test]
async fn a_closed_pipe_is_the_end_or_a_broken_pipe() {
    let mut child =
        Command::new("true").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap(); // taken, so `wait` cannot close it
    assert!(child.wait().await.unwrap().success());
    let mut nothing = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut nothing).await.unwrap();
    assert!(nothing.is_empty(), "the child exited without writing: end of stream");
    let refused = stdin.write_all(b"anyone there?").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::BrokenPipe);
}

#[clockwork::test]
async fn one_childs_output_is_the_next_ones_input() {
    let mut first = Command::new("echo").arg("piped along").stdout(Stdio::piped()).spawn().unwrap();
    let stdout: Stdio = first.stdout.take().unwrap().try_into().unwrap();
    let second = Command::new("cat").stdin(stdout).output().await.unwrap();
    assert_eq!(second.stdout, b"piped along\n");
    assert!(first.wait().await.unwrap().success());
}

#[clockwork::test]
async fn kill_on_drop_kills_and_the_child_is_still_reaped() {
    let child = Command::new("sleep").arg("10").kill_on_drop(true).spawn().unwrap();
    let pid = child.id().unwrap();
    drop(child);
    assert!(until_reaped(pid).await, "killed, then reaped by the orphan reaper");
}

#[clockwork::test]
async fn a_dropped_child_runs_on_and_is_reaped_when_it_exits() {
    let mut child = Command::new("sh")
        .args(["-c", "read line; echo \"$line\""])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    drop(child); // no kill_on_drop: the child keeps running
    stdin.write_all(b"still here\n").await.unwrap();
    let mut answer = String::new();
    stdout.read_to_string(&mut answer).await.unwrap();
    assert_eq!(answer, "still here\n");
    assert!(until_reaped(pid).await, "reaped once it exited");
}

/// An orphan whose runtime shut down before it exited waits in the orphan list, and the next
/// `spawn` (in any runtime) reaps it.
#[test]
fn an_orphan_that_outlives_its_runtime_is_reaped_by_the_next_spawn() {
    let pid = Runtime::new().unwrap().block_on(async {
        let child = Command::new("sleep").arg("0.2").spawn().unwrap();
        child.id().unwrap()
    });
    // The runtime is gone, and with it the reaper task: the child exits as a zombie (unless
    // another test's spawn, in this process, sweeps it first).
    let mut waited_ms = 0;
    while !is_zombie(pid) && !is_reaped(pid) {
        assert!(waited_ms < 5_000, "the child should have exited by now");
        std::thread::sleep(Duration::from_millis(10));
        waited_ms += 10;
    }
    Runtime::new().unwrap().block_on(async {
        Command::new("true").status().await.unwrap();
    });
    assert!(is_reaped(pid), "the spawn swept the orphan list");
}

/// A child spawned inside one runtime can be waited for inside another: its exit watch
/// registers again with the reactor that is current.
#[test]
fn a_child_can_be_waited_for_in_another_runtime() {
    let mut child = Runtime::new().unwrap().block_on(async {
        Command::new("sh").args(["-c", "exit 4"]).stdout(Stdio::null()).spawn().unwrap()
    });
    let status = Runtime::new().unwrap().block_on(async { child.wait().await.unwrap() });
    assert_eq!(status.code(), Some(4));
}

#[clockwork::test]
async fn arg0_and_environment_reach_the_child() {
    let output = Command::new("sh")
        .arg0("renamed")
        .args(["-c", "echo $0 $GREETING"])
        .env_clear()
        .env("GREETING", "hi")
        .output()
        .await
        .unwrap();
    assert_eq!(output.stdout, b"renamed hi\n");
}
