//! The request head (request line and headers) as a pure function of its bytes.
//!
//! Every byte here comes from a client that may be hostile, so this is where the server decides
//! what to trust. Keeping it free of sockets and of `rt` lets a test, a property test or a fuzzer
//! call it with any bytes at all (`demos/tests/http_parse.rs`, `demos/fuzz/`); the async reader
//! in `server.rs` only collects the bytes and hands them over.

/// The longest request head (request line and headers) the server accepts, in bytes.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;

/// The longest request body the server accepts, in bytes; a longer one gets `413`.
///
/// The limit exists because `Content-Length` is a number the client chose: a server that
/// allocates what it says can be made to ask for a terabyte.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request head that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// `GET`, `POST`, ...: the first word of the request line.
    pub method: String,
    /// The second word, always starting with `/`.
    pub path: String,
    /// The body's length in bytes, at most [`MAX_BODY_BYTES`]; zero without `Content-Length`.
    pub content_length: usize,
    /// Whether the client lets the connection stay open for another request (the HTTP/1.1
    /// default), rather than asking for `Connection: close` (the HTTP/1.0 default).
    pub keep_alive: bool,
}

/// Why a request could not be served; each reason has its status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadRequest {
    /// The request line is not `METHOD /path HTTP/1.x`, or the client left in the middle of it.
    RequestLine,
    /// No blank line within [`MAX_HEAD_BYTES`].
    HeadTooLong,
    /// A header line is not `name: value`, or the head is not UTF-8.
    Header,
    /// `Content-Length` is not plain decimal digits that fit a `u64`, or appears twice with
    /// different values.
    ContentLength,
    /// `Content-Length` is a fine number, but above [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// A `Transfer-Encoding` (such as `chunked`), which this server does not decode.
    TransferEncoding,
    /// The client closed its side before sending all of `Content-Length`.
    TruncatedBody,
    /// Reading from the socket failed (a reset, say).
    Unreadable,
}

impl BadRequest {
    /// The status line's code and reason for this rejection.
    pub fn status(self) -> &'static str {
        match self {
            BadRequest::BodyTooLarge => "413 Payload Too Large",
            BadRequest::TransferEncoding => "501 Not Implemented",
            _ => "400 Bad Request",
        }
    }
}

/// Where the head ends in `received`: the length up to and including the blank line, or `None`
/// if more bytes are needed. A head that has not ended within [`MAX_HEAD_BYTES`] never will.
pub fn head_len(received: &[u8]) -> Result<Option<usize>, BadRequest> {
    let searched = &received[..received.len().min(MAX_HEAD_BYTES)];
    match searched.windows(4).position(|window| window == b"\r\n\r\n") {
        Some(start) => Ok(Some(start + 4)),
        None if received.len() >= MAX_HEAD_BYTES => Err(BadRequest::HeadTooLong),
        None => Ok(None),
    }
}

// ANCHOR: parse_head
/// Parses a complete head, as delimited by [`head_len`].
pub fn parse_head(head: &[u8]) -> Result<Head, BadRequest> {
    let head = std::str::from_utf8(head).map_err(|_| BadRequest::Header)?;
    let mut lines = head.split("\r\n");
    // 1. The request line: exactly three words, the last one an HTTP/1 version.
    let request_line: Vec<&str> = lines.next().unwrap_or("").split(' ').collect();
    let [method, path, version] = request_line[..] else { return Err(BadRequest::RequestLine) };
    if method.is_empty() || !path.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(BadRequest::RequestLine);
    }
    let mut parsed = Head {
        method: method.to_string(),
        path: path.to_string(),
        content_length: 0,
        keep_alive: version != "HTTP/1.0",
    };
    // 2. The headers: the ones that say where this request ends and whether another follows.
    let mut content_length = None;
    for line in lines.filter(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(BadRequest::Header)?;
        if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
            return Err(BadRequest::Header);
        }
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            let length = parse_content_length(value)?;
            if content_length.is_some_and(|earlier| earlier != length) {
                return Err(BadRequest::ContentLength);
            }
            content_length = Some(length);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(BadRequest::TransferEncoding);
        } else if name.eq_ignore_ascii_case("connection") {
            parsed.keep_alive = keeps_alive(value, parsed.keep_alive);
        }
    }
    // 3. Only now, with a length known to be sane, is it a number of bytes to read.
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_BODY_BYTES as u64 {
        return Err(BadRequest::BodyTooLarge);
    }
    parsed.content_length = content_length as usize;
    Ok(parsed)
}
// ANCHOR_END: parse_head

/// `Content-Length = 1*DIGIT` (RFC 9110, section 8.6): Rust's `parse` alone would also take
/// `+5`, so the digits are checked first. A number too large for a `u64` is malformed; one
/// that fits may still be too large to serve, which the caller decides.
fn parse_content_length(value: &str) -> Result<u64, BadRequest> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(BadRequest::ContentLength);
    }
    value.parse().map_err(|_| BadRequest::ContentLength)
}

/// Reads a `Connection` header's comma-separated options: `close` ends the connection after
/// this request, `keep-alive` keeps it open, and anything else leaves `default` as it was.
fn keeps_alive(value: &str, default: bool) -> bool {
    let mut keep_alive = default;
    for option in value.split(',').map(str::trim) {
        if option.eq_ignore_ascii_case("close") {
            return false;
        }
        if option.eq_ignore_ascii_case("keep-alive") {
            keep_alive = true;
        }
    }
    keep_alive
}
