//! Async HTTP: five concurrent `GET /users/{id}` joined with `try_join_all`, JSON via serde.

use super::http::{User, client, server};
use super::rt;
use crate::{aside, say};
use rt::net::TcpListener;
use std::net::SocketAddr;

pub async fn run() {
    // The document fetches from api.example.com; we start our own server on a free port.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("a bound listener has an address");
    let server = rt::spawn(server::serve(listener));

    let users = fetch_multiple_users(addr).await.expect("the local server answers");
    for user in &users {
        say!("{user:?}");
    }
    say!("Fetched {} users", users.len());
    // The tokio build also asks reqwest, as a reference client (see `on_tokio.rs`).
    if let Some(agrees) = super::reference::agrees_with(addr, &users).await {
        aside!("reqwest fetched the same users: {agrees}");
    }
    server.abort();
}

// ANCHOR: fetch_multiple_users
async fn fetch_multiple_users(addr: SocketAddr) -> std::io::Result<Vec<User>> {
    let user_ids = vec![1, 2, 3, 4, 5];

    let tasks: Vec<_> = user_ids
        .into_iter()
        .map(|id| async move { client::get_json::<User>(addr, &format!("/users/{id}")).await })
        .collect();

    // All five requests are in flight at once; the first error would end the wait.
    futures::future::try_join_all(tasks).await
}
// ANCHOR_END: fetch_multiple_users
