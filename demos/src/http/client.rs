//! The client: `send` makes one request per connection and reads until the server closes;
//! a [`Connection`] keeps one connection open for many requests, as HTTP/1.1 allows.

use std::io;
use std::net::SocketAddr;

use super::head::head_len;
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

/// One connection kept open for many requests; each response is read by its `Content-Length`.
#[derive(Debug)]
pub struct Connection {
    stream: TcpStream,
    /// Bytes received past the end of the last response.
    buffered: Vec<u8>,
}

impl Connection {
    /// Uses an already connected stream.
    pub fn new(stream: TcpStream) -> Connection {
        Connection { stream, buffered: Vec::new() }
    }

    /// The stream, for a test that wants to write something that is not a whole request.
    pub fn stream(&mut self) -> &mut TcpStream {
        &mut self.stream
    }

    /// `POST /echo` with `body`, and the response (the server sends `body` back).
    pub async fn echo(&mut self, body: &[u8]) -> io::Result<Response> {
        let head = format!("POST /echo HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len());
        self.stream.write_all(&[head.as_bytes(), body].concat()).await?;
        self.read_response().await
    }

    /// Reads one response: the head up to the blank line, then `Content-Length` bytes.
    pub async fn read_response(&mut self) -> io::Result<Response> {
        let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        let head_len = loop {
            if let Some(head_len) =
                head_len(&self.buffered).map_err(|_| invalid("head too long"))?
            {
                break head_len;
            }
            self.read_more().await?;
        };
        let head = std::str::from_utf8(&self.buffered[..head_len]).map_err(|_| invalid("head"))?;
        let length = content_length(head).ok_or_else(|| invalid("no Content-Length"))?;
        let mut response = parse(head).ok_or_else(|| invalid("status line"))?;
        self.buffered.drain(..head_len);
        while self.buffered.len() < length {
            self.read_more().await?;
        }
        let body = self.buffered.drain(..length).collect();
        response.body = String::from_utf8(body).map_err(|_| invalid("body is not UTF-8"))?;
        Ok(response)
    }

    /// Appends what the socket has to `buffered`; the server closing early is an error here.
    async fn read_more(&mut self) -> io::Result<()> {
        let mut chunk = [0; 4096];
        let read = self.stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.buffered.extend_from_slice(&chunk[..read]);
        Ok(())
    }
}

/// The value of the `Content-Length` header in a response head.
fn content_length(head: &str) -> Option<usize> {
    let mut headers = head.lines().skip(1).filter_map(|line| line.split_once(':'));
    let (_, value) = headers.find(|(name, _)| name.eq_ignore_ascii_case("content-length"))?;
    value.trim().parse().ok()
}
