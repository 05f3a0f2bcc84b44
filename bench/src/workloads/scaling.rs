//! The scaling workloads: the same work at growing sizes, to see how the cost per item grows.
//!
//! Each function takes the size and returns the time per item, in nanoseconds: per task, per
//! timer, per round trip, per message. Written once against `rt`, like every workload; the
//! driver is `scaling.rs`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use super::rt;
use rt::io::{AsyncReadExt, AsyncWriteExt};

/// `elapsed` spread over `items`, in nanoseconds.
fn per_item(elapsed: Duration, items: usize) -> f64 {
    elapsed.as_nanos() as f64 / items as f64
}

/// `tasks` tasks spawned, then awaited.
pub async fn spawn(tasks: usize) -> f64 {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks).map(|i| rt::spawn(async move { i })).collect();
    for handle in handles {
        handle.await.unwrap();
    }
    per_item(start.elapsed(), tasks)
}

/// `timers` tasks, each sleeping until a deadline scattered over the next 100 ms, so that
/// every timer is filed, then fired. The figure leaves out the 100 ms that the last one must
/// wait.
///
/// One task per sleep, as a program would write it; `timers_in_one_task` polls them all from
/// one task instead.
pub async fn timers(timers: usize) -> f64 {
    let start = Instant::now();
    let spread_us = 100_000;
    let sleepers: Vec<_> = (0..timers)
        .map(|i| {
            let delay = Duration::from_micros((i as u64 * 7_919) % spread_us);
            rt::spawn(rt::time::sleep(delay))
        })
        .collect();
    for sleeper in sleepers {
        sleeper.await.unwrap();
    }
    per_item(start.elapsed().saturating_sub(Duration::from_micros(spread_us)), timers)
}

/// The same sleeps, all polled by one task through a `FuturesUnordered`. On tokio this grows
/// as the square of the count, for a reason of tokio's budget rather than its timers; the
/// Benchmarks chapter ("How cost grows") shows why.
pub async fn timers_in_one_task(timers: usize) -> f64 {
    let start = Instant::now();
    let spread_us = 100_000;
    let mut sleeps: FuturesUnordered<_> = (0..timers)
        .map(|i| rt::time::sleep(Duration::from_micros((i as u64 * 7_919) % spread_us)))
        .collect();
    while sleeps.next().await.is_some() {}
    per_item(start.elapsed().saturating_sub(Duration::from_micros(spread_us)), timers)
}

/// `connections` echo connections, each making 20 round trips of 64 bytes, both ends on the
/// runtime, all at once.
pub async fn tcp_echo(connections: usize) -> f64 {
    const ROUND_TRIPS: usize = 20;
    let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = rt::spawn(async move {
        for _ in 0..connections {
            let (mut stream, _) = listener.accept().await.unwrap();
            rt::spawn(async move {
                let mut buffer = [0_u8; 64];
                while stream.read_exact(&mut buffer).await.is_ok() {
                    stream.write_all(&buffer).await.unwrap();
                }
            });
        }
    });
    let start = Instant::now();
    let clients: Vec<_> = (0..connections)
        .map(|client| {
            rt::spawn(async move {
                let mut stream = rt::net::TcpStream::connect(address).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let message = [client as u8; 64];
                let mut echoed = [0_u8; 64];
                for _ in 0..ROUND_TRIPS {
                    stream.write_all(&message).await.unwrap();
                    stream.read_exact(&mut echoed).await.unwrap();
                    assert_eq!(echoed, message);
                }
            })
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    let elapsed = start.elapsed();
    server.await.unwrap();
    per_item(elapsed, connections * ROUND_TRIPS)
}

/// `producers` tasks sending 100,000 messages in all through one `mpsc::channel(1024)`.
pub async fn mpsc(producers: usize) -> f64 {
    const MESSAGES: usize = 100_000;
    let start = Instant::now();
    let (sender, mut receiver) = rt::sync::mpsc::channel::<usize>(1_024);
    for producer in 0..producers {
        let sender = sender.clone();
        let share = MESSAGES / producers + usize::from(producer < MESSAGES % producers);
        rt::spawn(async move {
            for message in 0..share {
                sender.send(message).await.unwrap();
            }
        });
    }
    drop(sender);
    let mut received = 0;
    while receiver.recv().await.is_some() {
        received += 1;
    }
    assert_eq!(received, MESSAGES);
    per_item(start.elapsed(), MESSAGES)
}
