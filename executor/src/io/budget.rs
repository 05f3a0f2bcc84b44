//! The cooperative budget for I/O: a ready read or write spends one unit.
//!
//! A loop over a reader that is always ready (`empty()`, `repeat()`, a duplex pipe with room,
//! a socket with data queued) never returns `Pending`, so on one thread it would starve every
//! other task. As tokio's, Clockwork's I/O spends one unit of the task's budget
//! (`task/coop.rs`) each time it is ready, and once the budget is spent, returns `Pending` after
//! waking the task, which then yields its turn.

use std::task::{Context, Poll, ready};

use crate::task::coop;

/// Polls `operation` if the task has budget left, spending a unit if it is ready; otherwise
/// answers `Pending` (the task was woken, to run again after the others).
pub(crate) fn cooperatively<T>(
    cx: &mut Context<'_>,
    operation: impl FnOnce(&mut Context<'_>) -> Poll<T>,
) -> Poll<T> {
    let unit = ready!(coop::poll_proceed(cx));
    let polled = operation(cx);
    if polled.is_ready() {
        unit.made_progress();
    }
    polled
}
