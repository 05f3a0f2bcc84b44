//! Entering a runtime without running it, handles used from other threads, `Handle::block_on`,
//! and the two ways to shut down with tokio's names.

mod util;

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use clockwork::runtime::{Handle, Runtime};
use util::rt;

#[test]
fn spawn_under_an_enter_guard_runs_at_the_next_block_on() {
    let runtime = rt();
    let task = {
        let _guard = runtime.enter();
        assert!(Handle::try_current().is_ok(), "the runtime is current");
        clockwork::spawn(async { 5 })
    };
    assert!(Handle::try_current().is_err(), "and no longer after the guard");
    assert_eq!(runtime.block_on(task).unwrap(), 5);
}

#[test]
fn block_on_works_under_the_runtimes_own_enter_guard() {
    let runtime = rt();
    let _guard = runtime.enter();
    assert_eq!(runtime.block_on(async { clockwork::spawn(async { 1 }).await.unwrap() }), 1);
}

#[test]
fn guards_of_two_runtimes_nest() {
    let (first, second) = (rt(), rt());
    let outer = first.enter();
    let inner = second.enter();
    assert_eq!(Handle::current().id(), second.handle().id(), "the innermost is current");
    drop(inner);
    assert_eq!(Handle::current().id(), first.handle().id(), "then the outer one again");
    drop(outer);
}

#[test]
fn guards_dropped_out_of_order_panic_and_leave_a_usable_thread() {
    let (first, second) = (rt(), rt());
    let dropped = panic::catch_unwind(AssertUnwindSafe(|| {
        let outer = first.enter();
        let inner = second.enter();
        drop(outer);
        drop(inner);
    }));
    let message = *dropped.unwrap_err().downcast::<&str>().unwrap();
    assert!(message.contains("dropped out of order"), "{message}");
    assert!(Handle::try_current().is_err(), "nothing is left entered");
    let third = rt();
    let _guard = third.enter();
    assert_eq!(Handle::current().id(), third.handle().id());
}

#[test]
fn block_on_inside_block_on_panics_with_a_reason() {
    let (outer, inner) = (rt(), rt());
    let nested = panic::catch_unwind(AssertUnwindSafe(|| {
        outer.block_on(async { inner.block_on(async {}) })
    }));
    let message = *nested.unwrap_err().downcast::<&str>().unwrap();
    assert!(message.starts_with("Cannot start a runtime from within a runtime"), "{message}");
}

#[test]
fn a_runtime_may_be_dropped_inside_another() {
    let outer = rt();
    let cancelled = outer.block_on(async {
        let inner = rt();
        let task = inner.spawn(std::future::pending::<()>());
        drop(inner);
        task.await
    });
    assert!(cancelled.unwrap_err().is_cancelled(), "the inner runtime cancelled its task");
}

#[test]
fn a_handle_entered_on_another_thread_spawns_onto_the_runtime() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    let task = std::thread::spawn(move || {
        let _guard = handle.enter();
        assert_eq!(Handle::current().id(), handle.id());
        clockwork::spawn(async { std::thread::current().id() })
    })
    .join()
    .unwrap();
    let ran_on = runtime.block_on(task).unwrap();
    assert_eq!(ran_on, std::thread::current().id(), "the task ran on the runtime's thread");
}

#[test]
fn spawn_local_on_another_thread_under_a_handle_panics() {
    let handle = rt().handle().clone();
    let outcome = std::thread::spawn(move || {
        let _guard = handle.enter();
        panic::catch_unwind(|| drop(clockwork::task::spawn_local(async {}))).unwrap_err()
    })
    .join()
    .unwrap();
    let message = *outcome.downcast::<&str>().unwrap();
    assert!(message.contains("from the thread the runtime was created on"), "{message}");
}

#[test]
fn handle_block_on_at_home_runs_the_runtime() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    let answer = handle.block_on(async { clockwork::spawn(async { 6 * 7 }).await.unwrap() });
    assert_eq!(answer, 42);
}

#[test]
fn handle_block_on_elsewhere_waits_for_the_runtimes_tasks() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    let (tx, rx) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        // Spawned from here, run on the runtime's thread, awaited here.
        handle.block_on(async move {
            let task = clockwork::spawn(async { std::thread::current().id() });
            tx.send(()).unwrap();
            task.await.unwrap()
        })
    });
    rx.recv().unwrap();
    // Drive the runtime until the other thread has its answer.
    let runtime_thread = std::thread::current().id();
    while !waiter.is_finished() {
        runtime.block_on(clockwork::task::yield_now());
    }
    assert_eq!(waiter.join().unwrap(), runtime_thread);
}

#[test]
fn shutdown_timeout_waits_for_a_running_blocking_job() {
    let runtime = rt();
    let finished = Arc::new(AtomicBool::new(false));
    let (started_tx, started_rx) = mpsc::channel();
    let job_finished = finished.clone();
    runtime.block_on(async {
        clockwork::task::spawn_blocking(move || {
            started_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(20));
            job_finished.store(true, Ordering::SeqCst);
        });
        clockwork::task::yield_now().await;
    });
    started_rx.recv().unwrap();
    runtime.shutdown_timeout(Duration::from_secs(10));
    assert!(finished.load(Ordering::SeqCst), "the job finished before shutdown_timeout returned");
}

#[test]
fn shutdown_background_does_not_wait() {
    let runtime = rt();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (started_tx, started_rx) = mpsc::channel();
    let done = Arc::new(AtomicBool::new(false));
    let job_done = done.clone();
    runtime.block_on(async {
        clockwork::task::spawn_blocking(move || {
            started_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            job_done.store(true, Ordering::SeqCst);
        });
        clockwork::task::yield_now().await;
    });
    started_rx.recv().unwrap();
    runtime.shutdown_background();
    assert!(!done.load(Ordering::SeqCst), "returned while the job still waits");
    release_tx.send(()).unwrap();
}

