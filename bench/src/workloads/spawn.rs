//! Executor workloads: spawning, yielding, and chains of spawns (after tokio's own benches).

use std::time::{Duration, Instant};

use super::rt;

/// 10,000 tasks spawned, then awaited.
pub async fn spawn_many() -> Duration {
    let start = Instant::now();
    let mut handles = Vec::with_capacity(10_000);
    for i in 0..10_000_u64 {
        handles.push(rt::spawn(async move { i }));
    }
    let mut sum = 0;
    for handle in handles {
        sum += handle.await.unwrap();
    }
    assert_eq!(sum, 10_000 * 9_999 / 2);
    start.elapsed()
}

/// 200 tasks, each yielding 1,000 times.
pub async fn yield_many() -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..200)
        .map(|_| {
            rt::spawn(async {
                for _ in 0..1_000 {
                    rt::task::yield_now().await;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.unwrap();
    }
    start.elapsed()
}

/// A chain of 1,000 tasks, each spawning the next; the last one reports back.
pub async fn chained_spawn() -> Duration {
    fn link(remaining: u32, done: rt::sync::oneshot::Sender<()>) {
        if remaining == 0 {
            done.send(()).unwrap();
        } else {
            rt::spawn(async move { link(remaining - 1, done) });
        }
    }
    let start = Instant::now();
    let (done, finished) = rt::sync::oneshot::channel();
    rt::spawn(async move { link(1_000, done) });
    finished.await.unwrap();
    start.elapsed()
}

/// 1,000 pairs of tasks, each pair bouncing one message there and back through oneshots.
pub async fn ping_pong() -> Duration {
    let start = Instant::now();
    let pairs: Vec<_> = (0..1_000)
        .map(|_| {
            rt::spawn(async {
                let (ping, pinged) = rt::sync::oneshot::channel::<()>();
                let (pong, ponged) = rt::sync::oneshot::channel::<()>();
                rt::spawn(async move {
                    pinged.await.unwrap();
                    pong.send(()).unwrap();
                });
                ping.send(()).unwrap();
                ponged.await.unwrap();
            })
        })
        .collect();
    for pair in pairs {
        pair.await.unwrap();
    }
    start.elapsed()
}
