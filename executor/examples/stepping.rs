//! A small program to step through in a debugger: two named tasks, a timer, a join.
//!
//! The gdb test (`tests/gdb.rs`) and the book's "Stepping through" chapter break in
//! `fetch_user` and look around. Run it with `CLOCKWORK_LOG=1` to hear the runtime narrate.

use std::time::Duration;

use clockwork::task;

// ANCHOR: fetch_user
/// The task's code: a breakpoint here stops inside a poll of the task.
async fn fetch_user(id: u64) -> String {
    clockwork::time::sleep(Duration::from_millis(10 * id)).await;
    let user = format!("user {id}");
    user
}
// ANCHOR_END: fetch_user

#[clockwork::main]
async fn main() {
    let first = task::Builder::new().name("fetch_user").spawn(fetch_user(1)).unwrap();
    let second = task::Builder::new().name("fetch_user").spawn(fetch_user(2)).unwrap();
    let (first, second) = (first.await.unwrap(), second.await.unwrap());
    println!("{first}, {second}");
}
