//! The scaling workloads: the same work at growing sizes, to see how the cost per item grows.
//!
//! Each function takes the size and returns the time per item, in nanoseconds (per task, per
//! timer, per round trip, per message), with the number of items. Written once against `rt`,
//! like every workload; the driver is `scaling.rs`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use super::rt;
use rt::io::{AsyncReadExt, AsyncWriteExt};

/// What a scaling workload measured: nanoseconds per item, and how many items.
pub type Measured = (f64, usize);

/// `elapsed` spread over `items`, in nanoseconds, with the count.
fn per_item(elapsed: Duration, items: usize) -> Measured {
    (elapsed.as_nanos() as f64 / items as f64, items)
}

/// `tasks` tasks spawned, then awaited.
pub async fn spawn(tasks: usize) -> Measured {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks).map(|i| rt::spawn(async move { i })).collect();
    for handle in handles {
        handle.await.unwrap();
    }
    per_item(start.elapsed(), tasks)
}

/// The CPU time this thread has used: the runtime's work, without the time it slept waiting
/// for a deadline.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid `timespec` for the call to fill.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// A delay between 0 and 100 ms, scattered by `i`.
fn scattered(i: usize) -> Duration {
    Duration::from_micros((i as u64 * 7_919) % 100_000)
}

/// `timers` tasks, each sleeping for a delay scattered over 100 ms.
///
/// The sleep is made inside the task, so its deadline counts from the task's first poll and
/// every timer is filed in the wheel, then fired, at every size. (Made at spawn time, as
/// `spawn(sleep(d))` would, most deadlines of the larger sizes would pass while the other tasks
/// are spawned, and the sleeps would be ready without a timer.)
///
/// The figure is this thread's CPU time per timer: wall-clock time would also count the
/// 100 ms that the runtime, with nothing to do, spends asleep waiting for the deadlines.
///
/// One task per sleep, as a program would write it; `timers_in_one_task` polls them all from
/// one task instead.
pub async fn timers(timers: usize) -> Measured {
    let start = thread_cpu_time();
    let sleepers: Vec<_> = (0..timers)
        .map(|i| rt::spawn(async move { rt::time::sleep(scattered(i)).await }))
        .collect();
    for sleeper in sleepers {
        sleeper.await.unwrap();
    }
    per_item(thread_cpu_time() - start, timers)
}

/// The same sleeps, all made at once and polled by one task through a `FuturesUnordered`;
/// CPU time per timer again. On tokio this grows as the square of the count, for a reason of
/// tokio's budget rather than its timers; the Benchmarks chapter ("How cost grows") shows why.
pub async fn timers_in_one_task(timers: usize) -> Measured {
    let start = thread_cpu_time();
    let mut sleeps: FuturesUnordered<_> =
        (0..timers).map(|i| rt::time::sleep(scattered(i))).collect();
    while sleeps.next().await.is_some() {}
    per_item(thread_cpu_time() - start, timers)
}

/// `connections` echo connections, each making 20 round trips of 64 bytes, both ends on the
/// runtime, all at once.
///
/// The connections are made one after another before the clock starts: made all at once,
/// the ones beyond the listener's backlog (1,024, mio's default, on both runtimes) would have
/// their SYN dropped and retried a second later, which measures the kernel, not the runtime.
pub async fn tcp_echo(connections: usize) -> Measured {
    const ROUND_TRIPS: usize = 20;
    let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = rt::spawn(async move {
        let mut echoes = Vec::with_capacity(connections);
        for _ in 0..connections {
            let (mut stream, _) = listener.accept().await.unwrap();
            echoes.push(rt::spawn(async move {
                let mut buffer = [0_u8; 64];
                while stream.read_exact(&mut buffer).await.is_ok() {
                    stream.write_all(&buffer).await.unwrap();
                }
            }));
        }
        for echo in echoes {
            echo.await.unwrap();
        }
    });
    let mut streams = Vec::with_capacity(connections);
    for _ in 0..connections {
        let stream = rt::net::TcpStream::connect(address).await.unwrap();
        stream.set_nodelay(true).unwrap();
        streams.push(stream);
    }
    let start = Instant::now();
    let clients: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(client, mut stream)| {
            rt::spawn(async move {
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
pub async fn mpsc(producers: usize) -> Measured {
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
