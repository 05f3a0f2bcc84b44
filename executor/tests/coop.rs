//! The cooperative budget (`task::coop`): a task over always-ready resources yields after 128
//! of them, so the others run; inside `unconstrained` it never does.

mod util;

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::task::coop::{self, BUDGET};
use clockwork::time::{interval, sleep};

/// Polls ready futures made by `make`, one after another inside one poll of the task, and
/// returns how many were ready before one said `Pending`.
async fn ready_in_one_poll<F: Future>(mut make: impl FnMut() -> F) -> usize {
    poll_fn(|cx| {
        let mut ready = 0;
        loop {
            let future = pin!(make());
            if future.poll(cx).is_pending() {
                return Poll::Ready(ready);
            }
            ready += 1;
            assert!(ready < 10_000, "a ready resource never made the task yield");
        }
    })
    .await
}

#[clockwork::test]
async fn a_task_is_turned_away_after_128_ready_sleeps_and_gets_a_fresh_budget_next_poll() {
    assert_eq!(ready_in_one_poll(|| sleep(Duration::ZERO)).await, usize::from(BUDGET));
    // The budget is spent for the rest of this poll...
    assert_eq!(ready_in_one_poll(|| sleep(Duration::ZERO)).await, 0);
    // ...and the `Pending` woke the task: once it yields, it goes to the back of the queue,
    // and its next poll starts with a fresh budget.
    clockwork::task::yield_now().await;
    assert_eq!(ready_in_one_poll(|| sleep(Duration::ZERO)).await, usize::from(BUDGET));
}

#[clockwork::test]
async fn joining_finished_tasks_spends_the_budget() {
    let finished: Vec<_> = (0..300).map(|_| clockwork::spawn(async {})).collect();
    while !finished.iter().all(|task| task.is_finished()) {
        clockwork::task::yield_now().await;
    }
    let mut finished = finished.into_iter();
    let joined = ready_in_one_poll(|| finished.next().expect("enough tasks")).await;
    assert_eq!(joined, usize::from(BUDGET));
}

#[clockwork::test]
async fn inside_unconstrained_nothing_is_turned_away() {
    let ready = coop::unconstrained(async {
        poll_fn(|cx| {
            for _ in 0..1_000 {
                assert!(pin!(sleep(Duration::ZERO)).poll(cx).is_ready());
            }
            Poll::Ready(1_000)
        })
        .await
    })
    .await;
    assert_eq!(ready, 1_000);
}

#[clockwork::test]
async fn consume_budget_and_has_budget_remaining() {
    assert!(coop::has_budget_remaining());
    let spent = poll_fn(|cx| {
        let mut spent = 0;
        while coop::has_budget_remaining() {
            assert!(pin!(coop::consume_budget()).poll(cx).is_ready());
            spent += 1;
        }
        Poll::Ready(spent)
    })
    .await;
    assert_eq!(spent, usize::from(BUDGET));
    coop::consume_budget().await; // yields, then spends one unit of the next poll's budget
    assert!(coop::has_budget_remaining());
}

#[clockwork::test]
async fn cooperative_makes_a_foreign_future_spend_the_budget() {
    let ready = ready_in_one_poll(|| coop::cooperative(std::future::ready(()))).await;
    assert_eq!(ready, usize::from(BUDGET));
}

#[test]
fn an_always_ready_interval_no_longer_starves_the_task_that_stops_it() {
    // Before the budget this ran 50 million ticks in 8 s and never stopped: the task that sets
    // `stop` after its 50 ms sleep was never polled.
    util::within_10s(|| {
        let runtime = Builder::new_current_thread().enable_all().warnings(false).build().unwrap();
        runtime.block_on(async {
            let stop = Arc::new(AtomicBool::new(false));
            let stopper = {
                let stop = stop.clone();
                clockwork::spawn(async move {
                    sleep(Duration::from_millis(50)).await;
                    stop.store(true, Ordering::SeqCst);
                })
            };
            let mut ticks = interval(Duration::from_nanos(1));
            while !stop.load(Ordering::SeqCst) {
                ticks.tick().await;
            }
            stopper.await.unwrap();
        });
    });
}

