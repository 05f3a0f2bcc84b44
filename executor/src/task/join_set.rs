//! `JoinSet`: a group of tasks, awaited in the order they finish.
//!
//! Polling every handle on each `join_next` would cost time in proportion to the set's size.
//! Instead each task's [`JoinHandle`] is polled with a waker of its own, an [`EntryWaker`], that
//! records "entry `k` is ready" in a shared queue and then wakes whoever waits in `join_next`.
//! It is the waiter-list idea of `clockwork::sync` turned around: here the list holds the
//! *ready* entries, and `join_next` only polls those.
//!
//! ```text
//!   task k finishes ─► EntryWaker{k}.wake ─► ready.push(k) ─► set_waker.wake
//!                                                               │
//!   join_next ◄── poll handle k (Ready) ◄── ready.pop() ◄───────┘
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::panic;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use crate::contain;
use crate::runtime::Handle;
use crate::task::{AbortHandle, Id, JoinError, JoinHandle, LocalSet, coop};

/// A collection of spawned tasks, as `tokio::task::JoinSet`.
///
/// Dropping the set aborts every task still in it.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let mut set = clockwork::task::JoinSet::new();
/// for n in 0..3 {
///     set.spawn(async move { n * 10 });
/// }
/// let mut total = 0;
/// while let Some(result) = set.join_next().await {
///     total += result.unwrap();
/// }
/// assert_eq!(total, 30);
/// # });
/// ```
pub struct JoinSet<T> {
    /// Every task not yet joined, by entry key.
    entries: HashMap<u64, Entry<T>>,
    /// Keys whose handle may be ready, shared with the entries' wakers.
    ready: Arc<ReadyQueue>,
    next_key: u64,
}

struct Entry<T> {
    handle: JoinHandle<T>,
    /// The waker this entry's handle is polled with.
    waker: Waker,
}

/// The keys of entries whose tasks woke them, and the waker of the `join_next` in progress.
struct ReadyQueue {
    state: Mutex<ReadyState>,
}

struct ReadyState {
    keys: VecDeque<u64>,
    set_waker: Option<Waker>,
}

/// The waker of one entry: marks it ready, then wakes the set.
struct EntryWaker {
    key: u64,
    ready: Arc<ReadyQueue>,
}

impl<T> JoinSet<T> {
    /// An empty set.
    pub fn new() -> JoinSet<T> {
        let state = ReadyState { keys: VecDeque::new(), set_waker: None };
        let ready = Arc::new(ReadyQueue { state: Mutex::new(state) });
        JoinSet { entries: HashMap::new(), ready, next_key: 0 }
    }

    /// Tasks in the set (finished or not) that have not been joined yet.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the set holds no task.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a task that was spawned elsewhere; it is polled once to register its waker.
    fn insert(&mut self, handle: JoinHandle<T>) -> AbortHandle {
        let abort = handle.abort_handle();
        let key = self.next_key;
        self.next_key += 1;
        let entry_waker = EntryWaker { key, ready: self.ready.clone() };
        let waker = Waker::from(Arc::new(entry_waker));
        // A new entry counts as ready: its handle has never been polled, so its task does
        // not know our waker yet.
        self.ready.lock().keys.push_back(key);
        self.entries.insert(key, Entry { handle, waker });
        abort
    }

    /// Waits for the next task to finish and returns its result; `None` when the set is
    /// empty.
    ///
    /// Cancel safety: cancel-safe. A finished task stays in the set until a `join_next` call
    /// returns it.
    pub async fn join_next(&mut self) -> Option<Result<T, JoinError>> {
        std::future::poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// [`JoinSet::join_next`], with the id of the task that finished next to its output.
    pub async fn join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        std::future::poll_fn(|cx| self.poll_join_next_with_id(cx)).await
    }

