//! `mpsc`: ordering, backpressure, the send-versus-close race, dropped messages, `Permit`,
//! `Sender::closed`, streams, std-thread senders, and a run under another executor.

mod util;

use std::thread;

use clockwork::stream::wrappers::{ReceiverStream, UnboundedReceiverStream};
use clockwork::sync::mpsc::{self, error::TryRecvError, error::TrySendError};
use futures::StreamExt;
use util::{DropCounter, rt};

#[test]
fn messages_arrive_in_order_and_recv_ends_after_the_last_sender() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel(2);
        let producer = clockwork::spawn(async move {
            for n in 0..10 {
                tx.send(n).await.unwrap();
            }
        });
        let mut got = Vec::new();
        while let Some(n) = rx.recv().await {
            got.push(n);
        }
        assert_eq!(got, (0..10).collect::<Vec<_>>());
        producer.await.unwrap();
    });
}

#[test]
fn a_full_channel_makes_send_wait_until_recv_frees_a_slot() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel(1);
        tx.send(1).await.unwrap();
        assert_eq!(tx.capacity(), 0);
        assert!(matches!(tx.try_send(2), Err(TrySendError::Full(2))));
        let tx2 = tx.clone();
        let blocked = clockwork::spawn(async move { tx2.send(2).await });
        clockwork::task::yield_now().await;
        assert!(!blocked.is_finished(), "the second send waits for a free slot");
        assert_eq!(rx.recv().await, Some(1));
        blocked.await.unwrap().unwrap();
        assert_eq!(rx.recv().await, Some(2));
        assert_eq!(tx.capacity(), 1);
        assert_eq!(tx.max_capacity(), 1);
    });
}

#[test]
fn a_send_racing_close_is_delivered_or_returned_never_lost() {
    // futures-rs #909: a value must not vanish between the sender's check and the close.
    for _ in 0..200 {
        let (tx, mut rx) = mpsc::unbounded_channel::<u32>();
        let sender = thread::spawn(move || tx.send(5).map_err(|error| error.0));
        rx.close();
        let sent = sender.join().unwrap();
        let received = rx.try_recv().ok();
        match (sent, received) {
            (Ok(()), Some(5)) | (Err(5), None) => {}
            other => panic!("the value was lost or duplicated: {other:?}"),
        }
    }
}

#[test]
fn a_bounded_send_waiting_for_capacity_gets_its_value_back_on_close() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel(1);
        tx.send(1).await.unwrap();
        let waiting = clockwork::spawn(async move { tx.send(2).await });
        clockwork::task::yield_now().await;
        rx.close();
        let error = waiting.await.unwrap().unwrap_err();
        assert_eq!(error.0, 2, "the value comes back in the error");
        assert_eq!(rx.recv().await, Some(1), "queued messages survive close");
        assert_eq!(rx.recv().await, None);
    });
}

#[test]
fn messages_still_queued_are_dropped_with_the_receiver() {
    let drops = DropCounter::new();
    let (tx, rx) = mpsc::unbounded_channel();
    for _ in 0..3 {
        tx.send(drops.token()).unwrap();
    }
    assert_eq!(drops.count(), 0);
    drop(rx);
    assert_eq!(drops.count(), 3, "the receiver's drop drops every unreceived message");
    let error = tx.send(drops.token()).unwrap_err();
    drop(error);
    assert_eq!(drops.count(), 4, "a refused message comes back to the sender and drops there");
}

#[test]
fn permit_sends_without_waiting_and_an_unused_permit_frees_its_slot() {
    rt().block_on(async {
        let (tx, mut rx) = mpsc::channel(1);
        let permit = tx.reserve().await.unwrap();
        assert!(matches!(tx.try_send(9), Err(TrySendError::Full(9))));
        drop(permit);
        assert_eq!(tx.capacity(), 1, "dropping a permit gives its slot back");
        let permit = tx.reserve().await.unwrap();
        permit.send("x".len());
        assert_eq!(rx.recv().await, Some(1));
    });
}