#[test]
fn a_panic_mid_budget_does_not_leave_the_next_task_short() {
    util::quiet_intentional_panics();
    let runtime = Builder::new_current_thread().enable_all().warnings(false).build().unwrap();
    runtime.block_on(async {
        let panicky = clockwork::spawn(async {
            for _ in 0..100 {
                sleep(Duration::ZERO).await;
            }
            panic!("{} mid-budget", util::INTENTIONAL);
        });
        let next = clockwork::spawn(ready_in_one_poll(|| sleep(Duration::ZERO)));
        assert!(panicky.await.unwrap_err().is_panic());
        assert_eq!(next.await.unwrap(), usize::from(BUDGET));
    });
}

// === The channels and locks spend the budget too ===

/// Like `ready_in_one_poll`, for resources whose futures borrow them: `poll_once` makes and
/// polls one future and says whether it was ready.
async fn ready_polls_in_one_poll(mut poll_once: impl FnMut(&mut Context<'_>) -> bool) -> usize {
    let ready = poll_fn(|cx| {
        let mut ready = 0;
        while poll_once(cx) {
            ready += 1;
            if ready == 10_000 {
                // Too many to be turned away by a budget of 128: this resource spends none.
                return Poll::Ready(ready);
            }
        }
        Poll::Ready(ready)
    })
    .await;
    // Start the next measurement with a fresh budget.
    clockwork::task::yield_now().await;
    ready
}

#[clockwork::test]
async fn every_ready_channel_and_lock_spends_one_unit() {
    use clockwork::sync::{Mutex, RwLock, Semaphore, broadcast, mpsc, oneshot, watch};
    let budget = usize::from(BUDGET);

    let (tx, mut rx) = mpsc::unbounded_channel();
    (0..1_000).for_each(|n| tx.send(n).unwrap());
    let count = ready_polls_in_one_poll(|cx| pin!(rx.recv()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "unbounded recv");

    let (tx, mut rx) = mpsc::channel(10_000);
    let count = ready_polls_in_one_poll(|cx| pin!(tx.send(())).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "bounded send");
    (0..1_000).for_each(|_| tx.try_send(()).unwrap());
    let count = ready_polls_in_one_poll(|cx| pin!(rx.recv()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "bounded recv");
    let mut buffer = Vec::new();
    let count =
        ready_polls_in_one_poll(|cx| pin!(rx.recv_many(&mut buffer, 1)).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "recv_many");

    let mut receivers = (0..1_000).map(|_| {
        let (tx, rx) = oneshot::channel();
        tx.send(()).unwrap();
        rx
    });
    let count = ready_polls_in_one_poll(|cx| {
        let mut receiver = receivers.next().expect("enough receivers");
        Pin::new(&mut receiver).poll(cx).is_ready()
    })
    .await;
    assert_eq!(count, budget, "oneshot");

    let (tx, mut rx) = broadcast::channel(1_024);
    (0..1_000).for_each(|n| assert!(tx.send(n).is_ok()));
    let count = ready_polls_in_one_poll(|cx| pin!(rx.recv()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "broadcast recv");

    // A watch receiver that has seen every value is ready only once the sender changes it;
    // once the sender is dropped, `changed` is ready (with an error) on every call.
    let (tx, mut rx) = watch::channel(0);
    drop(tx);
    let count = ready_polls_in_one_poll(|cx| pin!(rx.changed()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "watch changed");

    let semaphore = Semaphore::new(10_000);
    let count = ready_polls_in_one_poll(|cx| pin!(semaphore.acquire()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "semaphore");
    let mutex = Mutex::new(0);
    let count = ready_polls_in_one_poll(|cx| pin!(mutex.lock()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "mutex");
    let lock = RwLock::new(0);
    let count = ready_polls_in_one_poll(|cx| pin!(lock.read()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "rwlock read");
    let count = ready_polls_in_one_poll(|cx| pin!(lock.write()).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "rwlock write");
}

/// Runs the body that `make_body` makes in a loop, on a fresh runtime, until a second task,
/// which only needs one turn, says stop; fails (instead of hanging) if that takes 10 s. Before
/// the channels spent the budget, each loop below never yielded, so the second task never ran.
fn stops_when_another_task_gets_a_turn<B: AsyncFnMut()>(
    make_body: impl FnOnce() -> B + Send + 'static,
) {
    util::within_10s(move || {
        let mut body = make_body();
        let runtime = Builder::new_current_thread().enable_all().warnings(false).build().unwrap();
        runtime.block_on(async move {
            let stop = Arc::new(AtomicBool::new(false));
            let stopper = clockwork::spawn({
                let stop = stop.clone();
                async move { stop.store(true, Ordering::SeqCst) }
            });
            while !stop.load(Ordering::SeqCst) {
                body().await;
            }
            stopper.await.unwrap();
        });
    });
}

#[test]
fn a_loop_that_feeds_its_own_channel_lets_the_others_run() {
    stops_when_another_task_gets_a_turn(|| {
        let (tx, mut rx) = clockwork::sync::mpsc::unbounded_channel();
        async move || {
            tx.send(()).unwrap();
            rx.recv().await.unwrap();
        }
    });
}

#[test]
fn a_loop_over_a_watch_that_it_changes_itself_lets_the_others_run() {
    stops_when_another_task_gets_a_turn(|| {
        let (tx, mut rx) = clockwork::sync::watch::channel(0);
        async move || {
            tx.send_modify(|n| *n += 1);
            rx.changed().await.unwrap();
        }
    });
}

#[test]
fn a_loop_that_takes_an_uncontended_mutex_lets_the_others_run() {
    stops_when_another_task_gets_a_turn(|| {
        let mutex = clockwork::sync::Mutex::new(0);
        async move || *mutex.lock().await += 1
    });
}

#[test]
fn a_loop_whose_wait_for_always_holds_lets_the_others_run() {
    stops_when_another_task_gets_a_turn(|| {
        let (tx, mut rx) = clockwork::sync::watch::channel(0);
        async move || {
            tx.send(1).unwrap();
            rx.wait_for(|value| *value == 1).await.unwrap();
        }
    });
}

/// Spends the rest of the current task's budget.
fn spend_the_budget() {
    use futures::FutureExt;
    while coop::consume_budget().now_or_never().is_some() {}
}

#[clockwork::test]
async fn a_task_out_of_budget_keeps_its_place_in_a_locks_queue() {
    use clockwork::sync::Mutex;
    let mutex = Arc::new(Mutex::new(Vec::new()));
    let guard = mutex.clone().lock_owned().await;
    let first = clockwork::spawn({
        let mutex = mutex.clone();
        async move {
            spend_the_budget();
            mutex.lock().await.push("first");
        }
    });
    // `first` runs before `second`, but out of budget: it asks for the lock, is turned away
    // and goes to the back of the run queue, behind `second`, which then asks too.
    let second = clockwork::spawn({
        let mutex = mutex.clone();
        async move { mutex.lock().await.push("second") }
    });
    for _ in 0..3 {
        clockwork::task::yield_now().await;
    }
    drop(guard);
    first.await.unwrap();
    second.await.unwrap();
    assert_eq!(*mutex.lock().await, ["first", "second"], "queued first, served first");
}

#[clockwork::test]
async fn a_send_cancelled_while_yielding_for_budget_sends_nothing() {
    let (tx, mut rx) = clockwork::sync::mpsc::channel(4);
    let sent = poll_fn(|cx| {
        spend_the_budget();
        let poll = pin!(tx.send("cancelled")).poll(cx);
        Poll::Ready(poll.is_ready())
    })
    .await;
    assert!(!sent, "the send yields for the spent budget and is dropped there");
    assert!(rx.try_recv().is_err(), "nothing was sent");
    assert_eq!(tx.capacity(), 4, "and the slot it held went back");
}

#[clockwork::test]
async fn ready_sockets_spend_the_budget_through_the_reactor() {
    use clockwork::io::AsyncReadExt;
    use clockwork::net::{TcpListener, TcpStream, UdpSocket};
    let budget = usize::from(BUDGET);

    // A TCP stream with plenty to read, read a byte at a time.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut client = TcpStream::connect(address).await.unwrap();
    let (server, _) = listener.accept().await.unwrap();
    server.try_write(&[7; 4096]).unwrap();
    clockwork::time::sleep(Duration::from_millis(20)).await; // the bytes reach the client
    clockwork::task::yield_now().await; // a fresh budget: the sleep's end spent a unit
    let mut byte = [0; 1];
    let count =
        ready_polls_in_one_poll(|cx| pin!(client.read(&mut byte)).poll(cx).is_ready()).await;
    assert_eq!(count, budget, "TCP reads");
    // Waiting for readiness is not an operation: as in tokio, `readable()` spends nothing
    // (tokio's own try_read_write test polls `writable()` hundreds of times in one poll).
    let count = ready_polls_in_one_poll(|cx| pin!(client.readable()).poll(cx).is_ready()).await;
    assert_eq!(count, 10_000, "readable() spends nothing");

    // A UDP socket with many datagrams queued.
    let receiver = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for _ in 0..300 {
        sender.send_to(b"x", receiver.local_addr().unwrap()).await.unwrap();
    }
    clockwork::time::sleep(Duration::from_millis(20)).await;
    clockwork::task::yield_now().await;
    let mut buffer = [0; 8];
    let count =
        ready_polls_in_one_poll(|cx| pin!(receiver.recv_from(&mut buffer)).poll(cx).is_ready())
            .await;
    assert_eq!(count, budget, "UDP receives");
}

#[test]
fn a_poll_that_spends_the_budget_makes_the_loop_look_at_the_driver_next() {
    use clockwork::trace::{EventKind, PollResult};
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorder = events.clone();
    let runtime = Builder::new_current_thread()
        .enable_all()
        .warnings(false)
        .on_event(move |event| {
            let line = match &event.kind {
                EventKind::PollEnd { result: PollResult::BudgetSpent, .. } => "spent",
                EventKind::PollStart { .. } => "poll",
                EventKind::Park { .. } => "park",
                _ => return,
            };
            recorder.lock().unwrap().push(line);
        })
        .build()
        .unwrap();
    runtime.block_on(async {
        clockwork::spawn(async {
            for _ in 0..1_000 {
                sleep(Duration::ZERO).await; // always ready: spends a unit each time
            }
        })
        .await
        .unwrap();
    });
    let events = events.lock().unwrap();
    let spent: Vec<usize> =
        events.iter().enumerate().filter(|(_, e)| **e == "spent").map(|(i, _)| i).collect();
    assert!(spent.len() >= 5, "1,000 ready sleeps spend the budget several times: {events:?}");
    for at in spent {
        assert_eq!(events.get(at + 1), Some(&"park"), "a peek follows at once: {events:?}");
    }
}

/// After tokio's `coop_budget_udp_send_recv`: a send and a receive each spend one unit, so a
/// task that echoes 1,024 datagrams to itself runs out of budget once every 64 round trips and
/// is polled 16 times. (tokio's test counts the turns of a `yield_now` loop instead, which
/// depends on tokio deferring `yield_now`'s wake: see the compat chapter.)
#[test]
fn udp_send_and_recv_each_spend_one_unit() {
    util::rt().block_on(async {
        let tx = clockwork::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let rx = clockwork::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        tx.connect(rx.local_addr().unwrap()).await.unwrap();
        rx.connect(tx.local_addr().unwrap()).await.unwrap();
        let polls = Arc::new(AtomicUsize::new(0));
        let echo = async move {
            for _ in 0..1024 {
                tx.send(b"hello").await.unwrap();
                let mut buf = [0; 5];
                assert_eq!(rx.recv(&mut buf).await.unwrap(), 5);
            }
        };
        // A spawned task starts each poll with a full budget of 128 units.
        let counted = polls.clone();
        let mut echo = Box::pin(echo);
        clockwork::spawn(poll_fn(move |cx| {
            counted.fetch_add(1, Ordering::SeqCst);
            echo.as_mut().poll(cx)
        }))
        .await
        .unwrap();
        assert_eq!(polls.load(Ordering::SeqCst), 1024 / (BUDGET as usize / 2));
    });
}

/// tokio's uds_datagram `try_send_recv_never_block` found this: `try_*` spent the budget, so
/// after 128 of them in one poll a `try_recv` answered `WouldBlock` with data waiting.
#[clockwork::test]
async fn try_operations_never_answer_would_block_for_lack_of_budget() {
    // 200 one-byte writes: more than the budget's 128, fewer than a socket pair's buffer holds.
    let (one, other) = clockwork::net::UnixStream::pair().unwrap();
    for sent in 0..200 {
        if let Err(error) = one.try_write(b"x") {
            panic!("try_write failed after {sent} bytes: {error}");
        }
    }
    let mut buf = [0; 1];
    for received in 0..200 {
        if let Err(error) = other.try_read(&mut buf) {
            panic!("try_read failed after {received} bytes: {error}");
        }
    }
}
