//! Pitfall 3: a std `Mutex` guard held across `.await`; the async `Mutex` or a short scope fix it.

use super::rt;
use crate::say;
use rt::time::{Duration, sleep};
use std::sync::{Mutex, TryLockError};

pub async fn run() {
    let mutex = Mutex::new(Vec::new());
    // Two tasks of one thread; `join!` runs them concurrently without spawning (a std guard is
    // not `Send`, so `spawn` would refuse the bad version at compile time).
    futures::join!(bad_lock_usage(&mutex), other_task(&mutex));
    say!("bad: data = {:?}", mutex.lock().unwrap());

    let mutex = Mutex::new(Vec::new());
    futures::join!(minimal_lock_scope(&mutex), other_task(&mutex));
    say!("short scope: data = {:?}", mutex.lock().unwrap());

    let mutex = rt::sync::Mutex::new(Vec::new());
    futures::join!(good_lock_usage(&mutex), async {
        // The async lock waits for the holder to finish instead of blocking the thread.
        mutex.lock().await.push(3);
    });
    say!("async Mutex: data = {:?}", *mutex.lock().await);
}

// ANCHOR: async_mutex
async fn good_lock_usage(mutex: &rt::sync::Mutex<Vec<i32>>) {
    let mut data = mutex.lock().await; // Async lock
    data.push(1);
    fetch_data().await; // Safe to await
    data.push(2);
}
// ANCHOR_END: async_mutex

// ANCHOR: bad
// Clippy catches this one (`await_holding_lock`); the demo silences it to show the hazard.
#[allow(clippy::await_holding_lock)]
async fn bad_lock_usage(mutex: &Mutex<Vec<i32>>) {
    let mut data = mutex.lock().unwrap();
    data.push(1);
    fetch_data().await; // Lock held during await: everyone else who locks now blocks the thread.
    data.push(2);
}
// ANCHOR_END: bad

// ANCHOR: good
async fn minimal_lock_scope(mutex: &Mutex<Vec<i32>>) {
    {
        let mut data = mutex.lock().unwrap();
        data.push(1);
    } // Lock released before await

    fetch_data().await; // No lock held

    {
        let mut data = mutex.lock().unwrap();
        data.push(2);
    }
}
// ANCHOR_END: good

/// Wants the lock while the first task is at its `.await`. `lock()` would block the only thread
/// forever (the holder can never resume to unlock), so it uses `try_lock` to detect that.
async fn other_task(mutex: &Mutex<Vec<i32>>) {
    match mutex.try_lock() {
        Ok(mut data) => {
            data.push(3);
            say!("other task: got the lock");
        }
        Err(TryLockError::WouldBlock) => say!("other task: lock() here would deadlock the thread"),
        Err(TryLockError::Poisoned(_)) => unreachable!("nobody panics while holding it"),
    }
}

async fn fetch_data() {
    sleep(Duration::from_millis(10)).await;
}
