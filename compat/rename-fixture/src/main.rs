//! A tokio program, unchanged, running on Clockwork: the dependency is renamed to `tokio`.
//!
//! `#[tokio::main]` must expand to `::tokio::runtime::...`, not `::clockwork::...`, because
//! this crate has no dependency called `clockwork`. The test `tests/main_binary.rs` runs this
//! binary and checks what it prints.

use std::time::Duration;

#[tokio::main]
async fn main() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        tx.send("hello from a renamed runtime").unwrap();
    });
    let (message, joined) = tokio::join!(rx, sender);
    joined.unwrap();
    println!("{}", message.unwrap());
}
