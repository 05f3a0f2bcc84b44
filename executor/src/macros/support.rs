//! The small pieces `join!`, `try_join!` and `select!` expand to. Public only so the macros
//! can name them from other crates; not part of the API.

use std::cell::Cell;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

pub use std::future::poll_fn;
pub use std::pin::pin;

/// A branch's slot: the future (from anything [`IntoFuture`]) in an `Option`, to be pinned.
pub fn slot<F: IntoFuture>(future: F) -> Option<F::IntoFuture> {
    Some(future.into_future())
}

/// The number of branches, from the list of their indexes.
pub fn count<T>(indexes: &[T]) -> u32 {
    indexes.len() as u32
}

/// The branch `join!` polls first this time: `*first`, which then moves on by one, unless
/// the join is biased (always 0).
pub fn next_start(first: &mut u32, count: u32, biased: bool) -> u32 {
    if biased {
        return 0;
    }
    let start = *first;
    *first = (start + 1) % count.max(1);
    start
}

/// `Ready` while the current task has budget left (`task::coop`); otherwise wakes the task
/// and says `Pending`, so that a `select!` whose branches are all ready still yields, as
/// tokio's does.
pub fn poll_budget_available(cx: &mut Context<'_>) -> Poll<()> {
    if crate::task::coop::has_budget_remaining() {
        Poll::Ready(())
    } else {
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Polls the future in `slot` if it is still there; when it finishes, drops it (the slot
/// becomes `None`) and returns its output.
///
/// This is what a branch of `join!` or `select!` is: an optional pinned future that empties
/// itself when done, so it is never polled after completing.
pub fn poll_slot<F: Future>(
    mut slot: Pin<&mut Option<F>>,
    cx: &mut Context<'_>,
) -> Poll<F::Output> {
    let Some(future) = slot.as_mut().as_pin_mut() else {
        return Poll::Pending;
    };
    let output = std::task::ready!(future.poll(cx));
    slot.set(None);
    Poll::Ready(output)
}

thread_local! {
    /// The state of a xorshift generator, one per thread: enough to vary `select!`'s start.
    static XORSHIFT: Cell<u32> = const { Cell::new(0x9E37_79B9) };
}

/// Restarts the generator behind [`random_start`] from `seed`: a runtime with a seeded order
/// (`Builder::rng_seed`) does, so that `select!`'s choices repeat with the seed too.
pub(crate) fn seed_random_start(seed: u64) {
    // Xorshift must not start at zero.
    let state = (seed as u32) ^ ((seed >> 32) as u32) | 1;
    XORSHIFT.with(|cell| cell.set(state));
}

/// A number in `0..n` that differs from call to call (Marsaglia's xorshift32), so that an
/// unbiased `select!` does not always poll its first branch first.
pub fn random_start(n: u32) -> u32 {
    XORSHIFT.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        state.set(x);
        x % n.max(1)
    })
}

/// The branch polled `offset`-th in a round that starts at `start`, wrapping around.
pub fn nth_branch(start: u32, offset: u32, branches: u32) -> u32 {
    (start + offset) % branches
}