    /// Returns the result of a task that has finished, if any, without waiting.
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        self.try_join_next_with_id().map(|result| result.map(|(_, output)| output))
    }

    /// [`JoinSet::try_join_next`], with the id of the task next to its output.
    pub fn try_join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        let mut cx = Context::from_waker(Waker::noop());
        // This call cannot yield, so the task's budget (`coop.rs`) must not make a finished
        // task look unfinished: it looks without one, as tokio's does.
        let poll = coop::without_budget(|| self.poll_join_next_with_id(&mut cx));
        match poll {
            Poll::Ready(result) => result,
            Poll::Pending => None,
        }
    }

    /// Polls for the next task to finish: `Ready(None)` when the set is empty, `Pending` (with
    /// `cx`'s waker kept) when no task has finished yet.
    pub fn poll_join_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, JoinError>>> {
        let next = std::task::ready!(self.poll_join_next_with_id(cx));
        Poll::Ready(next.map(|result| result.map(|(_, output)| output)))
    }

    // ANCHOR: poll_join_next
    /// [`JoinSet::poll_join_next`] with the finished task's id. Polls only the entries that
    /// woke since the last call.
    pub fn poll_join_next_with_id(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(Id, T), JoinError>>> {
        if self.entries.is_empty() {
            return Poll::Ready(None);
        }
        loop {
            // Take one ready key; with none, leave our waker and wait. Both under one lock,
            // so a task that finishes in between finds the waker.
            let key = {
                let mut state = self.ready.lock();
                match state.keys.pop_front() {
                    Some(key) => key,
                    None => {
                        state.set_waker = Some(cx.waker().clone());
                        return Poll::Pending;
                    }
                }
            };
            // The key may be stale (woken twice, or already joined).
            let Some(entry) = self.entries.get_mut(&key) else { continue };
            let mut entry_cx = Context::from_waker(&entry.waker);
            if let Poll::Ready(result) = Pin::new(&mut entry.handle).poll(&mut entry_cx) {
                let id = entry.handle.id();
                self.entries.remove(&key);
                return Poll::Ready(Some(result.map(|output| (id, output))));
            }
            // A handle that is Pending for lack of budget has queued its key again (through
            // the entry's waker): polling on would spin. Yield to the run loop instead.
            if !coop::has_budget_remaining() {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
    }
    // ANCHOR_END: poll_join_next

    /// Waits for every task and returns their outputs, in the order they finished.
    ///
    /// # Panics
    ///
    /// If a task panicked, its panic resumes here (the other tasks are aborted, as the set is
    /// dropped); if a task was cancelled, this panics with the `JoinError`.
    pub async fn join_all(mut self) -> Vec<T> {
        let mut outputs = Vec::with_capacity(self.len());
        while let Some(result) = self.join_next().await {
            match result {
                Ok(output) => outputs.push(output),
                Err(error) if error.is_panic() => panic::resume_unwind(error.into_panic()),
                Err(error) => panic!("{error}"),
            }
        }
        outputs
    }

    /// Aborts every task; they stay in the set and `join_next` returns their cancellation.
    pub fn abort_all(&mut self) {
        for entry in self.entries.values() {
            entry.handle.abort();
        }
    }

    /// Aborts every task and waits until all have finished, dropping their results.
    pub async fn shutdown(&mut self) {
        self.abort_all();
        while self.join_next().await.is_some() {}
    }

    /// Removes every task from the set without aborting it: they run on, detached.
    pub fn detach_all(&mut self) {
        self.entries.clear();
        self.ready.lock().keys.clear();
    }
}

impl<T: 'static> JoinSet<T> {
    /// Spawns `future` on the current runtime as a task of this set.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime.
    #[track_caller]
    pub fn spawn<F>(&mut self, future: F) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        self.insert(crate::task::spawn(future))
    }

    /// Spawns a future that is not `Send` as a task of this set.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime.
    #[track_caller]
    pub fn spawn_local<F>(&mut self, future: F) -> AbortHandle
    where
        F: Future<Output = T> + 'static,
    {
        self.insert(crate::task::spawn_local(future))
    }

    /// Spawns `future` on the runtime behind `handle`, from any thread, as a task of this set.
    #[track_caller]
    pub fn spawn_on<F>(&mut self, future: F, handle: &Handle) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        self.insert(handle.spawn(future))
    }

    /// Adds `future` to `local_set` (it runs while the set is driven) as a task of this set.
    #[track_caller]
    pub fn spawn_local_on<F>(&mut self, future: F, local_set: &LocalSet) -> AbortHandle
    where
        F: Future<Output = T> + 'static,
    {
        self.insert(local_set.spawn_local(future))
    }

    /// Runs `f` on the blocking pool of the current runtime, as a task of this set. Aborting
    /// it stops the waiting, not `f`.
    ///
    /// # Panics
    ///
    /// Panics outside a Clockwork runtime.
    #[track_caller]
    pub fn spawn_blocking<F>(&mut self, f: F) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send,
    {
        self.insert(crate::task::spawn_blocking(f))
    }

    /// Runs `f` on the blocking pool of the runtime behind `handle`, as a task of this set.
    #[track_caller]
    pub fn spawn_blocking_on<F>(&mut self, f: F, handle: &Handle) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send,
    {
        self.insert(handle.spawn_blocking(f))
    }
}

/// Spawns each future on the current runtime into a new set, as tokio's `collect()`.
impl<T, F> FromIterator<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    #[track_caller]
    fn from_iter<I: IntoIterator<Item = F>>(futures: I) -> JoinSet<T> {
        let mut set = JoinSet::new();
        set.extend(futures);
        set
    }
}

/// Spawns each future on the current runtime into the set.
impl<T, F> Extend<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    #[track_caller]
    fn extend<I: IntoIterator<Item = F>>(&mut self, futures: I) {
        for future in futures {
            self.spawn(future);
        }
    }
}

impl<T> Drop for JoinSet<T> {
    fn drop(&mut self) {
        self.abort_all();
    }
}

impl<T> Default for JoinSet<T> {
    fn default() -> JoinSet<T> {
        JoinSet::new()
    }
}

// === impl ReadyQueue ===

impl ReadyQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReadyState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Wake for EntryWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let set_waker = {
            let mut state = self.ready.lock();
            state.keys.push_back(self.key);
            state.set_waker.take()
        };
        if let Some(waker) = set_waker {
            contain::wake(waker);
        }
    }
}

impl<T> fmt::Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ready = self.ready.lock().keys.len();
        f.debug_struct("JoinSet").field("len", &self.entries.len()).field("ready", &ready).finish()
    }
}
