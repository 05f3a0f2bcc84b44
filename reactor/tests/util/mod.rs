//! Test-only plumbing: a tiny `block_on` that turns the reactor when idle, and a local spawner.
//!
//! This is deliberately not the Clockwork executor: the reactor must be testable on its own.
//! Tasks run on `futures::executor::LocalPool`, which polls only the tasks that were woken.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::cell::RefCell;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use clockwork_reactor::{Reactor, enter};
use futures::executor::{LocalPool, LocalSpawner};
use futures::future::RemoteHandle;
use futures::task::LocalSpawnExt;

/// How long the reactor may see no I/O at all before a test is declared hung.
pub const IDLE_LIMIT: Duration = Duration::from_secs(20);

/// A reactor plus a pool of local tasks.
pub struct Runtime {
    pub reactor: Reactor,
    pool: RefCell<LocalPool>,
    spawner: LocalSpawner,
}

impl Runtime {
    pub fn new() -> Runtime {
        let reactor = Reactor::new().expect("the reactor opens");
        let pool = LocalPool::new();
        let spawner = pool.spawner();
        Runtime { reactor, pool: RefCell::new(pool), spawner }
    }

    /// A spawner that tasks can carry to spawn more tasks.
    pub fn spawner(&self) -> LocalSpawner {
        self.spawner.clone()
    }

    /// Spawns `future` and returns a handle that resolves to its output.
    pub fn spawn<F>(&self, future: F) -> RemoteHandle<F::Output>
    where
        F: Future + 'static,
    {
        self.spawner.spawn_local_with_handle(future).expect("the pool is alive")
    }

    /// Runs `future` (and the spawned tasks) to completion, turning the reactor when all are idle.
    ///
    /// Panics if the reactor sees no I/O for [`IDLE_LIMIT`], so a lost wake-up fails the test
    /// instead of hanging it.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _entered = enter(&self.reactor.handle());
        let woken = Arc::new(Flag(AtomicBool::new(true)));
        let waker = Waker::from(woken.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            if woken.0.swap(false, Ordering::SeqCst) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                    return output;
                }
            }
            self.pool.borrow_mut().run_until_stalled();
            if woken.0.load(Ordering::SeqCst) {
                continue;
            }
            self.turn_or_panic();
        }
    }

    /// Everyone is idle: wait for I/O, or give up after `IDLE_LIMIT`.
    fn turn_or_panic(&self) {
        let started = Instant::now();
        let dispatched = self.reactor.turn(Some(IDLE_LIMIT)).expect("epoll_wait succeeds");
        let waited = started.elapsed();
        assert!(
            dispatched > 0 || waited < IDLE_LIMIT,
            "no I/O for {IDLE_LIMIT:?} while futures were pending: a wake-up was lost"
        );
    }
}

/// A waker that sets a flag.
pub struct Flag(pub AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A fresh flag and a waker that sets it.
pub fn flag_waker() -> (Arc<Flag>, Waker) {
    let flag = Arc::new(Flag(AtomicBool::new(false)));
    let waker = Waker::from(flag.clone());
    (flag, waker)
}

/// Returns `Pending` once (waking itself), so other tasks get a turn.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}
