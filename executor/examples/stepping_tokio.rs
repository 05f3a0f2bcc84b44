//! The stepping example on tokio's current_thread runtime, to compare backtraces (see the book's
//! "Stepping through" chapter): break in `fetch_user` and count the frames down to `block_on`.

use std::time::Duration;

/// The task's code: the same line as in `stepping.rs`.
async fn fetch_user(id: u64) -> String {
    tokio::time::sleep(Duration::from_millis(10 * id)).await;
    let user = format!("user {id}");
    user
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let first = tokio::spawn(fetch_user(1));
    let second = tokio::spawn(fetch_user(2));
    let (first, second) = (first.await.unwrap(), second.await.unwrap());
    println!("{first}, {second}");
}
