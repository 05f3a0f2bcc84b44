//! `Semaphore`: a count of permits, handed out in strict FIFO order.
//!
//! The semaphore is the waiter list at its plainest: the state is a number, a waiter asks for
//! some of it, and `add_permits` walks the queue from the front handing permits out. `Mutex`,
//! `RwLock` and the bounded `mpsc` channel are all built on it, so its fairness is theirs.
//!
//! FIFO is strict: a large `acquire_many` at the head of the queue collects permits as they come
//! back, and nobody behind it may overtake it, even a small request that would fit. That is
//! what keeps a writer of `RwLock` (which asks for every permit) from starving.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use crate::loom::lock;
use crate::loom::sync::Mutex;
use crate::sync::block_on::block_on;
use crate::sync::waiters::{Cancelled, Status, WaitList, WaiterId, WakeList};
use crate::task::coop;

mod permit;

pub use permit::{OwnedSemaphorePermit, SemaphorePermit};

/// A counting semaphore with FIFO fairness, as `tokio::sync::Semaphore`.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// use clockwork::sync::Semaphore;
/// let semaphore = Semaphore::new(2);
/// let first = semaphore.acquire().await.unwrap();
/// let _second = semaphore.acquire().await.unwrap();
/// assert!(semaphore.try_acquire().is_err()); // none left
/// drop(first); // gives its permit back
/// assert!(semaphore.try_acquire().is_ok());
/// # });
/// ```
pub struct Semaphore {
    state: Mutex<State>,
}

/// The count and the queue, always changed together under one lock.
struct State {
    /// Permits nobody holds and nobody has been promised.
    available: usize,
    /// Once true, every waiter and every later acquire fails.
    closed: bool,
    waiters: WaitList<Request>,
}

// ANCHOR: request
/// What one waiter asked for, and how much of it it has been given while at the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Request {
    wanted: usize,
    assigned: usize,
}
// ANCHOR_END: request

/// The semaphore was closed; returned by the `acquire` methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcquireError(());

/// Why `try_acquire` failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryAcquireError {
    /// The semaphore was closed.
    Closed,
    /// Not enough permits right now (or others are queued ahead).
    NoPermits,
}

impl Semaphore {
    /// The largest number of permits a semaphore may hold.
    pub const MAX_PERMITS: usize = usize::MAX >> 3;

    /// A semaphore with `permits` permits.
    ///
    /// # Panics
    ///
    /// Panics if `permits` exceeds [`Semaphore::MAX_PERMITS`].
    pub fn new(permits: usize) -> Semaphore {
        assert!(permits <= Self::MAX_PERMITS, "a semaphore holds at most MAX_PERMITS permits");
        let state = State { available: permits, closed: false, waiters: WaitList::new() };
        Semaphore { state: Mutex::new(state) }
    }

    /// A semaphore with `permits` permits, in a `const` context (a `static`, say).
    ///
    /// Not available under `--cfg loom`, whose mutex cannot be built in a `const`.
    ///
    /// # Panics
    ///
    /// Panics (at compile time, in a `static`) if `permits` exceeds [`Semaphore::MAX_PERMITS`].
    #[cfg(not(loom))]
    pub const fn const_new(permits: usize) -> Semaphore {
        assert!(permits <= Self::MAX_PERMITS, "a semaphore holds at most MAX_PERMITS permits");
        let state = State { available: permits, closed: false, waiters: WaitList::new() };
        Semaphore { state: Mutex::new(state) }
    }

    /// Permits free right now.
    pub fn available_permits(&self) -> usize {
        lock(&self.state).available
    }

    /// Adds `n` permits, handing them to waiters first (oldest first).
    ///
    /// # Panics
    ///
    /// Panics, changing nothing, if the semaphore would then hold more than
    /// [`Semaphore::MAX_PERMITS`] permits (counting those its waiters have collected).
    pub fn add_permits(&self, n: usize) {
        let wakes = {
            let mut state = lock(&self.state);
            // Only the oldest waiter can have collected permits (see `State::release`).
            let collected = state.waiters.front_mut().map_or(0, |request| request.assigned);
            let held = state.available + collected;
            if n > Self::MAX_PERMITS - held {
                drop(state);
                panic!(
                    "adding {n} permits to a semaphore holding {held} would exceed \
                     Semaphore::MAX_PERMITS ({})",
                    Self::MAX_PERMITS
                );
            }
            state.release(n)
        };
        wakes.wake_all();
    }

