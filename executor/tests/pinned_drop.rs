//! A task's future is pinned from its first poll until its `Drop` has run: the runtime drops it
//! where it lies, whether it finished, was aborted, or was still waiting when the runtime shut
//! down. (The first version moved it out of the task cell first; a future whose `Drop` follows
//! a borrow of its own locals then read freed memory, as tokio's `uds_datagram` tests found.)

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use clockwork::runtime::Builder;

/// A future that remembers where it was when polled, and in `Drop` records whether it is still
/// there: 1 if it was dropped in place, 2 if it had moved.
struct StaysPut {
    polled_at: usize,
    ready: bool,
    verdict: Arc<AtomicUsize>,
}

const IN_PLACE: usize = 1;
const MOVED: usize = 2;

impl StaysPut {
    fn new(ready: bool) -> (StaysPut, Arc<AtomicUsize>) {
        let verdict = Arc::new(AtomicUsize::new(0));
        (StaysPut { polled_at: 0, ready, verdict: verdict.clone() }, verdict)
    }
}

impl Future for StaysPut {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: nothing is moved out; only a plain field is written.
        let this = unsafe { self.get_unchecked_mut() };
        this.polled_at = this as *const StaysPut as usize;
        if this.ready { Poll::Ready(()) } else { Poll::Pending }
    }
}

impl Drop for StaysPut {
    fn drop(&mut self) {
        let here = self as *const StaysPut as usize;
        let verdict = if self.polled_at == here { IN_PLACE } else { MOVED };
        self.verdict.store(verdict, Ordering::SeqCst);
    }
}

#[test]
fn a_finished_future_is_dropped_where_it_was_polled() {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let (future, verdict) = StaysPut::new(true);
    runtime.block_on(async move { clockwork::spawn(future).await.unwrap() });
    assert_eq!(verdict.load(Ordering::SeqCst), IN_PLACE);
}

#[test]
fn an_aborted_future_is_dropped_where_it_was_polled() {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let (future, verdict) = StaysPut::new(false);
    runtime.block_on(async move {
        let task = clockwork::spawn(future);
        clockwork::task::yield_now().await;
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
    });
    assert_eq!(verdict.load(Ordering::SeqCst), IN_PLACE);
}

#[test]
fn a_waiting_future_is_dropped_where_it_was_polled_when_the_runtime_goes() {
    let runtime = Builder::new_current_thread().enable_all().warnings(false).build().unwrap();
    let (future, verdict) = StaysPut::new(false);
    runtime.block_on(async move {
        clockwork::spawn(future);
        clockwork::task::yield_now().await;
    });
    drop(runtime);
    assert_eq!(verdict.load(Ordering::SeqCst), IN_PLACE);
}
