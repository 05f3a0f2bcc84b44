//! `RwLock`: a queued writer blocks new readers (so it is not starved), a cancelled writer
//! wakes the readers behind it, a run under the futures executor, `with_max_readers`, downgrading,
//! mapped guards and the blocking methods.

mod util;

use clockwork::sync::RwLock;
use futures::poll;
use util::rt;

#[test]
fn a_queued_writer_is_not_starved_by_a_stream_of_readers() {
    rt().block_on(async {
        let lock = RwLock::new(0);
        let first_reader = lock.read().await;
        let mut writer = Box::pin(lock.write());
        assert!(poll!(&mut writer).is_pending(), "a reader holds the lock");
        // Readers that come after the writer queue behind it.
        assert!(lock.try_read().is_err(), "a queued writer blocks new readers");
        let mut later_reader = Box::pin(lock.read());
        assert!(poll!(&mut later_reader).is_pending());
        drop(first_reader);
        let mut write_guard = match poll!(&mut writer) {
            std::task::Poll::Ready(guard) => guard,
            std::task::Poll::Pending => panic!("the writer is next"),
        };
        *write_guard = 1;
        assert!(poll!(&mut later_reader).is_pending());
        drop(write_guard);
        match poll!(&mut later_reader) {
            std::task::Poll::Ready(guard) => assert_eq!(*guard, 1),
            std::task::Poll::Pending => panic!("the reader follows the writer"),
        }
    });
}

#[test]
fn a_cancelled_writer_wakes_the_readers_queued_behind_it() {
    rt().block_on(async {
        let lock = std::sync::Arc::new(RwLock::new(()));
        let held = lock.read().await;
        let writer = clockwork::spawn({
            let lock = lock.clone();
            async move { drop(lock.write().await) }
        });
        clockwork::task::yield_now().await;
        let reader = clockwork::spawn({
            let lock = lock.clone();
            async move { drop(lock.read().await) }
        });
        clockwork::task::yield_now().await;
        assert!(!reader.is_finished(), "the reader waits behind the writer");
        writer.abort();
        assert!(writer.await.unwrap_err().is_cancelled());
        // The first reader still holds the lock: only the writer's departure freed the queue.
        reader.await.unwrap();
        drop(held);
    });
}

#[test]
fn readers_share_and_writers_exclude() {
    rt().block_on(async {
        let lock = RwLock::new(5);
        let first = lock.read().await;
        let second = lock.try_read().unwrap();
        assert_eq!(*first + *second, 10);
        assert!(lock.try_write().is_err());
        drop((first, second));
        *lock.try_write().unwrap() = 6;
        assert_eq!(*lock.read().await, 6);
    });
}

#[test]
fn rwlock_runs_under_the_futures_executor() {
    let lock = std::sync::Arc::new(RwLock::new(1));
    futures::executor::block_on(async {
        let owned = lock.clone().write_owned().await;
        let (value, ()) = futures::join!(async { *lock.read().await }, async move { drop(owned) });
        assert_eq!(value, 1);
    });
}

#[test]
fn with_max_readers_admits_that_many_readers_and_no_more() {
    let lock = RwLock::with_max_readers(0, 2);
    let first = lock.try_read().unwrap();
    let _second = lock.try_read().unwrap();
    assert!(lock.try_read().is_err(), "a third reader waits");
    drop(first);
    assert!(lock.try_read().is_ok());
}

#[test]
#[should_panic(expected = "a RwLock may not be created with 0 readers")]
fn zero_max_readers_panics() {
    let _ = RwLock::with_max_readers((), 0);
}

#[test]
fn a_downgraded_writer_lets_the_queued_readers_in_but_keeps_reading() {
    use clockwork::sync::RwLockWriteGuard;
    rt().block_on(async {
        let lock = RwLock::new((1, 2));
        let writer = lock.write().await;
        let mut reader = Box::pin(lock.read());
        assert!(poll!(reader.as_mut()).is_pending());
        let Err(writer) = RwLockWriteGuard::try_downgrade_map(writer, |_| None::<&u8>) else {
            panic!("the map found nothing, so the writer comes back");
        };
        assert!(poll!(reader.as_mut()).is_pending(), "still writing");
        let second = RwLockWriteGuard::downgrade_map(writer, |pair| &pair.1);
        assert!(poll!(reader.as_mut()).is_ready(), "readers get in at once");
        assert_eq!(*second, 2);
        assert!(lock.try_write().is_err(), "the downgraded guard still reads");
    });
}

#[test]
fn mapped_write_guards_and_blocking_methods_work_on_a_plain_thread() {
    use clockwork::sync::{RwLockReadGuard, RwLockWriteGuard};
    static LOCK: RwLock<[u8; 2]> = RwLock::const_new([0, 0]);
    std::thread::spawn(|| {
        let mut first = RwLockWriteGuard::map(LOCK.blocking_write(), |array| &mut array[0]);
        *first = 5;
        drop(first);
        let second = RwLockReadGuard::map(LOCK.blocking_read(), |array| &array[0]);
        assert_eq!(*second, 5);
    })
    .join()
    .unwrap();
    assert_eq!(format!("{LOCK:?}"), "RwLock { data: [5, 0] }");
}
