//! Signals: `ctrl_c` and `signal(kind)` complete when the signal is raised on another thread,
//! and a delivery that finds no `Signal` is kept for the next one.

mod util;

use std::thread;

use clockwork_reactor::signal::ctrl_c;
use clockwork_reactor::signal::unix::{SignalKind, signal};
use util::Runtime;

#[test]
fn ctrl_c_completes_on_sigint_from_a_helper_thread() {
    let rt = Runtime::new();
    rt.block_on(async {
        // The handler is installed here, before the signal can be raised.
        let interrupted = ctrl_c();
        let helper = thread::spawn(|| signal_hook::low_level::raise(libc::SIGINT));
        interrupted.await.expect("ctrl_c");
        helper.join().expect("helper thread").expect("raise");
    });
}

#[test]
fn unix_signal_delivers_each_time_it_is_awaited() {
    let rt = Runtime::new();
    rt.block_on(async {
        let mut user1 = signal(SignalKind::user_defined1()).expect("install");
        for round in 0..3 {
            let helper = thread::spawn(|| signal_hook::low_level::raise(libc::SIGUSR1));
            let received = user1.recv().await;
            assert_eq!(received, Some(()), "delivery {round}");
            helper.join().expect("helper thread").expect("raise");
        }
    });
}

#[test]
fn a_signal_that_cannot_be_handled_is_an_error_not_a_panic() {
    use clockwork_reactor::signal::unix::{SignalKind, signal};
    let reactor = clockwork_reactor::Reactor::new().unwrap();
    let _entered = clockwork_reactor::enter(&reactor.handle());
    for number in [libc::SIGKILL, libc::SIGSTOP, libc::SIGSEGV, -1] {
        let error = signal(SignalKind::from_raw(number)).expect_err("refused");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "signal {number}: {error}");
    }
    assert_eq!(reactor.registrations(), 0, "nothing was registered for them");
}

#[test]
fn a_delivery_while_no_signal_listens_is_kept_until_the_reactor_turns() {
    // tokio's `signal_drop_recv`: a signal that arrives between two `Signal`s of its kind
    // reaches the next one, if it is made before the driver runs again; after that, tokio
    // forgets it, and so does Clockwork. `raise` runs the handler on this thread before it
    // returns, so nothing here depends on timing. (SIGUSR2: no other test here raises it.)
    let rt = Runtime::new();
    let usr2 = SignalKind::user_defined2;
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    rt.block_on(async {
        drop(signal(usr2()).expect("install"));
        signal_hook::low_level::raise(libc::SIGUSR2).expect("raise");
        // Every `Signal` made before the reactor turns receives the kept delivery.
        let mut second = signal(usr2()).expect("install again");
        let mut also = signal(usr2()).expect("and again");
        let ready = std::task::Poll::Ready(Some(()));
        assert_eq!(second.poll_recv(&mut context), ready, "the kept delivery reaches it");
        assert_eq!(also.poll_recv(&mut context), ready, "and every other made before the turn");
        drop((second, also));

        // After a turn of the reactor, a delivery nobody claimed is gone.
        signal_hook::low_level::raise(libc::SIGUSR2).expect("raise");
        rt.reactor.turn(Some(std::time::Duration::ZERO)).expect("turn");
        let mut late = signal(usr2()).expect("install after the turn");
        assert!(late.poll_recv(&mut context).is_pending(), "forgotten at the turn");

        // A delivery that a live `Signal` received is not kept for a later one.
        signal_hook::low_level::raise(libc::SIGUSR2).expect("raise");
        assert_eq!(late.recv().await, Some(()));
        let mut third = signal(usr2()).expect("install a third");
        assert!(third.poll_recv(&mut context).is_pending(), "nothing is left to claim");
    });
}
