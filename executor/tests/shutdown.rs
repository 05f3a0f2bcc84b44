//! Dropping the runtime with tasks still pending drops every one of their futures, on the
//! runtime's thread; wakers and handles kept past that point stay safe to use.

mod util;

use std::future::{pending, poll_fn};
use std::task::Poll;
use std::thread;

use clockwork::task::yield_now;
use util::{DropCounter, INTENTIONAL, WakerSlot, quiet_intentional_panics, rt};

#[test]
fn dropping_the_runtime_drops_every_pending_future() {
    let drops = DropCounter::new();
    let slot = WakerSlot::new();
    let runtime = rt();
    let handles = runtime.block_on(async {
        let mut handles = Vec::new();
        for _ in 0..100 {
            let token = drops.token();
            handles.push(clockwork::spawn(async move {
                let _token = token;
                pending::<()>().await;
            }));
        }
        // One task keeps its waker outside the runtime; one is queued and never polled.
        let token = drops.token();
        let slot = slot.clone();
        handles.push(clockwork::spawn(poll_fn(move |cx| {
            let _keep = &token;
            slot.store(cx.waker());
            Poll::<()>::Pending
        })));
        // The run loop polls 61 tasks per batch, then the block_on future again: a few yields
        // give every task its first poll.
        for _ in 0..5 {
            yield_now().await;
        }
        let token = drops.token();
        handles.push(clockwork::spawn(async move { drop(token) }));
        handles
    });
    assert_eq!(drops.count(), 0, "nothing is dropped while the runtime lives");
    assert_eq!(runtime.metrics().tasks_alive, 102);
    drop(runtime);
    assert_eq!(drops.count(), 102, "every future was dropped with the runtime");

    // The handles now report cancellation.
    for handle in handles {
        let error = futures::executor::block_on(handle).unwrap_err();
        assert!(error.is_cancelled(), "{error}");
    }
    // A waker kept past the runtime can be woken, here and on another thread, and dropped.
    let waker = slot.take().expect("the task stored its waker");
    waker.wake_by_ref();
    let clone = waker.clone();
    thread::spawn(move || clone.wake()).join().unwrap();
    drop(waker);
}

#[test]
fn a_future_whose_drop_panics_at_shutdown_is_contained() {
    quiet_intentional_panics();
    struct PanicOnDrop;
    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            panic!("{INTENTIONAL} in drop at shutdown");
        }
    }
    let drops = DropCounter::new();
    let runtime = rt();
    // The block_on future returns a JoinHandle on purpose: it is awaited after the runtime is gone.
    #[allow(clippy::async_yields_async)]
    let handle = runtime.block_on(async {
        let token = drops.token();
        let _other = clockwork::spawn(async move {
            let _token = token;
            pending::<()>().await;
        });
        let handle = clockwork::spawn(async {
            let _bomb = PanicOnDrop;
            pending::<()>().await;
        });
        yield_now().await;
        handle
    });
    drop(runtime); // must not unwind
    assert_eq!(drops.count(), 1, "the other task's future was still dropped");
    let error = futures::executor::block_on(handle).unwrap_err();
    assert!(error.is_panic(), "a panic while dropping the future is the task's result: {error}");
}

#[test]
fn spawn_local_futures_that_are_not_send_are_dropped_at_shutdown() {
    use std::rc::Rc;
    let shared = Rc::new(());
    let runtime = rt();
    runtime.block_on(async {
        for _ in 0..10 {
            let mine = shared.clone();
            clockwork::task::spawn_local(async move {
                let _mine = mine;
                pending::<()>().await;
            });
        }
        yield_now().await;
    });
    assert_eq!(Rc::strong_count(&shared), 11);
    drop(runtime);
    assert_eq!(Rc::strong_count(&shared), 1);
}

#[test]
fn a_runtime_kept_in_a_thread_local_shuts_down_at_thread_exit() {
    // Review finding: the runtime's shutdown entered the thread-local context with `with`,
    // which panics (and so aborts the process) once that thread-local is destroyed.
    use std::cell::RefCell;
    thread_local! {
        static RUNTIME: RefCell<Option<clockwork::runtime::Runtime>> = const { RefCell::new(None) };
    }
    let drops = DropCounter::new();
    let token = drops.token();
    let exited = thread::spawn(move || {
        RUNTIME.with(|slot| {
            let runtime = rt();
            runtime.block_on(async move {
                drop(clockwork::spawn(async move {
                    let _token = token;
                    pending::<()>().await;
                }));
                yield_now().await;
            });
            *slot.borrow_mut() = Some(runtime);
        });
    })
    .join();
    assert!(exited.is_ok(), "the thread exited cleanly");
    assert_eq!(drops.count(), 1, "the pending task's future was dropped at thread exit");
}

/// After tokio's `later_reads_after_runtime_drop_report_shutdown`: bytes that reached a socket
/// before its runtime went away can still be read with `try_read`, even when the reader had
/// drained the socket (its readiness cleared) before they came; once none is left, the read
/// reports the shutdown instead of answering `WouldBlock` for ever.
#[test]
fn bytes_received_before_the_runtime_dropped_are_not_lost() {
    use std::io::Write;
    let runtime = rt();
    let (stream, mut client) = runtime.block_on(async {
        let listener = clockwork::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        (stream, client)
    });
    let mut buf = [0u8; 5];
    // Nothing to read yet: this clears the stream's readiness, as a reader that drained it.
    let empty = stream.try_read(&mut buf).unwrap_err();
    assert_eq!(empty.kind(), std::io::ErrorKind::WouldBlock);
    // Loopback delivers into the stream's buffer before `write_all` returns.
    client.write_all(b"hello").unwrap();
    drop(runtime);
    assert_eq!(stream.try_read(&mut buf).unwrap(), 5);
    assert_eq!(&buf, b"hello");
    let after = stream.try_read(&mut buf).unwrap_err();
    assert!(clockwork::runtime::is_rt_shutdown_err(&after), "{after}");
}
