//! `Child`: a spawned process, its piped streams, and the wait for its exit.
//!
//! A child is *running* (or exited and not yet reaped: a zombie) until `wait` or `try_wait`
//! reaps it, and *done* afterwards, keeping its status so that `wait` can be asked again:
//!
// ANCHOR: diagram
//! ```text
//!              1: wait / try_wait find it exited
//!   Running ───────────────────────────────────────► Done(status)
//!      │
//!      │ 2: dropped while running
//!      ▼
//!   killed first if kill_on_drop, then adopted as an orphan (process/orphan.rs)
//! ```
//!
//! 1. `Child::wait` -> `Running::poll_exit`: the `ExitWatch` says the child may have exited,
//!    `std::process::Child::try_wait` (`waitpid` with `WNOHANG`) reaps it if it has.
//! 2. `Drop for Child` -> `Running::abandon` -> `orphan::adopt`.
// ANCHOR_END: diagram

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::process::{ExitStatus, Output};
use std::task::{Context, Poll, ready};

use crate::io::{AsyncRead, AsyncReadExt};
use crate::process::exit::ExitWatch;
use crate::process::{ChildStderr, ChildStdin, ChildStdout, orphan};

/// A child process spawned by [`Command::spawn`](crate::process::Command::spawn), as
/// `tokio::process::Child`.
///
/// Dropping a `Child` does not stop the process (unless
/// [`kill_on_drop`](crate::process::Command::kill_on_drop) was set), as with `std`; Clockwork
/// still reaps it once it exits, so that it does not linger as a zombie.
pub struct Child {
    state: State,
    /// The child's stdin, if it was piped; `wait` drops it first.
    pub stdin: Option<ChildStdin>,
    /// The child's stdout, if it was piped.
    pub stdout: Option<ChildStdout>,
    /// The child's stderr, if it was piped.
    pub stderr: Option<ChildStderr>,
}

/// The two states of the module docs.
enum State {
    Running(Running),
    Done(ExitStatus),
}

/// A child that has not been reaped, and how to learn that it exited.
struct Running {
    std: std::process::Child,
    watch: ExitWatch,
    /// Kill it when the `Child` is dropped: set by `Command::kill_on_drop`, cleared once a
    /// kill was sent.
    kill_on_drop: bool,
}

impl Child {
    /// Wraps a child that `std` spawned; its streams are taken out, for the caller to set.
    pub(crate) fn new(std: std::process::Child, kill_on_drop: bool) -> Child {
        let watch = ExitWatch::new(&std);
        let running = Running { std, watch, kill_on_drop };
        Child { state: State::Running(running), stdin: None, stdout: None, stderr: None }
    }

    /// The child's process id, or `None` once it has been reaped (the id may then belong to
    /// another process).
    pub fn id(&self) -> Option<u32> {
        match &self.state {
            State::Running(running) => Some(running.std.id()),
            State::Done(_) => None,
        }
    }

    /// Sends `SIGKILL` and returns at once; `wait` for the exit (or use [`Child::kill`]).
    /// Does nothing once the child has been reaped.
    pub fn start_kill(&mut self) -> io::Result<()> {
        let State::Running(running) = &mut self.state else {
            return Ok(());
        };
        running.std.kill()?;
        // Killed already: nothing left for the drop to do.
        running.kill_on_drop = false;
        Ok(())
    }

    /// Sends `SIGKILL` and waits for the child to exit.
    pub async fn kill(&mut self) -> io::Result<()> {
        self.start_kill()?;
        self.wait().await?;
        Ok(())
    }

    /// Waits for the child to exit, and answers its status; answers it again on later calls.
    ///
    /// Closes the child's stdin first (if it was piped), so that a child that reads its input
    /// to the end does not wait for us while we wait for it.
    ///
    /// Cancel safe: dropping the future before the exit loses nothing.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        poll_fn(|cx| self.poll_wait(cx)).await
    }

    /// Reaps the child if it has exited, without waiting: `Ok(None)` while it runs.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        let State::Running(running) = &mut self.state else {
            return Ok(self.status());
        };
        let status = running.std.try_wait()?;
        if let Some(status) = status {
            self.state = State::Done(status);
        }
        Ok(status)
    }

    /// Waits for the exit while reading all of stdout and stderr (those that were piped), so
    /// that a child filling a pipe is never stuck waiting for us.
    pub async fn wait_with_output(mut self) -> io::Result<Output> {
        let mut stdout = self.stdout.take();
        let mut stderr = self.stderr.take();
        let (status, stdout_bytes, stderr_bytes) = futures_util::future::try_join3(
            self.wait(),
            read_all(stdout.as_mut()),
            read_all(stderr.as_mut()),
        )
        .await?;
        Ok(Output { status, stdout: stdout_bytes, stderr: stderr_bytes })
    }

    /// The status, once reaped.
    fn status(&self) -> Option<ExitStatus> {
        match self.state {
            State::Running(_) => None,
            State::Done(status) => Some(status),
        }
    }

    /// Arrow 1 of the module docs: waits until the child has exited and reaps it.
    fn poll_wait(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        let State::Running(running) = &mut self.state else {
            return Poll::Ready(Ok(self.status().expect("a child that is not running is done")));
        };
        let status = ready!(running.poll_exit(cx))?;
        self.state = State::Done(status);
        // A child exited: orphans may have, too.
        orphan::sweep();
        Poll::Ready(Ok(status))
    }
}

/// Reads `stream` to its end, or nothing if there is none.
async fn read_all(stream: Option<&mut (impl AsyncRead + Unpin)>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if let Some(stream) = stream {
        stream.read_to_end(&mut bytes).await?;
    }
    Ok(bytes)
}

impl Running {
    // ANCHOR: poll_exit
    /// Waits for the watch to say the child may have exited, then asks; again while it runs.
    fn poll_exit(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        loop {
            ready!(self.watch.poll_changed(cx))?;
            if let Some(status) = self.std.try_wait()? {
                return Poll::Ready(Ok(status));
            }
        }
    }
    // ANCHOR_END: poll_exit

    /// Arrow 2 of the module docs: the `Child` is gone, the process may not be.
    fn abandon(mut self) {
        if self.kill_on_drop {
            // An error means it has exited already; the orphan code reaps it either way.
            let _ = self.std.kill();
        }
        orphan::adopt(self.std, self.watch);
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // The placeholder is never seen: the `Child` is going away.
        let placeholder = State::Done(ExitStatus::default());
        if let State::Running(running) = std::mem::replace(&mut self.state, placeholder) {
            running.abandon();
        }
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Child");
        match &self.state {
            State::Running(running) => debug
                .field("pid", &running.std.id())
                .field("watch", &running.watch)
                .field("kill_on_drop", &running.kill_on_drop),
            State::Done(status) => debug.field("status", status),
        };
        debug
            .field("stdin", &self.stdin)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish()
    }
}
