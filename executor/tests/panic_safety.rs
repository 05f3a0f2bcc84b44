//! User code that panics inside a Clockwork call (a waker, a `Clone`, a `Drop`) must not
//! corrupt a primitive, stop other waiters from being woken, lose a message, or abort.
//!
//! Each test arranges for one piece of user code to panic in the middle of an operation, then
//! checks three things: the process is still here (the test returns), the primitive still
//! works, and everyone else who waited was woken. Where the panic goes follows `contain.rs`: an
//! operation that gives something (a send, a notify) raises it again in the caller once its
//! work is done, as tokio does; a receive, a drop and the runtime contain it. The panics carry
//! `INTENTIONAL`, so the panic hook keeps them off stderr.

mod util;

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use clockwork::runtime::{Builder, Runtime};
use clockwork::sync::{Mutex, Notify, Semaphore, broadcast, mpsc, oneshot, watch};
use clockwork::time::{self, sleep};
use util::{DropCounter, DropToken, INTENTIONAL, quiet_intentional_panics};

/// A waker that panics when woken.
struct PanicOnWake;

impl Wake for PanicOnWake {
    fn wake(self: Arc<Self>) {
        panic!("{INTENTIONAL} a waker panicked");
    }
}

fn panicking_waker() -> Waker {
    quiet_intentional_panics();
    Waker::from(Arc::new(PanicOnWake))
}

/// Polls `future` once with a waker that panics when woken: the future is then waiting, and
/// whoever wakes it runs the panicking code.
fn poll_with_panicking_waker<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
    let waker = panicking_waker();
    future.poll(&mut Context::from_waker(&waker))
}

fn paused_runtime() -> Runtime {
    Builder::new_current_thread().enable_all().start_paused(true).warnings(false).build().unwrap()
}

/// A value whose `Clone` panics the first `panics` times it is called.
#[derive(Debug)]
struct FlakyClone {
    value: u32,
    panics_left: Arc<AtomicUsize>,
}

impl Clone for FlakyClone {
    fn clone(&self) -> FlakyClone {
        let left = self.panics_left.load(Ordering::SeqCst);
        if left > 0 {
            self.panics_left.store(left - 1, Ordering::SeqCst);
            panic!("{INTENTIONAL} Clone panicked");
        }
        FlakyClone { value: self.value, panics_left: self.panics_left.clone() }
    }
}

/// Counts its drops and panics in the first of them, if asked to.
struct PanicOnDrop {
    panics: bool,
    _token: DropToken,
}

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        if self.panics {
            panic!("{INTENTIONAL} Drop panicked");
        }
    }
}

// === mpsc ===

#[test]
fn mpsc_permit_send_with_a_panicking_receiver_waker_releases_its_slot_once() {
    paused_runtime().block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        {
            let mut recv = pin!(rx.recv());
            assert!(poll_with_panicking_waker(recv.as_mut()).is_pending());
            // The send wakes the receiver's waker, which panics: the panic reaches the sender,
            // after the message is queued.
            let permit = tx.reserve().await.unwrap();
            assert!(catch_unwind(AssertUnwindSafe(|| permit.send(1))).is_err());
            assert_eq!(recv.await, Some(1));
        }

        // The slot went back exactly once: capacity is still 1, not 2.
        tx.try_send(2).unwrap();
        assert!(matches!(tx.try_send(3), Err(mpsc::error::TrySendError::Full(3))));
        rx.close();
        assert_eq!(rx.recv().await, Some(2));
        assert_eq!(rx.recv().await, None, "closed and drained: no hang");
    });
}

#[test]
fn mpsc_send_await_with_a_panicking_receiver_waker_delivers_the_message() {
    paused_runtime().block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let mut recv = pin!(rx.recv());
        assert!(poll_with_panicking_waker(recv.as_mut()).is_pending());
        // The panic reaches the sending task, after its message is queued.
        let sender = tx.clone();
        let sending = clockwork::spawn(async move { sender.send(7).await });
        assert!(sending.await.unwrap_err().is_panic());
        assert_eq!(recv.await, Some(7));
        assert_eq!(tx.capacity(), 1);
    });
}

#[test]
fn mpsc_try_recv_keeps_the_message_when_a_waiting_senders_waker_panics() {
    paused_runtime().block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        tx.send(1).await.unwrap();
        // A second sender waits for the full channel's one slot, with a panicking waker.
        let mut waiting_send = pin!(tx.send(2));
        assert!(poll_with_panicking_waker(waiting_send.as_mut()).is_pending());

        // Receiving frees the slot and hands it to that sender, whose waker panics.
        assert_eq!(rx.try_recv(), Ok(1), "the message just received is not lost");
        waiting_send.await.unwrap();
        assert_eq!(rx.recv().await, Some(2));
    });
}

