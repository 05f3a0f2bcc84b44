//! The client: one request per connection, the whole response read until the server closes.

use std::io;
use std::net::SocketAddr;

use super::rt;
use rt::io::{AsyncReadExt, AsyncWriteExt};
use rt::net::TcpStream;

/// A response: the status code and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code, e.g. 200.
    pub status: u16,
    /// Everything after the blank line.
    pub body: String,
}

/// `GET path`, then decode the JSON body as `T`.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    addr: SocketAddr,
    path: &str,
) -> io::Result<T> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let response = send(addr, request.as_bytes()).await?;
    if response.status != 200 {
        return Err(io::Error::other(format!("GET {path}: status {}", response.status)));
    }
    serde_json::from_str(&response.body).map_err(io::Error::other)
}

/// Sends `request` as it is (well-formed or not), closes the write side, reads the response.
pub async fn send(addr: SocketAddr, request: &[u8]) -> io::Result<Response> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request).await?;
    // `AsyncWriteExt::shutdown`: sends FIN, so the server sees the end of the request.
    stream.shutdown().await?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await?;
    parse(&raw).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an HTTP response"))
}

/// Splits `HTTP/1.1 200 OK\r\n...\r\n\r\nbody` into the status code and the body.
fn parse(raw: &str) -> Option<Response> {
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status_line = head.lines().next()?;
    let status = status_line.split(' ').nth(1)?.parse().ok()?;
    Some(Response { status, body: body.to_string() })
}
