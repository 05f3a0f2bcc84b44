//! `Mutex`: FIFO hand-off, an aborted `lock()` not wedging the mutex, owned guards, and a run
//! under the futures executor, mapped guards, `blocking_lock`, and tokio's `Debug`.

mod util;

use std::sync::Arc;

use clockwork::sync::Mutex;
use futures::poll;
use util::rt;

#[test]
fn waiters_get_the_lock_in_the_order_they_asked() {
    rt().block_on(async {
        let mutex = Arc::new(Mutex::new(Vec::new()));
        let guard = mutex.lock().await;
        let mut tasks = Vec::new();
        for n in 0..5 {
            let mutex = mutex.clone();
            tasks.push(clockwork::spawn(async move { mutex.lock().await.push(n) }));
            // Let each task queue before spawning the next, so the arrival order is known.
            clockwork::task::yield_now().await;
        }
        drop(guard);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*mutex.lock().await, [0, 1, 2, 3, 4]);
    });
}

#[test]
fn an_aborted_lock_future_does_not_wedge_the_mutex() {
    rt().block_on(async {
        let mutex = Arc::new(Mutex::new(0));
        let guard = mutex.lock().await;
        let waiting = clockwork::spawn({
            let mutex = mutex.clone();
            async move { *mutex.lock().await += 1 }
        });
        let behind = clockwork::spawn({
            let mutex = mutex.clone();
            async move { *mutex.lock().await += 10 }
        });
        clockwork::task::yield_now().await;
        // Hand the lock to `waiting`, then abort it before it runs: the lock must move on.
        drop(guard);
        waiting.abort();
        assert!(waiting.await.unwrap_err().is_cancelled());
        behind.await.unwrap();
        assert_eq!(*mutex.lock().await, 10);
    });
}

#[test]
fn a_dropped_lock_future_leaves_the_queue() {
    rt().block_on(async {
        let mutex = Mutex::new(());
        let guard = mutex.lock().await;
        let mut cancelled = Box::pin(mutex.lock());
        assert!(poll!(&mut cancelled).is_pending());
        drop(cancelled);
        drop(guard);
        assert!(mutex.try_lock().is_ok(), "nobody is left holding or owed the lock");
    });
}

#[test]
fn try_lock_and_owned_guards() {
    rt().block_on(async {
        let mutex = Arc::new(Mutex::new(1));
        let owned = mutex.clone().lock_owned().await;
        assert!(mutex.try_lock().is_err());
        let task = clockwork::spawn(async move {
            let mut owned = owned;
            *owned += 1;
        });
        task.await.unwrap();
        assert_eq!(*mutex.try_lock().unwrap(), 2);
    });
}

#[test]
fn mutex_runs_under_the_futures_executor() {
    let mutex = Mutex::new(0);
    futures::executor::block_on(async {
        let guard = mutex.lock().await;
        let ((), ()) =
            futures::join!(async { *mutex.lock().await += 1 }, async move { drop(guard) });
    });
    assert_eq!(mutex.into_inner(), 1);
}

#[clockwork::test]
async fn a_guard_prints_as_its_value_like_tokios() {
    let mutex = clockwork::sync::Mutex::new(vec![1, 2]);
    let guard = mutex.lock().await;
    assert_eq!(format!("{guard:?}"), "[1, 2]");
    drop(guard);
    let on_tokio = tokio::sync::Mutex::new(vec![1, 2]);
    assert_eq!(format!("{:?}", mutex.lock().await), format!("{:?}", on_tokio.lock().await));
    let lock = clockwork::sync::RwLock::new("text");
    assert_eq!(format!("{}", lock.read().await), "text");
    assert_eq!(format!("{:?}", lock.write().await), "\"text\"");
}

#[test]
fn a_mapped_guard_keeps_the_lock_and_sees_only_its_part() {
    use clockwork::sync::{MutexGuard, OwnedMutexGuard};
    rt().block_on(async {
        let mutex = Mutex::new((1, vec![2, 3]));
        let guard = mutex.lock().await;
        let Err(guard) = MutexGuard::try_map(guard, |pair| pair.1.get_mut(9)) else {
            panic!("there is no element 9");
        };
        let mut second = MutexGuard::map(guard, |pair| &mut pair.1[1]);
        *second += 10;
        assert!(mutex.try_lock().is_err(), "the mapped guard still holds the lock");
        drop(second);
        assert_eq!(*mutex.lock().await, (1, vec![2, 13]));
        let shared = Arc::new(Mutex::new([0u8; 4]));
        let owned = OwnedMutexGuard::map(shared.clone().lock_owned().await, |array| &mut array[3]);
        assert_eq!(format!("{owned:?}"), "0");
        assert!(Arc::ptr_eq(clockwork::sync::OwnedMappedMutexGuard::mutex(&owned), &shared));
    });
}

#[test]
fn debug_prints_the_data_or_locked_as_tokio_does() {
    static MUTEX: Mutex<u8> = Mutex::const_new(7);
    assert_eq!(format!("{MUTEX:?}"), "Mutex { data: 7 }");
    let guard = MUTEX.blocking_lock();
    assert_eq!(format!("{MUTEX:?}"), "Mutex { data: <locked> }");
    drop(guard);
}