    /// Returns permits that were taken from this semaphore, from a `Drop` (a permit, a lock
    /// guard): the waiters it wakes are woken with their panics contained, since a panic must
    /// not leave a `Drop`.
    pub(crate) fn give_back(&self, n: usize) {
        if n == 0 {
            return;
        }
        let wakes = lock(&self.state).release(n);
        wakes.wake_all_contained();
    }

    /// Removes up to `n` available permits for good; returns how many it removed.
    pub fn forget_permits(&self, n: usize) -> usize {
        let mut state = lock(&self.state);
        let removed = n.min(state.available);
        state.available -= removed;
        removed
    }

    /// Closes the semaphore: waiting and future acquires fail with `AcquireError`.
    /// Permits already held stay valid.
    pub fn close(&self) {
        let mut wakes = WakeList::new();
        {
            let mut state = lock(&self.state);
            state.closed = true;
            // A waiter at the head may hold permits collected towards `acquire_many`: they go
            // back, as they would had its future been dropped.
            let mut returned = 0;
            state.waiters.wake_all_and(&mut wakes, |request| returned += request.assigned);
            state.available += returned;
        }
        wakes.wake_all();
    }

    /// True once `close` was called.
    pub fn is_closed(&self) -> bool {
        lock(&self.state).closed
    }

    /// Waits for one permit.
    ///
    /// Cancel safety: cancel-safe, and fair: dropping the future gives up its place in the
    /// queue, and any permit it was already handed is passed on.
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.acquire_many(1).await
    }

    /// Waits for `n` permits at once, in FIFO order: while at the head of the queue it collects
    /// permits as they are released, and nobody behind it overtakes it.
    ///
    /// Cancel safety: cancel-safe; permits collected so far are given back.
    pub async fn acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        Acquire::new(self, n as usize).await?;
        Ok(SemaphorePermit { semaphore: self, permits: n as usize })
    }

    /// Takes one permit if one is free and nobody is queued.
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Takes `n` permits if they are free and nobody is queued.
    pub fn try_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_take(n as usize)?;
        Ok(SemaphorePermit { semaphore: self, permits: n as usize })
    }

    /// Waits for one permit from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime, which blocking would stall.
    #[track_caller]
    pub fn blocking_acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        block_on(self.acquire())
    }

    /// Waits for `n` permits from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime.
    #[track_caller]
    pub fn blocking_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        block_on(self.acquire_many(n))
    }

    /// Waits for one owned permit from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime.
    #[track_caller]
    pub fn blocking_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        block_on(self.acquire_owned())
    }

    /// Waits for `n` owned permits from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime.
    #[track_caller]
    pub fn blocking_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        block_on(self.acquire_many_owned(n))
    }

    /// Waits for one permit that keeps the semaphore alive: cancel-safe, as [`acquire`](Self::acquire).
    pub async fn acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.acquire_many_owned(1).await
    }

    /// Waits for `n` permits that keep the semaphore alive: cancel-safe, as `acquire_many`.
    pub async fn acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        Acquire::new(&self, n as usize).await?;
        Ok(OwnedSemaphorePermit { semaphore: self, permits: n as usize })
    }

    /// Takes one owned permit if one is free and nobody is queued.
    pub fn try_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.try_take(1)?;
        Ok(OwnedSemaphorePermit { semaphore: self, permits: 1 })
    }

    /// Takes `n` owned permits if they are free and nobody is queued.
    pub fn try_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.try_take(n as usize)?;
        Ok(OwnedSemaphorePermit { semaphore: self, permits: n as usize })
    }

    fn try_take(&self, n: usize) -> Result<(), TryAcquireError> {
        let mut state = lock(&self.state);
        if state.closed {
            return Err(TryAcquireError::Closed);
        }
        // Queued waiters come first, even if `n` would fit: that is the FIFO promise.
        if !state.waiters.is_empty() || state.available < n {
            return Err(TryAcquireError::NoPermits);
        }
        state.available -= n;
        Ok(())
    }
}

// === impl State ===

impl State {
    // ANCHOR: release
    /// Puts `n` permits back and hands them to the queue, oldest first. A waiter that wants
    /// more than there is keeps what it got and blocks everyone behind it.
    fn release(&mut self, n: usize) -> WakeList {
        let mut wakes = WakeList::new();
        self.available += n;
        while let Some(front) = self.waiters.front_mut() {
            let missing = front.wanted - front.assigned;
            let given = missing.min(self.available);
            front.assigned += given;
            self.available -= given;
            if front.assigned < front.wanted {
                break;
            }
            self.waiters.grant_front(&mut wakes);
        }
        wakes
    }
    // ANCHOR_END: release
}

