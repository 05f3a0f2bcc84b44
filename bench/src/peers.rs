//! The executor workloads on smol's `LocalExecutor` and on futures' `LocalPool`.
//!
//! Neither has tokio's API, so these are written out again, doing the same work as
//! `workloads/spawn.rs`. Both use `futures::channel::oneshot` where the workload needs one.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Instant;

use futures::channel::oneshot;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use smol::LocalExecutor;

use crate::workloads::{Sample, ms};

/// Returns `Pending` once after waking itself: the `yield_now` that futures lacks.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

pub fn smol_spawn_many() -> Sample {
    let executor = LocalExecutor::new();
    smol::block_on(executor.run(async {
        let start = Instant::now();
        let handles: Vec<_> = (0..10_000_u64).map(|i| executor.spawn(async move { i })).collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await;
        }
        assert_eq!(sum, 10_000 * 9_999 / 2);
        ms(start.elapsed())
    }))
}

pub fn futures_spawn_many() -> Sample {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let start = Instant::now();
        let handles: Vec<_> = (0..10_000_u64)
            .map(|i| spawner.spawn_local_with_handle(async move { i }).unwrap())
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await;
        }
        assert_eq!(sum, 10_000 * 9_999 / 2);
        ms(start.elapsed())
    })
}

pub fn smol_yield_many() -> Sample {
    let executor = LocalExecutor::new();
    smol::block_on(executor.run(async {
        let start = Instant::now();
        let handles: Vec<_> = (0..200)
            .map(|_| {
                executor.spawn(async {
                    for _ in 0..1_000 {
                        smol::future::yield_now().await;
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.await;
        }
        ms(start.elapsed())
    }))
}

pub fn futures_yield_many() -> Sample {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let start = Instant::now();
        let handles: Vec<_> = (0..200)
            .map(|_| {
                spawner
                    .spawn_local_with_handle(async {
                        for _ in 0..1_000 {
                            YieldNow(false).await;
                        }
                    })
                    .unwrap()
            })
            .collect();
        for handle in handles {
            handle.await;
        }
        ms(start.elapsed())
    })
}

pub fn smol_ping_pong() -> Sample {
    let executor = LocalExecutor::new();
    smol::block_on(executor.run(async {
        let start = Instant::now();
        let pairs: Vec<_> = (0..1_000)
            .map(|_| {
                let (ping, pinged) = oneshot::channel::<()>();
                let (pong, ponged) = oneshot::channel::<()>();
                executor
                    .spawn(async move {
                        pinged.await.unwrap();
                        pong.send(()).unwrap();
                    })
                    .detach();
                executor.spawn(async move {
                    ping.send(()).unwrap();
                    ponged.await.unwrap();
                })
            })
            .collect();
        for pair in pairs {
            pair.await;
        }
        ms(start.elapsed())
    }))
}

pub fn futures_ping_pong() -> Sample {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let start = Instant::now();
        let pairs: Vec<_> = (0..1_000)
            .map(|_| {
                let (ping, pinged) = oneshot::channel::<()>();
                let (pong, ponged) = oneshot::channel::<()>();
                spawner
                    .spawn_local(async move {
                        pinged.await.unwrap();
                        pong.send(()).unwrap();
                    })
                    .unwrap();
                spawner
                    .spawn_local_with_handle(async move {
                        ping.send(()).unwrap();
                        ponged.await.unwrap();
                    })
                    .unwrap()
            })
            .collect();
        for pair in pairs {
            pair.await;
        }
        ms(start.elapsed())
    })
}

pub fn smol_chained_spawn() -> Sample {
    fn link(executor: Rc<LocalExecutor<'static>>, remaining: u32, done: oneshot::Sender<()>) {
        if remaining == 0 {
            done.send(()).unwrap();
        } else {
            let next = executor.clone();
            executor.spawn(async move { link(next, remaining - 1, done) }).detach();
        }
    }
    let executor = Rc::new(LocalExecutor::new());
    let runner = executor.clone();
    smol::block_on(runner.run(async move {
        let start = Instant::now();
        let (done, finished) = oneshot::channel();
        link(executor, 1_000, done);
        finished.await.unwrap();
        ms(start.elapsed())
    }))
}
