//! Channel workloads: request/reply, throughput, contention (after tokio's sync benches).

use std::time::{Duration, Instant};

use super::rt;
use rt::sync::{mpsc, oneshot};

/// 10,000 sequential round trips to a server task: the request over `mpsc(10)`, the reply over
/// a `oneshot`.
pub async fn request_reply() -> Duration {
    let (requests, mut incoming) = mpsc::channel::<(u64, oneshot::Sender<u64>)>(10);
    let server = rt::spawn(async move {
        while let Some((value, reply)) = incoming.recv().await {
            let _ = reply.send(value + 1);
        }
    });
    let start = Instant::now();
    for i in 0..10_000 {
        let (reply, answer) = oneshot::channel();
        requests.send((i, reply)).await.unwrap();
        assert_eq!(answer.await.unwrap(), i + 1);
    }
    let elapsed = start.elapsed();
    // Let the server see the end of the stream, so that no task outlives the workload.
    drop(requests);
    server.await.unwrap();
    elapsed
}

/// 1,000,000 messages from one producer task through a channel of capacity 1,024.
pub async fn mpsc_throughput() -> Duration {
    let start = Instant::now();
    let (sender, mut receiver) = mpsc::channel::<u64>(1_024);
    rt::spawn(async move {
        for i in 0..1_000_000 {
            sender.send(i).await.unwrap();
        }
    });
    let mut count = 0_u64;
    while receiver.recv().await.is_some() {
        count += 1;
    }
    assert_eq!(count, 1_000_000);
    start.elapsed()
}

/// 5 producer tasks sending 1,000 messages each into one consumer.
pub async fn mpsc_contended() -> Duration {
    let start = Instant::now();
    let (sender, mut receiver) = mpsc::channel::<u64>(1_024);
    for _ in 0..5 {
        let sender = sender.clone();
        rt::spawn(async move {
            for i in 0..1_000 {
                sender.send(i).await.unwrap();
            }
        });
    }
    drop(sender);
    let mut count = 0;
    while receiver.recv().await.is_some() {
        count += 1;
    }
    assert_eq!(count, 5_000);
    start.elapsed()
}

/// 5,000 sends, then 5,000 receives, in one task: the channel's own cost, with no waiting.
pub async fn mpsc_uncontended() -> Duration {
    let start = Instant::now();
    let (sender, mut receiver) = mpsc::channel::<u64>(5_000);
    for i in 0..5_000 {
        sender.send(i).await.unwrap();
    }
    for i in 0..5_000 {
        assert_eq!(receiver.recv().await, Some(i));
    }
    start.elapsed()
}

/// After async-executor's `web_server`: a "database" task answers requests; 1,000 request
/// tasks each do 10 steps of (yield, ask the database, await the answer).
pub async fn web_server() -> Duration {
    const REQUESTS: u64 = 1_000;
    const STEPS: u64 = 10;
    let start = Instant::now();
    let (database, mut queries) = mpsc::channel::<(u64, oneshot::Sender<u64>)>(200);
    let database_task = rt::spawn(async move {
        while let Some((key, answer)) = queries.recv().await {
            let _ = answer.send(key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        }
    });
    let mut requests = Vec::with_capacity(REQUESTS as usize);
    for request in 0..REQUESTS {
        let database = database.clone();
        requests.push(rt::spawn(async move {
            let mut checksum = 0_u64;
            for step in 0..STEPS {
                rt::task::yield_now().await;
                let (answer, answered) = oneshot::channel();
                database.send((request * STEPS + step, answer)).await.unwrap();
                checksum ^= answered.await.unwrap();
            }
            checksum
        }));
    }
    for request in requests {
        request.await.unwrap();
    }
    let elapsed = start.elapsed();
    drop(database);
    database_task.await.unwrap();
    elapsed
}