#[test]
fn mpsc_receiver_drop_drops_every_message_though_one_drop_panics() {
    let dropped = DropCounter::new();
    paused_runtime().block_on(async {
        let (tx, rx) = mpsc::unbounded_channel();
        for index in 0..5 {
            tx.send(PanicOnDrop { panics: index == 1, _token: dropped.token() }).ok().unwrap();
        }
        drop(rx);
        assert!(tx.is_closed());
    });
    assert_eq!(dropped.count(), 5, "every queued message was dropped");
}

// === broadcast ===

#[test]
fn broadcast_clone_panic_skips_the_value_for_that_receiver_and_lags_nobody() {
    paused_runtime().block_on(async {
        let panics_left = Arc::new(AtomicUsize::new(1));
        let (tx, mut first) = broadcast::channel(1);
        let mut second = tx.subscribe();
        tx.send(FlakyClone { value: 9, panics_left: panics_left.clone() }).unwrap();

        let attempt = catch_unwind(AssertUnwindSafe(|| first.try_recv()));
        assert!(attempt.is_err(), "the clone panics, in the receiver that asked for it");

        // That receiver has moved past the value (as in tokio: a value whose clone always
        // panics must not block it forever). The second is not told it lagged, gets the value,
        // and, as its last reader, frees the slot: the ring is empty again.
        assert!(matches!(first.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
        assert_eq!(second.try_recv().unwrap().value, 9);
        assert_eq!(tx.len(), 0);
        tx.send(FlakyClone { value: 10, panics_left }).unwrap();
        assert_eq!(first.recv().await.unwrap().value, 10);
        assert_eq!(second.recv().await.unwrap().value, 10);
    });
}

#[test]
fn broadcast_send_wakes_every_receiver_though_one_waker_panics() {
    paused_runtime().block_on(async {
        let (tx, mut panicky) = broadcast::channel::<u32>(4);
        let mut recv = pin!(panicky.recv());
        assert!(poll_with_panicking_waker(recv.as_mut()).is_pending());
        let others: Vec<_> = (0..3)
            .map(|_| {
                let mut rx = tx.subscribe();
                clockwork::spawn(async move { rx.recv().await.unwrap() })
            })
            .collect();
        clockwork::task::yield_now().await; // the three wait now
        // The panic reaches the sender once every receiver has been woken.
        assert!(catch_unwind(AssertUnwindSafe(|| tx.send(5))).is_err());
        for other in others {
            assert_eq!(other.await.unwrap(), 5);
        }
        assert_eq!(recv.await.unwrap(), 5);
    });
}

#[test]
fn broadcast_overwritten_value_with_a_panicking_drop_still_wakes_receivers() {
    let dropped = DropCounter::new();
    paused_runtime().block_on(async {
        let (tx, mut rx) = broadcast::channel(1);
        let mut lagging = tx.subscribe();
        tx.send(Arc::new(PanicOnDrop { panics: true, _token: dropped.token() })).unwrap();
        assert!(rx.recv().await.is_ok());
        let waiter = clockwork::spawn(async move { rx.recv().await.is_ok() });
        clockwork::task::yield_now().await;
        // Overwrites the first value, whose last copy is in the ring: its drop panics.
        let second = Arc::new(PanicOnDrop { panics: false, _token: dropped.token() });
        tx.send(second).unwrap();
        assert!(waiter.await.unwrap(), "the waiting receiver was woken");
        assert!(matches!(lagging.recv().await, Err(broadcast::error::RecvError::Lagged(1))));
    });
    assert_eq!(dropped.count(), 2);
}

// === Notify, watch, oneshot ===

#[test]
fn notify_waiters_wakes_everyone_though_one_waker_panics() {
    paused_runtime().block_on(async {
        let notify = Arc::new(Notify::new());
        let mut first = pin!(notify.notified());
        assert!(poll_with_panicking_waker(first.as_mut()).is_pending());
        let others: Vec<_> = (0..3)
            .map(|_| {
                let notify = notify.clone();
                clockwork::spawn(async move { notify.notified().await })
            })
            .collect();
        clockwork::task::yield_now().await;
        assert!(catch_unwind(AssertUnwindSafe(|| notify.notify_waiters())).is_err());
        for other in others {
            other.await.unwrap();
        }
        first.await;
        // Still works afterwards.
        notify.notify_one();
        notify.notified().await;
    });
}

#[test]
fn watch_send_wakes_everyone_though_one_waker_panics() {
    paused_runtime().block_on(async {
        let (tx, mut panicky) = watch::channel(0);
        let mut changed = pin!(panicky.changed());
        assert!(poll_with_panicking_waker(changed.as_mut()).is_pending());
        let mut rx = tx.subscribe();
        let other = clockwork::spawn(async move { rx.changed().await.map(|_| *rx.borrow()) });
        clockwork::task::yield_now().await;
        assert!(catch_unwind(AssertUnwindSafe(|| tx.send(1))).is_err());
        assert_eq!(other.await.unwrap().unwrap(), 1);
        changed.await.unwrap();
    });
}

#[test]
fn oneshot_send_with_a_panicking_waker_delivers_and_a_panicking_drop_stays_inside() {
    quiet_intentional_panics();
    paused_runtime().block_on(async {
        let (tx, rx) = oneshot::channel::<u32>();
        let mut rx = pin!(rx);
        assert!(poll_with_panicking_waker(rx.as_mut()).is_pending());
        assert!(catch_unwind(AssertUnwindSafe(|| tx.send(3))).is_err());
        assert_eq!(rx.await.unwrap(), 3);

        let dropped = DropCounter::new();
        let (tx, rx) = oneshot::channel();
        tx.send(PanicOnDrop { panics: true, _token: dropped.token() }).ok().unwrap();
        drop(rx); // the unreceived value's drop panics, inside the receiver's drop
        assert_eq!(dropped.count(), 1);
    });
}

// === locks ===

#[test]
fn unlocking_wakes_the_next_waiter_though_a_waiter_waker_panics() {
    paused_runtime().block_on(async {
        let mutex = Arc::new(Mutex::new(0));
        let guard = mutex.lock().await;
        let mut panicky = pin!(mutex.lock());
        assert!(poll_with_panicking_waker(panicky.as_mut()).is_pending());
        let other = {
            let mutex = mutex.clone();
            clockwork::spawn(async move { *mutex.lock().await += 1 })
        };
        clockwork::task::yield_now().await;
        drop(guard); // hands the lock to the panicky waiter, whose waker panics
        *panicky.await += 10;
        other.await.unwrap();
        assert_eq!(*mutex.lock().await, 11);
    });
}

#[test]
fn add_permits_beyond_the_maximum_panics_clearly_and_changes_nothing() {
    quiet_intentional_panics();
    let semaphore = Semaphore::new(5);
    let overflow = catch_unwind(|| semaphore.add_permits(usize::MAX));
    let payload = overflow.expect_err("adding usize::MAX permits panics");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("MAX_PERMITS"), "a clear message: {message}");
    assert_eq!(semaphore.available_permits(), 5, "nothing changed");
    semaphore.add_permits(Semaphore::MAX_PERMITS - 5);
    assert_eq!(semaphore.available_permits(), Semaphore::MAX_PERMITS);
    let past = catch_unwind(|| Semaphore::new(Semaphore::MAX_PERMITS + 1));
    assert!(past.is_err(), "a semaphore cannot start above MAX_PERMITS either");
}

// === the runtime ===

#[test]
fn a_join_handle_waker_that_panics_neither_escapes_block_on_nor_leaks_the_task() {
    let runtime = paused_runtime();
    runtime.block_on(async {
        let task = clockwork::spawn(async { sleep(Duration::from_millis(5)).await });
        let mut task = pin!(task);
        assert!(poll_with_panicking_waker(task.as_mut()).is_pending());
        // The task completes and wakes its JoinHandle's waker, which panics.
        sleep(Duration::from_millis(10)).await;
        assert!(task.is_finished());
        assert!(task.await.is_ok());
    });
    assert_eq!(runtime.metrics().tasks_alive, 0, "the finished task left the table");

    // The same at shutdown: a task cancelled by the runtime's drop wakes a panicking waker.
    let mut never = None;
    runtime.block_on(async {
        let mut task = clockwork::spawn(std::future::pending::<()>());
        assert!(poll_with_panicking_waker(Pin::new(&mut task)).is_pending());
        never = Some(task); // kept past the runtime, with the panicking waker stored in it
    });
    // Before the fix, the waker's panic escaped this drop (and aborted during an unwind).
    drop(runtime);
    assert!(never.unwrap().is_finished(), "the runtime's drop cancelled the task");
}

#[test]
fn a_panicking_timer_waker_does_not_stop_the_rest_of_its_batch() {
    paused_runtime().block_on(async {
        let deadline = time::Instant::now() + Duration::from_millis(50);
        let mut panicky = pin!(time::sleep_until(deadline));
        assert!(poll_with_panicking_waker(panicky.as_mut()).is_pending());
        let sleepers: Vec<_> = (0..10)
            .map(|_| clockwork::spawn(async move { time::sleep_until(deadline).await }))
            .collect();
        for sleeper in sleepers {
            sleeper.await.unwrap();
        }
        assert!(time::Instant::now() >= deadline);
    });
}
