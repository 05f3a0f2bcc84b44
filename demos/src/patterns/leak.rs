//! Pitfall 4, task leakage: spawned tasks outlive the function that spawned them.

use super::rt;
use crate::say;
use rt::task::JoinHandle;
use rt::time::{Duration, sleep};
use std::sync::Arc;

/// Each task holds a clone of an `Arc`; the clones beyond the owner's count the live tasks.
fn alive(token: &Arc<()>) -> usize {
    Arc::strong_count(token) - 1
}

pub async fn run() {
    let leaked = Arc::new(());
    bad_spawn(&leaked);
    sleep(Duration::from_millis(30)).await;
    say!("bad_spawn returned; tasks still alive: {}", alive(&leaked));

    let tracked = Arc::new(());
    good_spawn(&tracked).await;
    say!("good_spawn returned; tasks still alive: {}", alive(&tracked));
    // The leaked tasks stop only when the runtime is dropped, after this pattern returns.
    say!("meanwhile, leaked tasks still alive: {}", alive(&leaked));

    // ANCHOR: forgotten
    // Bad: nobody waits for the save, and the program ends before it ever runs.
    drop(save_in_background(&leaked));
    // ANCHOR_END: forgotten
    say!("returned without awaiting the save; tasks still alive: {}", alive(&leaked));
}

// ANCHOR: bad
pub fn bad_spawn(token: &Arc<()>) {
    for _ in 0..10 {
        let token = token.clone();
        rt::spawn(async move {
            let _token = token;
            loop {
                sleep(Duration::from_millis(10)).await;
            }
        });
    }
    // Function returns but tasks continue indefinitely!
}
// ANCHOR_END: bad

// ANCHOR: good
pub async fn good_spawn(token: &Arc<()>) {
    let mut handles = Vec::new();
    for _ in 0..10 {
        let token = token.clone();
        let handle = rt::spawn(async move {
            let _token = token;
            for _ in 0..3 {
                sleep(Duration::from_millis(10)).await;
            }
        });
        handles.push(handle);
    }
    // Wait for all tasks
    for handle in handles {
        handle.await.unwrap();
    }
}
// ANCHOR_END: good

/// Work that should finish before the program does; the caller decides whether to wait for it.
pub fn save_in_background(token: &Arc<()>) -> JoinHandle<()> {
    let token = token.clone();
    rt::spawn(async move {
        let _token = token;
        // Writing the file, in a real program.
        sleep(Duration::from_millis(10)).await;
    })
}
