//! `Barrier`: a group of tasks waits until all of them have arrived.
//!
//! The state is a count of arrivals and a *generation*. Each `wait` counts itself in; the
//! task that completes the group is its leader: it starts the next generation and wakes
//! everyone in the waiter list. The others wait until the generation they arrived in is over,
//! so a barrier can be used again and again.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::loom::lock;
use crate::loom::sync::Mutex;
use crate::sync::waiters::{Status, WaitList, WaiterId, WakeList};

/// Lets `n` tasks wait for each other, as `tokio::sync::Barrier`.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// let barrier = Arc::new(clockwork::sync::Barrier::new(3));
/// let tasks: Vec<_> = (0..3)
///     .map(|_| {
///         let barrier = barrier.clone();
///         clockwork::spawn(async move { barrier.wait().await.is_leader() })
///     })
///     .collect();
/// let mut leaders = 0;
/// for task in tasks {
///     leaders += usize::from(task.await.unwrap());
/// }
/// assert_eq!(leaders, 1, "exactly one task leads each round");
/// # });
/// ```
pub struct Barrier {
    /// How many tasks make a group.
    n: usize,
    state: Mutex<State>,
}

struct State {
    /// Tasks that have arrived in the current generation.
    arrived: usize,
    /// Grows by one each time a group completes.
    generation: u64,
    /// Tasks of the current generation, waiting for the rest.
    waiters: WaitList<()>,
}

/// What `wait` returns: whether this task was the one that completed the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl Barrier {
    /// A barrier for groups of `n` tasks. A barrier of 0 behaves like one of 1: `wait`
    /// returns at once, as the leader.
    pub fn new(n: usize) -> Barrier {
        let state = State { arrived: 0, generation: 0, waiters: WaitList::new() };
        Barrier { n: n.max(1), state: Mutex::new(state) }
    }

    /// Waits until `n` tasks (this one included) have called `wait`. The last one to arrive
    /// is the leader.
    ///
    /// Cancel safety: not cancel-safe. A task counts as arrived from the first poll, even if
    /// the future is then dropped; the group then completes without it.
    pub async fn wait(&self) -> BarrierWaitResult {
        let generation = match self.arrive() {
            Arrival::Leader => return BarrierWaitResult(true),
            Arrival::Follower(generation) => generation,
        };
        Wait { barrier: self, generation, waiter: None }.await;
        BarrierWaitResult(false)
    }

    /// Counts one arrival; the one that completes the group starts the next generation and
    /// wakes the group.
    fn arrive(&self) -> Arrival {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.arrived += 1;
            if state.arrived < self.n {
                return Arrival::Follower(state.generation);
            }
            state.arrived = 0;
            state.generation += 1;
            state.waiters.wake_all(&mut wakes);
        }
        // The group is released: a panicking waker is raised here, once all are woken.
        wakes.wake_all();
        Arrival::Leader
    }
}

/// What one arrival found.
enum Arrival {
    /// It completed the group.
    Leader,
    /// It waits for the end of this generation.
    Follower(u64),
}

impl BarrierWaitResult {
    /// True for the one task that completed the group.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

/// Waits for the end of `generation`: one entry in the waiter list.
struct Wait<'a> {
    barrier: &'a Barrier,
    generation: u64,
    waiter: Option<WaiterId>,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.barrier.state);
        if state.generation != self.generation {
            self.waiter = None;
            return Poll::Ready(());
        }
        let status = self.waiter.map(|id| state.waiters.poll_status(id, cx.waker()));
        if status != Some(Status::Waiting) {
            let id = state.waiters.push(cx.waker(), ());
            drop(state);
            self.waiter = Some(id);
        }
        Poll::Pending
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            let _ = lock(&self.barrier.state).waiters.cancel(id);
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Barrier")
            .field("n", &self.n)
            .field("arrived", &state.arrived)
            .field("generation", &state.generation)
            .finish()
    }
}
