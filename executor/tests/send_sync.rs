//! The public types are `Send` and `Sync` (and unwind-safe) where tokio's are, so the same code
//! compiles: a task given to `spawn` must be `Send`, and so must everything it holds across an
//! `.await`.

use std::rc::Rc;

use clockwork::sync::{Mutex, Notify, RwLock, Semaphore, broadcast, mpsc, oneshot, watch};
use clockwork::task::{AbortHandle, JoinError, JoinHandle, JoinSet};
use clockwork::time::{Interval, Sleep, Timeout};

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>() {}
fn unwind_safe<T: std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

#[test]
fn tasks_and_time() {
    send_sync::<JoinHandle<u32>>();
    send_sync::<AbortHandle>();
    send_sync::<JoinError>();
    send::<JoinSet<u32>>();
    send_sync::<Sleep>();
    send_sync::<Interval>();
    send::<Timeout<Sleep>>();
    send_sync::<clockwork::runtime::Handle>();
}

#[test]
fn channels_and_locks() {
    send_sync::<mpsc::Sender<u32>>();
    send_sync::<mpsc::Receiver<u32>>();
    send_sync::<mpsc::UnboundedSender<u32>>();
    send_sync::<oneshot::Sender<u32>>();
    send_sync::<oneshot::Receiver<u32>>();
    send_sync::<broadcast::Sender<u32>>();
    send_sync::<broadcast::Receiver<u32>>();
    send_sync::<watch::Sender<u32>>();
    send_sync::<watch::Receiver<u32>>();
    send_sync::<Mutex<u32>>();
    send_sync::<clockwork::sync::MutexGuard<'static, u32>>();
    send_sync::<RwLock<u32>>();
    send_sync::<Semaphore>();
    send_sync::<Notify>();
}

#[test]
fn the_oneshot_ends_are_unwind_safe_as_tokios_are() {
    // The lock-free oneshot keeps its state in `UnsafeCell`s, which are not `RefUnwindSafe`
    // by themselves; a receiver used inside `catch_unwind` must still compile, as it did when
    // the state sat behind a `Mutex` and as it does on tokio.
    unwind_safe::<oneshot::Sender<u32>>();
    unwind_safe::<oneshot::Receiver<u32>>();
    let (tx, rx) = oneshot::channel::<u32>();
    let caught = std::panic::catch_unwind(|| {
        let _receiver = &rx;
        panic!("inside catch_unwind");
    });
    assert!(caught.is_err());
    tx.send(1).unwrap();
    let mut rx = rx;
    assert_eq!(rx.try_recv(), Ok(1), "the channel works after the caught panic");
}

#[test]
fn a_spawned_task_may_hold_all_of_them_across_await() {
    clockwork::runtime::Runtime::new().unwrap().block_on(async {
        let task = clockwork::spawn(async {
            let mutex = Mutex::new(1);
            let guard = mutex.lock().await;
            let (tx, mut rx) = mpsc::channel::<u32>(1);
            let mut set = JoinSet::new();
            set.spawn(async { 2 });
            tx.send(*guard).await.unwrap();
            clockwork::time::sleep(std::time::Duration::from_millis(1)).await;
            let from_set = set.join_next().await.unwrap().unwrap();
            rx.recv().await.unwrap() + from_set
        });
        assert_eq!(task.await.unwrap(), 3);
        // And what is not Send goes through spawn_local.
        let shared = Rc::new(5);
        let local = clockwork::task::spawn_local(async move { *shared });
        assert_eq!(local.await.unwrap(), 5);
    });
}
