//! Pitfall 2: a future that is never awaited does nothing.

use super::rt;
use crate::say;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub async fn run() {
    let runs = Arc::new(AtomicUsize::new(0));

    // ANCHOR: bad
    // Bad: calling an async fn only builds its future. The compiler warns
    // ("unused implementer of `Future` that must be used"); here we silence it to show it.
    #[allow(unused_must_use)]
    {
        fetch_data(runs.clone());
    }
    say!("called fetch_data() without .await: it ran {} times", runs.load(Ordering::SeqCst));
    // ANCHOR_END: bad

    // ANCHOR: good
    // Good: await it...
    fetch_data(runs.clone()).await;
    say!("after fetch_data().await: it ran {} times", runs.load(Ordering::SeqCst));

    // ...or spawn it: the task runs once this task lets the runtime have the thread.
    let task = rt::spawn(fetch_data(runs.clone()));
    say!("right after spawn: it ran {} times", runs.load(Ordering::SeqCst));
    task.await.expect("fetch_data does not panic");
    say!("after the spawned task finished: it ran {} times", runs.load(Ordering::SeqCst));
    // ANCHOR_END: good
}

async fn fetch_data(runs: Arc<AtomicUsize>) {
    rt::task::yield_now().await;
    runs.fetch_add(1, Ordering::SeqCst);
}
