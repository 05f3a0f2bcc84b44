//! Child processes under tokio's path `clockwork::process`: `std` spawns, the reactor waits.
//!
//! Starting a process is `std::process::Command::spawn`, which is quick (a `fork`/`exec`, or
//! `posix_spawn`), so it runs right on the runtime's thread, as in tokio. Everything after it
//! can take any time, and has readiness the reactor can wait for:
//!
//! ```text
//!   Command::spawn ─► std spawns the child
//!     ├─ piped stdin/stdout/stderr ─► pipe ends, nonblocking, registered like sockets
//!     │                               (process/stdio.rs over clockwork_reactor::net::pipe)
//!     └─ the child's exit ─► ExitWatch: a pidfd registered with the reactor, readable once
//!                            the child has exited; SIGCHLD where there is no pidfd
//!                            (process/exit.rs, which explains the choice)
//!   Child::wait ─► the watch says "may have exited" ─► waitpid(WNOHANG) reaps it
//!   Child dropped first ─► killed if kill_on_drop, then reaped as an orphan (process/orphan.rs)
//! ```
//!
//! ```
//! use clockwork::process::Command;
//!
//! # clockwork::runtime::Runtime::new().unwrap().block_on(async {
//! let output = Command::new("sh").arg("-c").arg("echo hello; exit 3").output().await?;
//! assert_eq!(output.stdout, b"hello\n");
//! assert_eq!(output.status.code(), Some(3));
//! # std::io::Result::Ok(()) }).unwrap();
//! ```
//!
//! Reading order: this file's [`Command`] (the builder, and `spawn`); `process/child.rs`
//! ([`Child`], with its two states); `process/exit.rs` (how an exit is noticed);
//! `process/orphan.rs` (children nobody waits for); `process/stdio.rs` (the streams).

mod child;
mod exit;
mod orphan;
mod stdio;
#[cfg(all(test, not(loom)))]
mod tests;

use std::ffi::OsStr;
use std::future::Future;
use std::io;
use std::path::Path;
use std::process::{ExitStatus, Output};

pub use child::Child;
pub use std::process::Stdio;
pub use stdio::{ChildStderr, ChildStdin, ChildStdout};

/// A process builder, as `tokio::process::Command`: `std::process::Command`'s methods, with a
/// [`Child`] that is waited for on the reactor, and [`Command::kill_on_drop`].
///
/// By default the child inherits stdin, stdout and stderr; [`Command::output`] pipes stdout
/// and stderr.
#[derive(Debug)]
pub struct Command {
    std: std::process::Command,
    kill_on_drop: bool,
}

