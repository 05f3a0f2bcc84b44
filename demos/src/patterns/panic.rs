//! Pitfall 5: a panic in a spawned task is caught and handed to whoever awaits its `JoinHandle`.

use super::rt;
use crate::say;

pub async fn run() {
    // Bad: nobody awaits the handle, so the panic goes no further than the panic hook's message.
    drop(rt::spawn(async { panic!("This panic is lost!") }));
    rt::task::yield_now().await;
    say!("the runtime survived a panic nobody looked at");

    good_error_handling().await;
}

// ANCHOR: good
async fn good_error_handling() {
    let handle = rt::spawn(async {
        panic!("This panic is detected!");
    });

    match handle.await {
        Ok(()) => say!("Task completed"),
        Err(e) => {
            if e.is_panic() {
                // The payload is what `panic!` was given (a `&str` here).
                let payload = e.into_panic();
                let message = payload.downcast_ref::<&str>().copied().unwrap_or("?");
                say!("Task panicked: {message}");
            }
        }
    }
}
// ANCHOR_END: good
