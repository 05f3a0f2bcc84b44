//! `block_on` for a thread that does not run the runtime: poll, sleep until woken, poll again.
//!
//! `Handle::block_on` on another thread cannot run the runtime's tasks (they live on the
//! runtime's thread), so it only needs the smallest executor there is: the waker unparks this
//! thread ([`std::thread::park`]), and the loop polls the one future each time it wakes.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Runs `future` to completion on this thread, sleeping whenever it is pending.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // A wake between the poll and here leaves a token, so this returns at once.
        thread::park();
    }
}

/// A waker that unparks the thread that polls.
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}
