//! Unparker: a wake-up from another thread interrupts `turn(None)`.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clockwork_reactor::Reactor;

#[test]
fn unpark_from_another_thread_ends_turn_none() {
    let (unparker_tx, unparker_rx) = mpsc::channel();
    let (result_tx, result_rx) = mpsc::channel();
    // The reactor stays on the thread that turns it; only the unparker crosses over.
    let parked = thread::spawn(move || {
        let reactor = Reactor::new().expect("reactor");
        unparker_tx.send(reactor.unparker()).expect("send unparker");
        // Nothing is registered: only the unparker can end this wait.
        let dispatched = reactor.turn(None);
        result_tx.send(dispatched.map_err(|e| e.kind())).expect("send result");
    });
    let unparker = unparker_rx.recv().expect("unparker");
    unparker.unpark();
    // If the wake-up were lost, the parked thread would never answer; fail instead of hanging.
    let dispatched = result_rx.recv_timeout(Duration::from_secs(20)).expect("turn(None) returned");
    assert_eq!(dispatched, Ok(0), "an unpark dispatches no I/O event");
    parked.join().expect("parked thread");
}

#[test]
fn unparker_is_send_sync_and_clone() {
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<clockwork_reactor::Unparker>();
}
