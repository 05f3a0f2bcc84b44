//! `net::lookup_host`: addresses are parsed in place, names are resolved on the blocking pool.

use std::io::ErrorKind;
use std::net::{Ipv6Addr, SocketAddr};

use clockwork::net::{TcpListener, ToSocketAddrs, lookup_host};

#[clockwork::test]
async fn an_address_resolves_to_itself() {
    let address: SocketAddr = "127.0.0.1:8080".parse().unwrap();
    let found: Vec<_> = lookup_host(address).await.unwrap().collect();
    assert_eq!(found, [address]);
    let found: Vec<_> = lookup_host("127.0.0.1:8080").await.unwrap().collect();
    assert_eq!(found, [address]);
    let found: Vec<_> = lookup_host(("::1", 80)).await.unwrap().collect();
    assert_eq!(found, [SocketAddr::from((Ipv6Addr::LOCALHOST, 80))]);
}

#[clockwork::test]
async fn a_name_resolves_on_the_pool() {
    let found: Vec<_> = lookup_host("localhost:3000").await.unwrap().collect();
    assert!(!found.is_empty());
    assert!(found.iter().all(|address| address.ip().is_loopback() && address.port() == 3000));
    let owned: Vec<_> = lookup_host((String::from("localhost"), 3000)).await.unwrap().collect();
    assert_eq!(owned, found);
}

#[clockwork::test]
async fn a_name_without_a_port_is_an_error() {
    let Err(error) = lookup_host("localhost").await else {
        panic!("a name without a port resolved");
    };
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
}

/// tokio's trait is also `std`'s, so a value bound by it can be handed to a socket.
async fn bind_any<A: ToSocketAddrs>(address: A) -> std::io::Result<TcpListener> {
    TcpListener::bind(address).await
}

#[clockwork::test]
async fn the_trait_bound_is_enough_for_a_socket() {
    let listener = bind_any("127.0.0.1:0").await.unwrap();
    assert!(listener.local_addr().unwrap().ip().is_loopback());
}
