//! The server: accept, then answer requests on each connection until the client closes or asks to.
//!
//! Two routes: `GET /users/{id}` answers a JSON [`User`], and `POST /echo` answers the request's
//! body, which is what lets a test send many checked messages over one kept-alive connection.
//! Anything malformed gets a `4xx` or `5xx` status and the connection is closed.

use std::time::Duration;

use super::head::{self, BadRequest, Head};
use super::rt;
use super::{MAX_BODY_BYTES, User};
use rt::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use rt::net::{TcpListener, TcpStream};

/// The first and the longest pause after a failed `accept`.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_millis(100);

// ANCHOR: serve
/// Serves connections until the task is aborted, each in its own task.
pub async fn serve(listener: TcpListener) {
    let mut pause = None;
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                pause = None;
                rt::spawn(answer(stream));
            }
            Err(error) => {
                pause = pause_after(&error, pause);
                if let Some(pause) = pause {
                    rt::time::sleep(pause).await;
                }
            }
        }
    }
}

/// How long to wait before the next `accept`, given the last pause; `None` means at once.
///
/// A failure that concerns one connection (it was reset while queued) says nothing about the
/// next, so we retry at once. Any other failure, such as `EMFILE` (this process is out of file
/// descriptors), leaves the connection queued and will fail again at once: retrying in a loop
/// would spin, and starve the very tasks whose closing sockets would free descriptors. So we
/// sleep, 10 ms first and twice as long each time after, up to 100 ms.
fn pause_after(error: &std::io::Error, last: Option<Duration>) -> Option<Duration> {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
    if matches!(error.kind(), ConnectionAborted | ConnectionReset | Interrupted) {
        return None;
    }
    Some(last.map_or(FIRST_PAUSE, |last| (last * 2).min(LONGEST_PAUSE)))
}
// ANCHOR_END: serve

/// A request read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The checked head.
    pub head: Head,
    /// Exactly `head.content_length` bytes.
    pub body: Vec<u8>,
}

/// A response, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Code and reason, e.g. `200 OK`.
    pub status: &'static str,
    /// What `Content-Type` says the body is.
    pub content_type: &'static str,
    /// The body; `Content-Length` is its length.
    pub body: Vec<u8>,
    /// Whether the server reads another request after this one.
    pub keep_alive: bool,
}

/// Reads requests and writes replies until there is nothing more to answer.
/// I/O errors just end the connection.
async fn answer(mut stream: TcpStream) {
    let mut buffered = Vec::new();
    loop {
        let read = read_request(&mut stream, &mut buffered).await;
        let Some(reply) = respond(read) else { return }; // The client left between requests.
        if stream.write_all(&reply.to_bytes()).await.is_err() {
            return;
        }
        if !reply.keep_alive {
            return linger(&mut stream).await;
        }
    }
}

/// What to answer to what was read: `None` means close without a word.
pub fn respond(read: Result<Option<Request>, BadRequest>) -> Option<Reply> {
    match read {
        Ok(Some(request)) => Some(route(request)),
        Ok(None) => None,
        Err(bad) => Some(Reply {
            status: bad.status(),
            content_type: "application/json",
            body: format!("{{\"error\":\"{bad:?}\"}}").into_bytes(),
            // After a bad request we cannot know where the next one would start.
            keep_alive: false,
        }),
    }
}

/// The router: `GET /users/{id}`, `POST /echo`, and `404` for anything else.
fn route(request: Request) -> Reply {
    let Request { head, body } = request;
    let id = head.path.strip_prefix("/users/").and_then(|id| id.parse::<u64>().ok());
    let (status, content_type, body) = match (head.method.as_str(), head.path.as_str(), id) {
        ("GET", _, Some(id)) => {
            let user = User { id, name: format!("User {id}") };
            let json = serde_json::to_vec(&user).expect("a User always serializes");
            ("200 OK", "application/json", json)
        }
        ("POST", "/echo", _) => ("200 OK", "application/octet-stream", body),
        _ => ("404 Not Found", "application/json", b"{\"error\":\"NotFound\"}".to_vec()),
    };
    Reply { status, content_type, body, keep_alive: head.keep_alive }
}

impl Reply {
    /// The status line, the headers, and the body, as they go on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let connection = if self.keep_alive { "keep-alive" } else { "close" };
        let head = format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Connection: {connection}\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        );
        [head.as_bytes(), &self.body].concat()
    }
}

/// Sends FIN, then reads and drops what the client still sends until it closes too.
///
/// Closing a socket with unread input makes the kernel send RST, and a client that receives
/// RST may lose the `400` it has not read yet. Draining first is the "lingering close" of
/// real servers; it is bounded, so a client that never stops cannot hold the task forever.
async fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown().await;
    let mut sink = [0; 1024];
    for _ in 0..64 {
        match stream.read(&mut sink).await {
            Ok(0) | Err(_) => return,
            Ok(_) => continue,
        }
    }
}

// ANCHOR: read_request
/// Reads one request: `Ok(None)` if the client closed before its first byte.
///
/// `buffered` holds bytes received but not yet used; they stay there for the next request, as
/// a client may send its next request before it has read our reply (pipelining).
pub async fn read_request<R: AsyncRead + Unpin>(
    reader: &mut R,
    buffered: &mut Vec<u8>,
) -> Result<Option<Request>, BadRequest> {
    let mut chunk = [0; 1024];
    // 1. Read until the blank line that ends the head; `head_len` enforces the limit.
    let head_len = loop {
        if let Some(head_len) = head::head_len(buffered)? {
            break head_len;
        }
        let read = reader.read(&mut chunk).await.map_err(|_| BadRequest::Unreadable)?;
        match read {
            0 if buffered.is_empty() => return Ok(None),
            0 => return Err(BadRequest::RequestLine),
            _ => buffered.extend_from_slice(&chunk[..read]),
        }
    };
    // 2. Check the head: after this, `content_length` is at most `MAX_BODY_BYTES`.
    let head = head::parse_head(&buffered[..head_len])?;
    buffered.drain(..head_len);
    // 3. The body: what was already received, then fixed-size reads of exactly the rest, so
    //    the next request's bytes stay in the socket.
    let from_buffer = head.content_length.min(buffered.len());
    let mut body: Vec<u8> = buffered.drain(..from_buffer).collect();
    while body.len() < head.content_length {
        let wanted = (head.content_length - body.len()).min(chunk.len());
        let read = reader.read(&mut chunk[..wanted]).await.map_err(|_| BadRequest::Unreadable)?;
        if read == 0 {
            return Err(BadRequest::TruncatedBody);
        }
        body.extend_from_slice(&chunk[..read]);
    }
    debug_assert!(body.len() <= MAX_BODY_BYTES, "parse_head caps the body at MAX_BODY_BYTES");
    Ok(Some(Request { head, body }))
}
// ANCHOR_END: read_request