// === impl Acquire ===

/// The future behind every `acquire` method: one request in the semaphore's queue.
struct Acquire<'a> {
    semaphore: &'a Semaphore,
    wanted: usize,
    /// `Some` while queued (or granted but not yet polled); the drop path needs it.
    waiter: Option<WaiterId>,
    done: bool,
    /// The permits are ours, but the task's budget was spent: they are handed over on the next
    /// poll, or given back if the future is dropped first.
    held: bool,
}

impl<'a> Acquire<'a> {
    fn new(semaphore: &'a Semaphore, wanted: usize) -> Acquire<'a> {
        Acquire { semaphore, wanted, waiter: None, done: false, held: false }
    }
}

/// What one poll of an `Acquire` found; the future then does what it says.
enum Step {
    /// The permits are ours.
    Acquired,
    /// We joined the queue as this waiter.
    Queued(WaiterId),
    /// We are still in the queue.
    StillWaiting,
    /// The semaphore is closed.
    Closed,
}

impl Acquire<'_> {
    /// One poll, without the budget (see the `Future` impl below).
    fn poll_unbudgeted(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), AcquireError>> {
        debug_assert!(!self.done, "an Acquire future was polled after it completed");
        let step = {
            let mut state = lock(&self.semaphore.state);
            match self.waiter {
                None => state.take_or_queue(self.wanted, cx),
                Some(id) => match state.waiters.poll_status(id, cx.waker()) {
                    Status::Waiting => Step::StillWaiting,
                    Status::Granted(_) => Step::Acquired,
                    Status::Gone => Step::Closed,
                },
            }
        };
        match step {
            Step::Queued(id) => {
                self.waiter = Some(id);
                Poll::Pending
            }
            Step::StillWaiting => Poll::Pending,
            Step::Acquired => {
                self.waiter = None;
                self.done = true;
                Poll::Ready(Ok(()))
            }
            Step::Closed => {
                self.waiter = None;
                self.done = true;
                Poll::Ready(Err(AcquireError(())))
            }
        }
    }
}

impl Future for Acquire<'_> {
    type Output = Result<(), AcquireError>;

    /// Ready spends a unit of the task's budget (`task::coop`). The permits are taken, or the
    /// place in the queue kept, before the budget is looked at, as in tokio: a task whose budget
    /// is spent yields holding them, and loses neither them nor its place in line.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if !this.held {
            ready!(this.poll_unbudgeted(cx))?;
            this.held = true;
        }
        ready!(coop::poll_proceed(cx)).made_progress();
        this.held = false;
        Poll::Ready(Ok(()))
    }
}

impl State {
    /// The first poll of an acquire: take the permits now if nobody is queued, or else join
    /// the queue.
    fn take_or_queue(&mut self, wanted: usize, cx: &Context<'_>) -> Step {
        if self.closed {
            return Step::Closed;
        }
        if self.waiters.is_empty() && self.available >= wanted {
            self.available -= wanted;
            return Step::Acquired;
        }
        // At the head of an empty queue, start collecting what is there already.
        let assigned = if self.waiters.is_empty() { self.available } else { 0 };
        self.available -= assigned;
        let id = self.waiters.push(cx.waker(), Request { wanted, assigned });
        Step::Queued(id)
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        if self.held {
            // Taken, never handed over: they go back (and to whoever waits for them).
            lock(&self.semaphore.state).release(self.wanted).wake_all_contained();
            return;
        }
        let Some(id) = self.waiter else { return };
        let wakes = {
            let mut state = lock(&self.semaphore.state);
            // A cancelled waiter gives back whatever it had been handed, so that the next
            // waiter in line can use it.
            let returned = match state.waiters.cancel(id) {
                Cancelled::WasWaiting(request) => request.assigned,
                Cancelled::WasGranted(request) => request.wanted,
                Cancelled::Gone => 0,
            };
            state.release(returned)
        };
        wakes.wake_all_contained();
    }
}

// === impl Debug and Display ===

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Semaphore")
            .field("available", &state.available)
            .field("closed", &state.closed)
            .field("waiters", &state.waiters)
            .finish()
    }
}

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("semaphore closed")
    }
}

impl std::error::Error for AcquireError {}

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryAcquireError::Closed => f.write_str("semaphore closed"),
            TryAcquireError::NoPermits => f.write_str("no permits available"),
        }
    }
}

impl std::error::Error for TryAcquireError {}
