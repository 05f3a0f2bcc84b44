//! The server: accept, read one request, answer, close; a malformed request gets `400`.

use super::rt;
use super::{MAX_HEAD_BYTES, User};
use rt::io::{AsyncReadExt, AsyncWriteExt};
use rt::net::{TcpListener, TcpStream};

/// Serves connections until the task is aborted, each in its own task.
pub async fn serve(listener: TcpListener) {
    loop {
        let Ok((stream, _peer)) = listener.accept().await else { continue };
        rt::spawn(answer(stream));
    }
}

/// Why a request could not be served.
#[derive(Debug)]
enum BadRequest {
    RequestLine,
    HeadTooLong,
    Header,
    TruncatedBody,
}

/// Reads one request, writes one response. I/O errors just end the connection.
async fn answer(mut stream: TcpStream) {
    let (status, body) = match read_request(&mut stream).await {
        Ok(Some((method, path))) => route(&method, &path),
        Ok(None) => return, // The client connected and left without a word.
        Err(bad) => ("400 Bad Request", format!("{{\"error\":\"{bad:?}\"}}")),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    linger(&mut stream).await;
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

/// The router: `GET /users/{id}` and nothing else.
fn route(method: &str, path: &str) -> (&'static str, String) {
    let id = path.strip_prefix("/users/").and_then(|id| id.parse::<u64>().ok());
    match (method, id) {
        ("GET", Some(id)) => {
            let user = User { id, name: format!("User {id}") };
            ("200 OK", serde_json::to_string(&user).expect("a User always serializes"))
        }
        _ => ("404 Not Found", "{\"error\":\"NotFound\"}".to_string()),
    }
}

// ANCHOR: read_request
/// Reads the head (up to the blank line) and the body; returns the method and the path.
async fn read_request(stream: &mut TcpStream) -> Result<Option<(String, String)>, BadRequest> {
    let mut received = Vec::new();
    let mut chunk = [0; 1024];
    // 1. Read until the blank line that ends the head, but never more than the limit.
    let head_len = loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if received.len() > MAX_HEAD_BYTES {
            return Err(BadRequest::HeadTooLong);
        }
        let read = stream.read(&mut chunk).await.map_err(|_| BadRequest::TruncatedBody)?;
        if read == 0 && received.is_empty() {
            return Ok(None);
        }
        if read == 0 {
            return Err(BadRequest::RequestLine);
        }
        received.extend_from_slice(&chunk[..read]);
    };
    let head = std::str::from_utf8(&received[..head_len]).map_err(|_| BadRequest::Header)?;
    let mut lines = head.split("\r\n");
    // 2. The request line: exactly three words, the last one an HTTP/1 version.
    let request_line: Vec<&str> = lines.next().unwrap_or("").split(' ').collect();
    let [method, path, version] = request_line[..] else { return Err(BadRequest::RequestLine) };
    if !version.starts_with("HTTP/1.") || !path.starts_with('/') {
        return Err(BadRequest::RequestLine);
    }
    // 3. The headers: only Content-Length matters here.
    let mut content_length: usize = 0;
    for line in lines.filter(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(BadRequest::Header)?;
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.trim().parse().map_err(|_| BadRequest::Header)?;
        }
    }
    // 4. The body: the bytes after the head, then exactly the rest of Content-Length.
    let already = received.len() - head_len;
    let mut rest = vec![0; content_length.saturating_sub(already)];
    if stream.read_exact(&mut rest).await.is_err() {
        return Err(BadRequest::TruncatedBody);
    }
    Ok(Some((method.to_string(), path.to_string())))
}
// ANCHOR_END: read_request