#[test]
fn sender_closed_resolves_when_the_receiver_goes() {
    rt().block_on(async {
        let (tx, rx) = mpsc::channel::<()>(1);
        let watcher = clockwork::spawn(async move {
            tx.closed().await;
            tx.is_closed()
        });
        clockwork::task::yield_now().await;
        assert!(!watcher.is_finished());
        drop(rx);
        assert!(watcher.await.unwrap());
    });
}

#[test]
fn try_recv_tells_empty_from_disconnected() {
    let (tx, mut rx) = mpsc::channel::<u8>(4);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.try_send(3).unwrap();
    assert_eq!(rx.len(), 1);
    assert_eq!(rx.try_recv(), Ok(3));
    drop(tx);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn receivers_are_streams_directly_and_through_the_wrappers() {
    rt().block_on(async {
        let (tx, rx) = mpsc::channel(8);
        let (utx, urx) = mpsc::unbounded_channel();
        for n in 1..=3 {
            tx.send(n).await.unwrap();
            utx.send(n * 10).unwrap();
        }
        drop((tx, utx));
        let direct: Vec<i32> = rx.collect().await;
        let wrapped: Vec<i32> = UnboundedReceiverStream::new(urx).collect().await;
        assert_eq!(direct, [1, 2, 3]);
        assert_eq!(wrapped, [10, 20, 30]);

        let (tx, rx) = mpsc::channel(8);
        let doubled = ReceiverStream::new(rx)
            .map(|n: i32| async move { n * 2 })
            .buffer_unordered(4)
            .collect::<Vec<_>>();
        tx.send(4).await.unwrap();
        drop(tx);
        assert_eq!(doubled.await, [8]);
    });
}

#[test]
fn std_threads_send_while_the_runtime_is_parked() {
    let runtime = rt();
    let (tx, mut rx) = mpsc::channel(4);
    let senders: Vec<_> = (0..4)
        .map(|thread_index| {
            let tx = tx.clone();
            thread::spawn(move || {
                for n in 0..50 {
                    // A std thread waits for capacity with another executor's block_on.
                    futures::executor::block_on(tx.send(thread_index * 100 + n)).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let total = runtime.block_on(async move {
        let mut count = 0;
        while rx.recv().await.is_some() {
            count += 1;
        }
        count
    });
    assert_eq!(total, 200);
    for sender in senders {
        sender.join().unwrap();
    }
}

#[test]
fn mpsc_runs_under_the_futures_executor() {
    let (tx, mut rx) = mpsc::channel(1);
    let mut pool = futures::executor::LocalPool::new();
    let spawner = pool.spawner();
    futures::task::LocalSpawnExt::spawn_local(&spawner, async move {
        for n in 0..5 {
            tx.send(n).await.unwrap();
        }
    })
    .unwrap();
    let got = pool.run_until(async move {
        let mut got = Vec::new();
        while let Some(n) = rx.recv().await {
            got.push(n);
        }
        got
    });
    assert_eq!(got, [0, 1, 2, 3, 4]);
}

#[clockwork::test]
async fn a_granted_reservation_dropped_after_close_wakes_the_receiver() {
    // Review finding: the receiver, closed and waiting only for an outstanding reservation,
    // was not woken when that reservation was dropped unused.
    let (tx, mut rx) = clockwork::sync::mpsc::channel::<i32>(1);
    tx.try_send(1).unwrap();
    let mut reserve = Box::pin(tx.reserve());
    assert!(futures::poll!(reserve.as_mut()).is_pending());
    let receiver = clockwork::spawn(async move {
        assert_eq!(rx.recv().await, Some(1)); // hands the freed slot to `reserve`
        rx.close();
        rx.recv().await // waits for the granted reservation
    });
    for _ in 0..4 {
        clockwork::task::yield_now().await;
    }
    drop(reserve); // given back, never used
    let got = clockwork::time::timeout(std::time::Duration::from_secs(5), receiver).await;
    assert!(matches!(got, Ok(Ok(None))), "the receiver saw the end: {got:?}");
    drop(tx);
}
