//! The `SIGCHLD` way of noticing an exit, which this machine's kernel (with pidfds) never
//! takes on its own, and the orphan list.

use std::future::poll_fn;
use std::task::{Poll, ready};

use super::exit::ExitWatch;
use super::orphan;
use crate::runtime::Runtime;

/// Polls `watch` and asks `try_wait` until `child` has exited; answers its exit code and how
/// many times the watch said "ask again".
async fn wait_with(watch: &mut ExitWatch, child: &mut std::process::Child) -> (i32, usize) {
    let mut readies = 0;
    let status = poll_fn(|cx| {
        loop {
            ready!(watch.poll_changed(cx)).unwrap();
            readies += 1;
            if let Some(status) = child.try_wait().unwrap() {
                return Poll::Ready(status);
            }
        }
    })
    .await;
    (status.code().unwrap(), readies)
}

#[test]
fn sigchld_notices_an_exit() {
    Runtime::new().unwrap().block_on(async {
        let mut child =
            std::process::Command::new("sh").args(["-c", "sleep 0.1; exit 3"]).spawn().unwrap();
        let mut watch = ExitWatch::sigchld();
        let (code, readies) = wait_with(&mut watch, &mut child).await;
        assert_eq!(code, 3);
        assert!(readies >= 1, "the first poll asks at once");
    });
}

#[test]
fn sigchld_finds_a_child_that_exited_before_anyone_watched() {
    Runtime::new().unwrap().block_on(async {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        // Exited (a zombie) before the handler is installed: no delivery will come for it.
        while !is_zombie(child.id()) {
            std::thread::yield_now();
        }
        let mut watch = ExitWatch::sigchld();
        let (code, readies) = wait_with(&mut watch, &mut child).await;
        assert_eq!((code, readies), (0, 1), "found by the first question, not by a signal");
    });
}

#[test]
fn a_child_dropped_outside_a_runtime_is_parked_then_swept() {
    let mut child = std::process::Command::new("sleep").arg("10").spawn().unwrap();
    let watch = ExitWatch::sigchld();
    child.kill().unwrap();
    while !is_zombie(child.id()) {
        std::thread::yield_now();
    }
    let pid = child.id();
    // A zombie is reaped by `adopt`'s first question; a running child would be parked.
    orphan::adopt(child, watch);
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists());

    let running = std::process::Command::new("sleep").arg("10").spawn().unwrap();
    let pid = running.id();
    let before = orphan::parked();
    orphan::adopt(running, ExitWatch::sigchld());
    assert_eq!(orphan::parked(), before + 1, "no runtime here: parked");
    kill_by_pid(pid);
    while !is_zombie(pid) {
        std::thread::yield_now();
    }
    orphan::sweep();
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "the sweep reaped it");
}

/// Whether `pid` has exited and not been reaped.
fn is_zombie(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'))
}

/// Kills `pid` with the `kill` command (the test owns no `Child` for it any more).
fn kill_by_pid(pid: u32) {
    let killed = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    assert!(killed.unwrap().success());
}
