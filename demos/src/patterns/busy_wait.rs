//! Pitfall 8, busy-waiting: a task checks a flag in a `yield_now` loop instead of being woken.

use super::rt;
use crate::{aside, say};
use rt::sync::Notify;
use rt::time::{Duration, sleep};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How long after the start the flag goes up.
const RAISE_AFTER: Duration = Duration::from_millis(20);

pub async fn run() {
    let checks = busy_wait().await;
    say!("yield_now loop: checked the flag more than 100 times = {}", checks > 100);
    aside!("yield_now loop: checked the flag {checks} times in {} ms", RAISE_AFTER.as_millis());
    let checks = notified_wait().await;
    say!("Notify: checked the flag {checks} times");
}

// ANCHOR: bad
/// Bad: the waiter asks "is it up yet?" on every turn of the run loop. Returns its checks.
pub async fn busy_wait() -> u64 {
    let flag = Arc::new(AtomicBool::new(false));
    let raiser = rt::spawn(raise_later(flag.clone(), None));
    let waiter = rt::spawn(async move {
        let mut checks = 1;
        while !flag.load(Ordering::SeqCst) {
            rt::task::yield_now().await;
            checks += 1;
        }
        checks
    });
    raiser.await.unwrap();
    waiter.await.unwrap()
}
// ANCHOR_END: bad

// ANCHOR: good
/// Good: the waiter sleeps until the raiser wakes it through a `Notify`. Returns its checks.
pub async fn notified_wait() -> u64 {
    let flag = Arc::new(AtomicBool::new(false));
    let notify = Arc::new(Notify::new());
    let raiser = rt::spawn(raise_later(flag.clone(), Some(notify.clone())));
    let waiter = rt::spawn(async move {
        let mut checks = 1;
        while !flag.load(Ordering::SeqCst) {
            notify.notified().await;
            checks += 1;
        }
        checks
    });
    raiser.await.unwrap();
    waiter.await.unwrap()
}
// ANCHOR_END: good

/// Sleeps `RAISE_AFTER`, raises `flag`, and tells whoever waits on `notify`.
async fn raise_later(flag: Arc<AtomicBool>, notify: Option<Arc<Notify>>) {
    sleep(RAISE_AFTER).await;
    flag.store(true, Ordering::SeqCst);
    if let Some(notify) = notify {
        notify.notify_one();
    }
}
