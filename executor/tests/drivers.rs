//! A runtime refuses the drivers its builder did not enable, as tokio's does: a program that
//! forgets `enable_all()` panics on both runtimes, at its own line, with the call to add.

mod util;

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use clockwork::runtime::Builder;
use util::caught_panic;

fn std_listener() -> std::net::TcpListener {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    listener
}

#[test]
fn a_socket_on_a_runtime_without_io_panics_and_names_enable_io() {
    let runtime = Builder::new_current_thread().enable_time().build().unwrap();
    let listener = std_listener();
    let (message, file) = caught_panic(move || {
        runtime.block_on(async move {
            let _ = clockwork::net::TcpListener::from_std(listener);
        })
    });
    assert!(message.contains("enable_io"), "{message}");
    assert_eq!(file, file!());
}

#[test]
fn a_socket_under_the_enter_guard_of_a_runtime_without_io_panics_too() {
    let runtime = Builder::new_current_thread().build().unwrap();
    let listener = std_listener();
    let (message, file) = caught_panic(move || {
        let _guard = runtime.enter();
        let _ =
            clockwork::net::UdpSocket::from_std(std::net::UdpSocket::bind("127.0.0.1:0").unwrap());
        drop(listener);
    });
    assert!(message.contains("enable_io"), "{message}");
    assert_eq!(file, file!());
}

#[test]
fn a_timer_on_a_runtime_without_time_panics_where_it_is_made() {
    let runtime = Builder::new_current_thread().enable_io().build().unwrap();
    let (message, file) = caught_panic(|| {
        runtime.block_on(async {
            drop(clockwork::time::timeout(Duration::from_millis(5), std::future::pending::<()>()));
        })
    });
    assert!(message.contains("enable_time"), "{message}");
    assert_eq!(file, file!());
    let (message, _) = caught_panic(|| runtime.block_on(clockwork::time::sleep(Duration::ZERO)));
    assert!(message.contains("enable_time"), "{message}");
}

#[test]
fn each_enable_call_turns_on_its_own_driver() {
    let io_only = Builder::new_current_thread().enable_io().build().unwrap();
    io_only.block_on(async {
        let listener = clockwork::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        assert!(listener.local_addr().is_ok());
    });
    let time_only = Builder::new_current_thread().enable_time().build().unwrap();
    time_only.block_on(clockwork::time::sleep(Duration::from_millis(1)));
    let both = Builder::new_multi_thread().enable_all().build().unwrap();
    both.block_on(async {
        clockwork::time::sleep(Duration::from_millis(1)).await;
        clockwork::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    });
}

#[test]
fn a_sleep_made_outside_and_polled_on_a_runtime_without_time_panics() {
    let sleep = clockwork::time::sleep(Duration::from_millis(1));
    let runtime = Builder::new_current_thread().enable_io().build().unwrap();
    // (`AssertUnwindSafe`: with the `tracing` feature a `Sleep` holds a span.)
    let (message, _) = caught_panic(AssertUnwindSafe(move || runtime.block_on(sleep)));
    assert!(message.contains("enable_time"), "{message}");
}
