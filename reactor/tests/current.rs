//! The current reactor: `enter` nests, and `Handle::current` outside a runtime panics clearly.

use std::any::Any;

use clockwork_reactor::{Handle, Reactor, enter};

/// The text of a panic payload, whichever string type `panic!` chose.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    let literal = payload.downcast_ref::<&str>().map(|text| text.to_string());
    let formatted = payload.downcast_ref::<String>().cloned();
    literal.or(formatted).unwrap_or_default()
}

#[test]
fn current_outside_a_runtime_panics_with_a_clear_message() {
    assert!(Handle::try_current().is_none());
    let payload = std::panic::catch_unwind(Handle::current).expect_err("no reactor is running");
    let message = panic_message(payload.as_ref());
    assert!(message.contains("there is no reactor running"), "{message}");
    assert!(message.contains("Clockwork runtime"), "{message}");
}

#[test]
fn enter_nests_and_restores_the_previous_reactor() {
    let outer = Reactor::new().expect("outer");
    let inner = Reactor::new().expect("inner");
    let _outer_guard = enter(&outer.handle());
    let outer_debug = format!("{:?}", Handle::current());
    {
        let _inner_guard = enter(&inner.handle());
        // Register something on the inner reactor only, so the two are told apart.
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        socket.set_nonblocking(true).expect("nonblocking");
        let _registration =
            clockwork_reactor::Registration::with_current(socket).expect("register");
        assert_eq!(inner.registrations(), 1);
        assert_eq!(outer.registrations(), 0);
    }
    let restored_debug = format!("{:?}", Handle::current());
    assert_eq!(restored_debug, outer_debug, "the outer reactor is current again");
    assert_eq!(inner.registrations(), 0, "the registration freed its slot");
}
