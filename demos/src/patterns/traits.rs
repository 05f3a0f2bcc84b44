//! Async traits: the same repository with `#[async_trait]` and with native `async fn` in traits.

use super::rt;
use crate::say;
use async_trait::async_trait;
use rt::time::{Duration, sleep};

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub name: String,
}

#[derive(Debug)]
pub struct Error;

// ANCHOR: async_trait
#[async_trait]
trait Repository {
    async fn find_by_id(&self, id: u64) -> Option<User>;
    async fn save(&self, user: User) -> Result<(), Error>;
}

struct UserRepository;

#[async_trait]
impl Repository for UserRepository {
    async fn find_by_id(&self, id: u64) -> Option<User> {
        // Async database query
        sleep(Duration::from_millis(10)).await;
        Some(User { id, name: "Alice".to_string() })
    }

    async fn save(&self, user: User) -> Result<(), Error> {
        // Async database insert
        sleep(Duration::from_millis(10)).await;
        say!("async-trait: saved {}", user.name);
        Ok(())
    }
}
// ANCHOR_END: async_trait

// ANCHOR: native
/// Since Rust 1.75 a trait may declare `async fn` itself: no macro, no boxing.
trait NativeRepository {
    async fn find_by_id(&self, id: u64) -> Option<User>;
}

impl NativeRepository for UserRepository {
    async fn find_by_id(&self, id: u64) -> Option<User> {
        sleep(Duration::from_millis(10)).await;
        Some(User { id, name: "Bob".to_string() })
    }
}
// ANCHOR_END: native

pub async fn run() {
    let repository = UserRepository;
    // `#[async_trait]` turns each method into one returning `Pin<Box<dyn Future + Send>>`,
    // which is what lets the trait be used as `dyn Repository`.
    let dynamic: &dyn Repository = &repository;
    let alice = dynamic.find_by_id(1).await.expect("user 1 exists");
    say!("async-trait: found {:?}", alice);
    dynamic.save(alice).await.expect("saving works");
    // The native version is called through the concrete type (it is not `dyn`-compatible).
    let bob = NativeRepository::find_by_id(&repository, 2).await.expect("user 2 exists");
    say!("native async fn: found {:?}", bob);
}
