//! Variation 3: async `Mutex`, `RwLock`, and a `Semaphore` limiting concurrency (peak printed).

use super::rt;
use crate::say;
use rt::sync::{Mutex, RwLock, Semaphore};
use rt::time::{Duration, sleep};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub async fn run() {
    // ANCHOR: mutex
    // Async Mutex - doesn't block executor thread
    let mutex = Arc::new(Mutex::new(vec![]));
    let mut guard = mutex.lock().await; // Yields instead of blocking
    guard.push(1);
    sleep(Duration::from_millis(1)).await; // Holding it across .await is fine.
    guard.push(2);
    drop(guard);
    say!("mutex: {:?}", *mutex.lock().await);
    // ANCHOR_END: mutex

    // ANCHOR: rwlock
    // RwLock for multiple readers
    let rwlock = Arc::new(RwLock::new(HashMap::from([("answer", 42)])));
    let first = rwlock.read().await; // Multiple readers allowed
    let second = rwlock.read().await;
    say!("rwlock: two readers at once see {} and {}", first["answer"], second["answer"]);
    drop((first, second));
    rwlock.write().await.insert("answer", 43); // Exclusive write access
    say!("rwlock: after the write, {}", rwlock.read().await["answer"]);
    // ANCHOR_END: rwlock

    say!("semaphore(3), 10 tasks: peak concurrency {}", peak_with_semaphore(3, 10).await);
}

// ANCHOR: semaphore
/// Runs `tasks` tasks that each hold a permit for 10 ms; returns how many ran at once at most.
async fn peak_with_semaphore(permits: usize, tasks: usize) -> usize {
    let semaphore = Arc::new(Semaphore::new(permits));
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (semaphore, running, peak) = (semaphore.clone(), running.clone(), peak.clone());
        handles.push(rt::spawn(async move {
            let permit = semaphore.acquire().await.unwrap();
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            sleep(Duration::from_millis(10)).await; // Do work...
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit); // Release
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    peak.load(Ordering::SeqCst)
}
// ANCHOR_END: semaphore