#[test]
fn spawn_blocking_after_shutdown_is_cancelled_and_drops_the_closure() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    drop(runtime);
    let guard = util::DropCounter::new();
    let token = guard.token();
    let ran = Arc::new(AtomicBool::new(false));
    let job_ran = ran.clone();
    let task = handle.spawn_blocking(move || {
        job_ran.store(true, Ordering::SeqCst);
        drop(token);
    });
    let error = futures::executor::block_on(task).unwrap_err();
    assert!(error.is_cancelled());
    assert_eq!(guard.count(), 1, "the closure was dropped...");
    assert!(!ran.load(Ordering::SeqCst), "...without running");
}

#[test]
fn a_blocking_job_may_spawn_onto_its_runtime() {
    let runtime = rt();
    let answer = runtime.block_on(async {
        let inner = clockwork::task::spawn_blocking(|| clockwork::spawn(async { 3 }));
        inner.await.unwrap().await.unwrap()
    });
    assert_eq!(answer, 3);
}

#[test]
fn try_current_outside_says_the_context_is_missing() {
    let error = Handle::try_current().unwrap_err();
    assert!(error.is_missing_context());
    assert!(!error.is_thread_local_destroyed());
}

#[test]
fn a_runtime_built_as_multi_thread_behaves_the_same_for_tasks() {
    let runtime = Runtime::new().unwrap();
    let sum = runtime.block_on(async {
        let tasks: Vec<_> = (0..10).map(|n| clockwork::spawn(async move { n })).collect();
        let mut sum = 0;
        for task in tasks {
            sum += task.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, 45);
}

#[test]
fn a_socket_made_under_an_enter_guard_belongs_to_that_runtime() {
    let runtime = rt();
    let listener = {
        let _guard = runtime.enter();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        clockwork::net::TcpListener::from_std(std_listener).unwrap()
    };
    let addr = listener.local_addr().unwrap();
    let accepted = runtime.block_on(async move {
        let client = clockwork::net::TcpStream::connect(addr);
        let (accepted, client) = futures::join!(listener.accept(), client);
        client.unwrap();
        accepted.map(|(_, peer)| peer)
    });
    assert!(accepted.is_ok(), "the listener's runtime drives its accept");
}

#[test]
fn a_socket_whose_runtime_is_gone_fails_with_the_shutdown_error() {
    let first = rt();
    let listener = {
        let _guard = first.handle().enter();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        clockwork::net::TcpListener::from_std(std_listener).unwrap()
    };
    drop(first);
    let second = rt();
    let err = second.block_on(listener.accept()).unwrap_err();
    assert!(clockwork::runtime::is_rt_shutdown_err(&err), "{err}");
    let lookalike = std::io::Error::other(err.to_string());
    assert!(!clockwork::runtime::is_rt_shutdown_err(&lookalike), "the text alone is not enough");
}

/// tokio's rt_handle_block_on `spawn_blocking_after_shutdown_fails`: under a guard that
/// outlived its runtime, a spawn is cancelled at once; it used to wait forever.
#[test]
fn spawn_blocking_under_a_guard_that_outlived_its_runtime_is_cancelled() {
    let runtime = rt();
    let _guard = runtime.enter();
    runtime.shutdown_timeout(Duration::from_secs(1000));
    let job = clockwork::task::spawn_blocking(|| 42);
    let err = Handle::current().block_on(job).unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    let task = clockwork::spawn(async { 1 });
    assert!(Handle::current().block_on(task).unwrap_err().is_cancelled());
}

#[test]
#[should_panic(expected = "called on a Clockwork runtime that has shut down")]
fn a_sleep_under_a_guard_that_outlived_its_runtime_says_the_runtime_is_shut_down() {
    let runtime = rt();
    let _guard = runtime.enter();
    runtime.shutdown_timeout(Duration::from_secs(1000));
    Handle::current().block_on(clockwork::time::sleep(Duration::from_millis(10)));
}

/// tokio's rt_handle_block_on `stdout_shutdown_before_started`: a write to the standard streams
/// of a runtime that has shut down used to answer Ok and drop the bytes (its job was refused).
#[test]
fn a_write_to_stdout_after_shutdown_fails_instead_of_dropping_the_bytes() {
    use clockwork::io::AsyncWriteExt;
    let runtime = rt();
    let _guard = runtime.enter();
    runtime.shutdown_timeout(Duration::from_secs(1000));
    let write = async { clockwork::io::stderr().write_all(b"x").await };
    let err = Handle::current().block_on(write).unwrap_err();
    assert!(clockwork::runtime::is_rt_shutdown_err(&err), "{err}");
}

/// A blocking job, and a `Handle::block_on` on another thread, have their runtime's reactor
/// current, as in tokio: they may make sockets.
#[test]
fn sockets_can_be_made_in_a_blocking_job_and_in_a_handles_block_on_elsewhere() {
    let runtime = rt();
    let handle = runtime.handle().clone();
    let from_job = runtime.block_on(async {
        clockwork::task::spawn_blocking(|| {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.set_nonblocking(true).unwrap();
            clockwork::net::TcpListener::from_std(listener).is_ok()
        })
        .await
        .unwrap()
    });
    assert!(from_job, "a socket made in a blocking job");
    let elsewhere = std::thread::spawn(move || {
        handle.block_on(async { clockwork::net::UdpSocket::bind("127.0.0.1:0").await.is_ok() })
    });
    assert!(elsewhere.join().unwrap(), "a socket made in Handle::block_on on another thread");
}
