//! Orphans: children whose `Child` was dropped before they exited, and who must still be reaped.
//!
//! A process that has exited stays in the process table as a *zombie*, holding its pid and
//! exit status, until its parent reaps it with `waitpid(2)`. A dropped [`Child`] can no longer
//! be waited for by its owner, so Clockwork does it:
//!
// ANCHOR: diagram
//! ```text
//!   Child dropped, still running (killed first if kill_on_drop)
//!     1: try_wait once ─── exited ──► reaped, done
//!     2: a runtime is current ──► spawn a reaper task: await the ExitWatch, try_wait, done
//!     3: no runtime, or the runtime shuts down before the child exits
//!          ──► the child joins ORPHANS, the list swept (try_wait on each) by every
//!              `Command::spawn` and every reaped child
//! ```
//!
//! 1. `adopt`: most children dropped after `kill` are already gone.
//! 2. `adopt` -> `task::Builder::spawn(Reaper)`: the reaper waits the way `Child::wait` does,
//!    on the child's own `ExitWatch`, so a zombie is reaped as soon as the runtime runs.
//! 3. `Reaper::drop` (a runtime that shuts down drops its tasks) or `adopt` -> `park`;
//!    `sweep` reaps what has exited since.
// ANCHOR_END: diagram
//!
//! Step 3 is a best effort, like tokio's (which sweeps its list on each `SIGCHLD`): an orphan
//! that outlives every runtime of the program stays a zombie until the next spawn, or until
//! the program itself exits and `init` reaps it.
//!
//! [`Child`]: crate::process::Child

use std::future::Future;
use std::pin::Pin;
use std::process::Child as StdChild;
use std::sync::Mutex;
use std::task::{Context, Poll, ready};

use crate::process::exit::ExitWatch;

/// Children nobody waits for and no reaper task watches (step 3 of the module docs).
static ORPHANS: Mutex<Vec<StdChild>> = Mutex::new(Vec::new());

/// Takes `child`, which nobody will wait for, and sees that it is reaped.
pub(crate) fn adopt(mut child: StdChild, watch: ExitWatch) {
    if let Ok(Some(_status)) = child.try_wait() {
        return;
    }
    let runtime_here = crate::runtime::Handle::try_current().is_ok();
    if !runtime_here {
        park(child);
        return;
    }
    let reaper = Reaper { child: Some(child), watch };
    // On a runtime that is shutting down the task is dropped at once, and the reaper's `Drop`
    // parks the child. The handle is not needed: nobody waits for the reaper.
    let spawned = crate::task::Builder::new().name("process orphan reaper").spawn(reaper);
    drop(spawned);
}

/// Reaps every orphan that has exited. Cheap when there are none: one uncontended lock.
pub(crate) fn sweep() {
    let mut orphans = lock();
    // `Err` means the child was reaped by someone else (`waitpid(-1)` elsewhere in the
    // program): there is nothing left to wait for either.
    orphans.retain_mut(|child| matches!(child.try_wait(), Ok(None)));
}

/// How many orphans wait in the list, for tests.
#[cfg(test)]
pub(crate) fn parked() -> usize {
    lock().len()
}

/// Puts `child` in the list for the next sweep.
fn park(child: StdChild) {
    lock().push(child);
}

/// The list; a panic while holding it leaves a valid `Vec`, so poisoning is ignored.
fn lock() -> std::sync::MutexGuard<'static, Vec<StdChild>> {
    ORPHANS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The task that reaps one orphan (step 2 of the module docs).
struct Reaper {
    /// `None` once reaped.
    child: Option<StdChild>,
    watch: ExitWatch,
}

impl Future for Reaper {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            if ready!(this.watch.poll_changed(cx)).is_err() {
                // The watch failed (the reactor is gone): leave the child to the sweeps.
                return Poll::Ready(());
            }
            let child = this.child.as_mut().expect("a reaper is polled until it reaps");
            if !matches!(child.try_wait(), Ok(None)) {
                this.child = None;
                // A child exited: others may have too.
                sweep();
                return Poll::Ready(());
            }
        }
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            park(child);
        }
    }
}
