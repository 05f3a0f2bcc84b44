//! tokio-console's own pipeline on a Clockwork program: console-subscriber's layer records the
//! `tracing` feature's spans, its gRPC server (on 127.0.0.1, a port the OS picks) publishes them,
//! and a `console-api` client, as the `tokio-console` CLI would, reads the task list back.
//!
//! The counts the console's warnings are computed from come back too: wakes, self-wakes, and
//! waker clones and drops.

use std::collections::HashMap;
use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;

use clockwork::task::JoinHandle;
use console_api::field::{Name, Value};
use console_api::instrument::InstrumentRequest;
use console_api::instrument::instrument_client::InstrumentClient;
use console_api::tasks::{Stats, Task};
use console_subscriber::{ConsoleLayer, ServerParts};
use tokio_stream::wrappers::TcpListenerStream;
use tracing::Dispatch;
use tracing_subscriber::layer::SubscriberExt;

#[test]
fn the_console_lists_the_tasks_and_counts_their_wakers() {
    let (layer, server) =
        ConsoleLayer::builder().publish_interval(Duration::from_millis(20)).build();

    // 1. The program, under the console's layer (on this thread only). The layer stays alive
    //    after it: the server's aggregator stops when the layer is gone.
    let subscriber = Dispatch::new(tracing_subscriber::registry().with(layer));
    tracing::dispatcher::with_default(&subscriber, run_the_program);

    // 2. The server and a client, on a tokio runtime of their own; the client reads updates
    //    until every task of the program has come back, stats included, or 20 s have passed.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let tasks = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let ServerParts { instrument_server, aggregator, .. } = server.into_parts();
        let aggregator = tokio::spawn(aggregator.run());
        let incoming = TcpListenerStream::new(listener);
        let serve = tonic::transport::Server::builder()
            .add_service(instrument_server)
            .serve_with_incoming(incoming);
        let serving = tokio::spawn(serve);
        let read = read_tasks(format!("http://{address}"), &["alpha", "beta", "gamma"]);
        let tasks = tokio::time::timeout(Duration::from_secs(20), read).await;
        serving.abort();
        aggregator.abort();
        tasks.expect("the console's server sent every task within 20 s")
    });
    drop(subscriber);

    // alpha slept once: the wheel kept a clone of its waker and woke it by value (which the
    // console counts as that clone's drop), and it finished.
    let alpha = &tasks["alpha"];
    assert_eq!((alpha.wakes, alpha.self_wakes), (1, 0), "{alpha:?}");
    assert_eq!((alpha.waker_clones, alpha.waker_drops), (1, 1), "{alpha:?}");
    assert_eq!(polls(alpha), 2);
    assert!(alpha.dropped_at.is_some(), "alpha finished");
    // beta yielded three times: three wakes, all its own.
    let beta = &tasks["beta"];
    assert_eq!((beta.wakes, beta.self_wakes), (3, 3), "{beta:?}");
    assert_eq!(polls(beta), 4);
    // gamma returned Pending without keeping its waker: no clone, no wake, one poll. This is
    // what the console's lost-waker warning reads (it was cancelled when the runtime went).
    let gamma = &tasks["gamma"];
    assert_eq!((gamma.wakes, gamma.waker_clones, gamma.waker_drops), (0, 0, 0), "{gamma:?}");
    assert_eq!(polls(gamma), 1);
}

/// Three named tasks on a Clockwork runtime with paused time.
fn run_the_program() {
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let alpha = spawn("alpha", clockwork::time::sleep(Duration::from_millis(10)));
        let beta = spawn("beta", async {
            for _ in 0..3 {
                clockwork::task::yield_now().await;
            }
        });
        spawn("gamma", poll_fn(|_| Poll::Pending));
        alpha.await.unwrap();
        beta.await.unwrap();
    });
}

/// Spawns a named task.
fn spawn(name: &str, future: impl Future<Output = ()> + Send + 'static) -> JoinHandle<()> {
    clockwork::task::Builder::new().name(name).spawn(future).unwrap()
}

/// Connects to the console's server and reads updates until each of `names` has a task whose
/// stats say it was dropped (finished, or cancelled at shutdown); returns those stats by name.
async fn read_tasks(address: String, names: &[&str]) -> HashMap<String, Stats> {
    let mut client = InstrumentClient::connect(address).await.unwrap();
    let mut updates = client.watch_updates(InstrumentRequest {}).await.unwrap().into_inner();
    let mut names_by_id = HashMap::new();
    let mut stats_by_id = HashMap::new();
    loop {
        let update = updates.message().await.unwrap().expect("the server keeps sending updates");
        let Some(task_update) = update.task_update else { continue };
        for task in task_update.new_tasks {
            if let (Some(id), Some(name)) = (task.id, task_name(&task)) {
                names_by_id.insert(id.id, name);
            }
        }
        stats_by_id.extend(task_update.stats_update);
        let by_name: HashMap<String, Stats> = names_by_id
            .iter()
            .filter_map(|(id, name)| Some((name.clone(), *stats_by_id.get(id)?)))
            .collect();
        let done = |name: &&str| by_name.get(*name).is_some_and(|s| s.dropped_at.is_some());
        if names.iter().all(done) {
            return by_name;
        }
    }
}

/// The `task.name` field of a task, as the console's task list shows it.
fn task_name(task: &Task) -> Option<String> {
    let field = task
        .fields
        .iter()
        .find(|field| matches!(&field.name, Some(Name::StrName(name)) if name == "task.name"))?;
    match &field.value {
        Some(Value::DebugVal(name) | Value::StrVal(name)) => Some(name.clone()),
        _ => None,
    }
}

/// How many times the task was polled.
fn polls(stats: &Stats) -> u64 {
    stats.poll_stats.as_ref().map_or(0, |poll_stats| poll_stats.polls)
}