impl Command {
    /// A builder for running `program`, found on `PATH` unless it is a path.
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        Command::from(std::process::Command::new(program))
    }

    /// The `std` builder inside.
    pub fn as_std(&self) -> &std::process::Command {
        &self.std
    }

    /// The `std` builder inside, for what only it offers.
    pub fn as_std_mut(&mut self) -> &mut std::process::Command {
        &mut self.std
    }

    /// The `std` builder, dropping `kill_on_drop`.
    pub fn into_std(self) -> std::process::Command {
        self.std
    }

    /// Adds one argument.
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        self.std.arg(arg);
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.std.args(args);
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Command {
        self.std.env(key, value);
        self
    }

    /// Sets environment variables for the child.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.envs(vars);
        self
    }

    /// Removes an environment variable from the child's environment.
    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Command {
        self.std.env_remove(key);
        self
    }

    /// Starts the child with an empty environment (then `env` adds to it).
    pub fn env_clear(&mut self) -> &mut Command {
        self.std.env_clear();
        self
    }

    /// The child's working directory.
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Command {
        self.std.current_dir(dir);
        self
    }

    /// What the child's stdin is: inherited by default; `Stdio::piped()` gives
    /// [`Child::stdin`].
    pub fn stdin(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.std.stdin(cfg);
        self
    }

    /// What the child's stdout is: inherited by default; `Stdio::piped()` gives
    /// [`Child::stdout`].
    pub fn stdout(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.std.stdout(cfg);
        self
    }

    /// What the child's stderr is: inherited by default; `Stdio::piped()` gives
    /// [`Child::stderr`].
    pub fn stderr(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.std.stderr(cfg);
        self
    }

    /// Whether dropping the [`Child`] (or the future of `status` or `output`) before the child
    /// exits sends it `SIGKILL`; off by default, as in `std` and tokio. Either way the child is
    /// reaped once it exits.
    pub fn kill_on_drop(&mut self, kill_on_drop: bool) -> &mut Command {
        self.kill_on_drop = kill_on_drop;
        self
    }

    /// Whether [`Command::kill_on_drop`] is set.
    pub fn get_kill_on_drop(&self) -> bool {
        self.kill_on_drop
    }

    /// Runs the child as user `id` (`setuid(2)` before `exec`).
    #[cfg(unix)]
    pub fn uid(&mut self, id: u32) -> &mut Command {
        std::os::unix::process::CommandExt::uid(&mut self.std, id);
        self
    }

    /// Runs the child as group `id` (`setgid(2)` before `exec`).
    #[cfg(unix)]
    pub fn gid(&mut self, id: u32) -> &mut Command {
        std::os::unix::process::CommandExt::gid(&mut self.std, id);
        self
    }

    /// The child's `argv[0]`, which is the program's name by default.
    #[cfg(unix)]
    pub fn arg0(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        std::os::unix::process::CommandExt::arg0(&mut self.std, arg);
        self
    }

    /// Puts the child in process group `pgroup` (0: a new group of its own).
    #[cfg(unix)]
    pub fn process_group(&mut self, pgroup: i32) -> &mut Command {
        std::os::unix::process::CommandExt::process_group(&mut self.std, pgroup);
        self
    }

    /// Runs `f` in the child between `fork` and `exec`; see
    /// [`std::os::unix::process::CommandExt::pre_exec`].
    ///
    /// # Safety
    ///
    /// `f` runs in a copy of the process with only one thread: it may only do what is
    /// async-signal-safe (no allocation, no locks another thread may have held), as `std`'s
    /// `pre_exec` requires.
    #[cfg(unix)]
    pub unsafe fn pre_exec<F>(&mut self, f: F) -> &mut Command
    where
        F: FnMut() -> io::Result<()> + Send + Sync + 'static,
    {
        // SAFETY: the caller upholds `pre_exec`'s contract (this function's own), which is
        // `std`'s, word for word.
        unsafe { std::os::unix::process::CommandExt::pre_exec(&mut self.std, f) };
        self
    }

    /// Starts the child. Piped streams are registered with the current reactor.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime when a stream is piped, as a socket would.
    pub fn spawn(&mut self) -> io::Result<Child> {
        // A good moment to reap orphans that exited while nobody was waiting.
        orphan::sweep();
        let mut std_child = self.std.spawn()?;
        let (stdin, stdout, stderr) =
            (std_child.stdin.take(), std_child.stdout.take(), std_child.stderr.take());
        // From here on the `Child` owns the process, and reaps it even if registering a pipe
        // fails (or panics, outside a runtime).
        let mut child = Child::new(std_child, self.kill_on_drop);
        child.stdin = stdin.map(ChildStdin::from_std).transpose()?;
        child.stdout = stdout.map(ChildStdout::from_std).transpose()?;
        child.stderr = stderr.map(ChildStderr::from_std).transpose()?;
        Ok(child)
    }

    /// Starts the child and waits for it to exit; its piped streams, if any, are closed at
    /// once. The child starts when `status` is called, not when the future is first polled.
    pub fn status(&mut self) -> impl Future<Output = io::Result<ExitStatus>> + use<> {
        let spawned = self.spawn();
        async move {
            let mut child = spawned?;
            // Close our ends, so a child that writes to or reads from them is not stuck on us.
            drop((child.stdin.take(), child.stdout.take(), child.stderr.take()));
            child.wait().await
        }
    }

    /// Starts the child with stdout and stderr piped (whatever they were set to, as in tokio),
    /// and collects both while waiting for it to exit.
    pub fn output(&mut self) -> impl Future<Output = io::Result<Output>> + use<> {
        self.std.stdout(Stdio::piped());
        self.std.stderr(Stdio::piped());
        let spawned = self.spawn();
        async move { spawned?.wait_with_output().await }
    }
}

impl From<std::process::Command> for Command {
    fn from(std: std::process::Command) -> Command {
        Command { std, kill_on_drop: false }
    }
}
