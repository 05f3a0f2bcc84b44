//! The public types are `Send` and `Sync` where tokio's are, so the same code compiles: a task
//! given to `spawn` must be `Send`, and so must everything it holds across an `.await`.

use std::rc::Rc;

use clockwork::sync::{Mutex, Notify, RwLock, Semaphore, broadcast, mpsc, oneshot, watch};
use clockwork::task::{AbortHandle, JoinError, JoinHandle, JoinSet};
use clockwork::time::{Interval, Sleep, Timeout};

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>() {}

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
