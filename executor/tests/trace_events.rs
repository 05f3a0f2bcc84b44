//! The recorded events of small deterministic programs (paused time), as ordered logs.

mod util;

use std::time::Duration;

use clockwork::task;
use clockwork::time::sleep;
use util::recorder::Recorder;

#[test]
fn a_sleeper_and_a_yielder() {
    let recorder = Recorder::new();
    let runtime = recorder.runtime();
    let sum = runtime.block_on(async {
        let sleeper = task::Builder::new()
            .name("sleeper")
            .spawn(async {
                sleep(Duration::from_millis(100)).await;
                1
            })
            .unwrap();
        let yielder = task::Builder::new()
            .name("yielder")
            .spawn(async {
                task::yield_now().await;
                2
            })
            .unwrap();
        sleeper.await.unwrap() + yielder.await.unwrap()
    });
    assert_eq!(sum, 3);
    drop(runtime);

    let log = recorder.log();
    let expected = [
        // The block_on future spawns both tasks: each is queued for its first poll.
        "spawn sleeper",
        "spawn yielder",
        // It then awaits the sleeper's JoinHandle, which is not done.
        "main -> ready=false",
        // The run loop polls the queue in order. The sleeper files a 100 ms timer.
        "start sleeper (queue 1)",
        "poll sleeper -> Pending",
        // The yielder's yield_now wakes it during its own poll: not queued by the wake...
        "start yielder (queue 0)",
        "wake yielder by yielder queued=false",
        // ...but requeued by the run loop once the poll returns.
        "poll yielder -> PendingWokeItself",
        "start yielder (queue 0)",
        "poll yielder -> Ready",
        // Nothing is ready: the paused clock jumps to the wheel's next expiry, so the park only
        // peeks (0 s). The next expiry is the start of the 64 ms slot holding the timer...
        "park Idle Some(0ns)",
        // ...where the timer moves down a level (a cascade) and nothing fires yet.
        "unpark io=0 timers=0",
        // The second jump lands on the deadline itself.
        "park Idle Some(0ns)",
        // The timer wheel fires the sleeper's timer at +100 ms and queues it.
        "wake sleeper by timer (at +100ms) queued=true",
        "unpark io=0 timers=1",
        "timer 1 at 100ms",
        "start sleeper (queue 0)",
        // The sleeper finishes; completing wakes the block_on future (not a task: no event).
        "poll sleeper -> Ready",
        // Both handles are ready: block_on returns.
        "main -> ready=true",
    ];
    assert_eq!(log, expected, "the whole log:\n{}", log.join("\n"));
}

#[test]
fn wakes_say_who_woke_the_task() {
    let recorder = Recorder::new();
    let runtime = recorder.runtime();
    runtime.block_on(async {
        let (sender, receiver) = futures::channel::oneshot::channel::<()>();
        let waiter = task::Builder::new()
            .name("waiter")
            .spawn(async move {
                receiver.await.unwrap();
            })
            .unwrap();
        let _sender_task = task::Builder::new()
            .name("sender")
            .spawn(async move {
                sender.send(()).unwrap();
            })
            .unwrap();
        waiter.await.unwrap();
        // A wake from another thread goes through the remote queue.
        let (sender, receiver) = futures::channel::oneshot::channel::<()>();
        let remote = task::Builder::new()
            .name("remote")
            .spawn(async move {
                receiver.await.unwrap();
            })
            .unwrap();
        task::yield_now().await;
        std::thread::spawn(move || sender.send(()).unwrap()).join().unwrap();
        remote.await.unwrap();
    });
    drop(runtime);

    let wakes: Vec<String> = recorder.log().into_iter().filter(|l| l.starts_with("wake")).collect();
    let expected = [
        // The sender task's send woke the waiter, during the sender's poll.
        "wake waiter by sender queued=true",
        // The std thread's send is drained from the remote queue by the run loop.
        "wake remote by another thread queued=true",
    ];
    assert_eq!(wakes, expected, "the whole log:\n{}", recorder.log().join("\n"));
}

#[test]
fn a_wake_by_the_reactor_names_the_socket_the_task_waited_on() {
    use clockwork::io::{AsyncReadExt, AsyncWriteExt};
    use clockwork::net::{TcpListener, TcpStream};
    use clockwork::trace::{EventKind, IoDirection, SocketWait, WokenBy};

    let recorder = Recorder::new();
    let runtime = recorder.runtime();
    let (server_addr, client_addr) = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (mut server, client_addr) = listener.accept().await.unwrap();
        let server_addr = server.local_addr().unwrap();
        let reader = task::Builder::new()
            .name("reader")
            .spawn(async move {
                let mut byte = [0_u8; 1];
                // Nothing has been sent yet: the read waits on the server's socket.
                server.read_exact(&mut byte).await.unwrap();
            })
            .unwrap();
        // Let the reader's first poll find nothing to read, then send it a byte.
        task::yield_now().await;
        client.write_all(b"!").await.unwrap();
        reader.await.unwrap();
        (server_addr, client_addr)
    });
    drop(runtime);

    let reactor_wakes: Vec<Vec<SocketWait>> = recorder
        .events()
        .into_iter()
        .filter_map(|event| match event.kind {
            EventKind::Wake { by: WokenBy::Reactor, sockets, .. } => Some(sockets),
            _ => None,
        })
        .collect();
    // One wake by the reactor: the reader's, naming the accepted socket and its peer.
    let expected = SocketWait {
        direction: IoDirection::Read,
        local: Some(server_addr),
        peer: Some(client_addr),
    };
    assert_eq!(reactor_wakes, [vec![expected]], "the whole log:\n{}", recorder.log().join("\n"));
    let narrated = expected.to_string();
    assert_eq!(narrated, format!("read on {server_addr} from {client_addr}"));
}
