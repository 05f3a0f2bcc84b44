//! `lookup_host` and `ToSocketAddrs`: names resolved to addresses on the blocking pool.
//!
//! Resolving `"example.com:80"` means `getaddrinfo(3)`, which reads `/etc/hosts`, may ask a DNS
//! server over the network, and blocks until it has an answer; no readiness to wait for, as
//! with files (see [`fs`](crate::fs)). So, as tokio does, a name is resolved on the blocking
//! pool, and an address that is already one (`"127.0.0.1:8080"`, a `SocketAddr`) is parsed
//! right here, without a job.
//!
//! [`ToSocketAddrs`] is tokio's trait: sealed, implemented for the same types as `std`'s, and
//! a subtrait of `std`'s, so that a value bound by it can also be given to the sockets (whose
//! `connect` and `bind` take `std`'s trait, and resolve on the runtime's thread).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::fs::asyncify;

/// Resolves `host` (`"name:port"`, `("name", port)`, or an address) to socket addresses; a
/// name is resolved on the blocking pool, with `std`'s resolver (`getaddrinfo(3)`).
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let mut addresses = clockwork::net::lookup_host("127.0.0.1:8080").await?;
/// assert_eq!(addresses.next(), Some("127.0.0.1:8080".parse().unwrap()));
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
// ANCHOR: lookup_host
pub async fn lookup_host<T: ToSocketAddrs>(
    host: T,
) -> io::Result<impl Iterator<Item = SocketAddr>> {
    let resolved = match host.plan() {
        Plan::Parsed(addresses) => addresses,
        Plan::Resolve(name) => asyncify(move || resolve(&name)).await?,
    };
    Ok(resolved.into_iter())
}
// ANCHOR_END: lookup_host

/// Something that names one or more socket addresses, as `tokio::net::ToSocketAddrs`.
///
/// Sealed: it is implemented for `SocketAddr` and its variants, `(IpAddr, u16)` and its
/// variants, `&[SocketAddr]`, `str`, `String`, `(&str, u16)`, `(String, u16)`, and references
/// to those. Every such value is also `std::net::ToSocketAddrs`.
pub trait ToSocketAddrs: std::net::ToSocketAddrs + Planned {}

/// What `lookup_host` does with a value: parse it here, or resolve a name on the pool.
mod sealed {
    use std::net::SocketAddr;

    /// The private half of [`ToSocketAddrs`](super::ToSocketAddrs), which nobody outside
    /// this module can implement.
    pub trait Planned {
        /// Addresses parsed here, or a name to resolve on the pool.
        fn plan(&self) -> Plan;
    }

    /// See [`Planned::plan`].
    #[derive(Debug)]
    pub enum Plan {
        /// The value was addresses already.
        Parsed(Vec<SocketAddr>),
        /// A name with its port, `"host:port"`, for `getaddrinfo`.
        Resolve(String),
    }
}

use sealed::{Plan, Planned};

/// On the pool: `std`'s resolver.
fn resolve(name: &str) -> io::Result<Vec<SocketAddr>> {
    let addresses = std::net::ToSocketAddrs::to_socket_addrs(name)?;
    Ok(addresses.collect())
}

/// The plan for `"host:port"`: an address if it parses as one, a name to resolve otherwise.
fn plan_str(text: &str) -> Plan {
    match text.parse::<SocketAddr>() {
        Ok(address) => Plan::Parsed(vec![address]),
        Err(_) => Plan::Resolve(text.to_owned()),
    }
}

/// The plan for `(host, port)`: the host may be an IP address already.
fn plan_host_port(host: &str, port: u16) -> Plan {
    match host.parse::<IpAddr>() {
        Ok(ip) => Plan::Parsed(vec![SocketAddr::new(ip, port)]),
        // `host:port` is how getaddrinfo's caller in std wants it; an IPv6 name needs no
        // brackets here, since it failed to parse as an address.
        Err(_) => Plan::Resolve(format!("{host}:{port}")),
    }
}

/// Implements the trait for types that are one address.
macro_rules! one_address {
    ($($address:ty),*) => {$(
        impl ToSocketAddrs for $address {}
        impl Planned for $address {
            fn plan(&self) -> Plan {
                Plan::Parsed(vec![SocketAddr::from(*self)])
            }
        }
    )*};
}

one_address!(
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    (IpAddr, u16),
    (Ipv4Addr, u16),
    (Ipv6Addr, u16)
);

impl ToSocketAddrs for &[SocketAddr] {}
impl Planned for &[SocketAddr] {
    fn plan(&self) -> Plan {
        Plan::Parsed(self.to_vec())
    }
}

impl ToSocketAddrs for str {}
impl Planned for str {
    fn plan(&self) -> Plan {
        plan_str(self)
    }
}

impl ToSocketAddrs for String {}
impl Planned for String {
    fn plan(&self) -> Plan {
        plan_str(self)
    }
}

impl ToSocketAddrs for (&str, u16) {}
impl Planned for (&str, u16) {
    fn plan(&self) -> Plan {
        plan_host_port(self.0, self.1)
    }
}

impl ToSocketAddrs for (String, u16) {}
impl Planned for (String, u16) {
    fn plan(&self) -> Plan {
        plan_host_port(&self.0, self.1)
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
impl<T: ToSocketAddrs + ?Sized> Planned for &T {
    fn plan(&self) -> Plan {
        (**self).plan()
    }
}
