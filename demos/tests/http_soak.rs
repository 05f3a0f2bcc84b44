//! Soak: thousands of kept-alive connections, some of whose clients vanish mid-message.
//!
//! Each connection sends up to `MESSAGES` echo requests and checks every byte of every reply.
//! One connection in four stops in the middle of a request: half of those close (FIN), half
//! reset (RST, through `SO_LINGER` 0). The server must serve every other exchange exactly,
//! survive every abandoned one, and still answer afterwards.
//!
//! Which connection vanishes, where and how, is a function of its number: no randomness.
//! A debug build runs the full 2,000 connections x 50 messages in about 2.5 s per runtime on a
//! 2-core machine (run with `--nocapture` to see the time), so nothing is scaled down.

use std::time::Duration;

/// Connections opened, one after another within each client task.
const CONNECTIONS: usize = 2_000;
/// Echo requests per connection.
const MESSAGES: usize = 50;
/// Client tasks running at once, each working through its share of the connections.
const CONCURRENT: usize = 64;

/// How a connection ends: after all its messages, or partway through message `at`.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Complete,
    Close { at: usize },
    Reset { at: usize },
}

impl Ending {
    /// The message during which the client vanishes, if it does.
    fn vanishes_at(self) -> Option<usize> {
        match self {
            Ending::Complete => None,
            Ending::Close { at } | Ending::Reset { at } => Some(at),
        }
    }
}

fn ending(index: usize) -> Ending {
    let at = mix(index, MESSAGES) % MESSAGES;
    match index % 8 {
        3 => Ending::Close { at },
        7 => Ending::Reset { at },
        _ => Ending::Complete,
    }
}

/// Message `message` of connection `index` as a whole request, and where to cut it if the
/// client vanishes during it: anywhere after its first byte and before its last.
fn request(index: usize, message: usize) -> (Vec<u8>, usize) {
    let body = body(index, message);
    let head = format!("POST /echo HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len());
    let request = [head.as_bytes(), &body].concat();
    let cut = 1 + mix(index, message) % (request.len() - 1);
    (request, cut)
}

/// Message `message` of connection `index`: its numbers, then letters, 1 to 300 bytes in all.
fn body(index: usize, message: usize) -> Vec<u8> {
    let len = 1 + mix(index, message) % 300;
    let label = format!("{index}:{message}:");
    let letters = (0..).map(|n| b'a' + ((index + message + n) % 26) as u8);
    label.bytes().chain(letters).take(len).collect()
}

/// SplitMix64's finalizer over two numbers: well spread, and the same on every run.
fn mix(a: usize, b: usize) -> usize {
    let mut z = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b as u64;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as usize
}

/// Exchanges that should complete: every message of a complete connection, the ones before
/// `at` of a vanishing one.
fn expected_exchanges() -> usize {
    (0..CONNECTIONS).map(|index| ending(index).vanishes_at().unwrap_or(MESSAGES)).sum()
}

/// A connected client socket for the runtime, with `SO_LINGER` 0 if it is to end in a reset.
///
/// It is made by `std` because Clockwork's `TcpStream` does not expose its descriptor. The
/// blocking `connect` returns at once on loopback: the kernel completes the handshake in the
/// listener's backlog (1,024 places, far more than `CONCURRENT`) before the server accepts.
fn std_client(addr: std::net::SocketAddr, reset: bool) -> std::net::TcpStream {
    let stream = std::net::TcpStream::connect(addr).expect("connect to the server");
    if reset {
        socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO)).expect("SO_LINGER");
    }
    stream.set_nodelay(true).expect("TCP_NODELAY");
    stream.set_nonblocking(true).expect("nonblocking, for the runtime");
    stream
}

macro_rules! soak {
    ($test:ident, $on:ident, $runtime:expr) => {
        #[test]
        fn $test() {
            use clockwork_demos::$on::http::{User, client, server};
            use clockwork_demos::$on::rt;
            use rt::io::AsyncWriteExt;
            use rt::net::{TcpListener, TcpStream};

            /// Works through connections `first`, `first + CONCURRENT`, ...; returns how many
            /// exchanges completed.
            async fn client_task(addr: std::net::SocketAddr, first: usize) -> usize {
                let mut exchanges = 0;
                for index in (first..CONNECTIONS).step_by(CONCURRENT) {
                    exchanges += connection(addr, index).await;
                }
                exchanges
            }

            /// Connection `index` from start to end; every reply is checked byte for byte.
            async fn connection(addr: std::net::SocketAddr, index: usize) -> usize {
                let ending = ending(index);
                let reset = matches!(ending, Ending::Reset { .. });
                let stream = TcpStream::from_std(std_client(addr, reset)).unwrap();
                let mut connection = client::Connection::new(stream);
                for message in 0..MESSAGES {
                    if ending.vanishes_at() == Some(message) {
                        // Send part of the request, then drop the stream: FIN, or RST.
                        let (request, cut) = request(index, message);
                        connection.stream().write_all(&request[..cut]).await.unwrap();
                        return message;
                    }
                    let body = body(index, message);
                    let reply = connection.echo(&body).await.unwrap();
                    let context = format!("connection {index}, message {message}");
                    assert_eq!(reply.status, 200, "{context}");
                    assert!(reply.body.as_bytes() == body, "{context}: the echo differs");
                }
                MESSAGES
            }

            $runtime.block_on(async {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                let server = rt::spawn(server::serve(listener));
                let started = std::time::Instant::now();

                let tasks: Vec<_> =
                    (0..CONCURRENT).map(|first| rt::spawn(client_task(addr, first))).collect();
                let mut exchanges = 0;
                for task in tasks {
                    exchanges += task.await.expect("a client task failed its checks");
                }
                assert_eq!(
                    exchanges,
                    expected_exchanges(),
                    "every exchange not abandoned completes"
                );
                println!(
                    "{CONNECTIONS} connections, {exchanges} exchanges in {:?}",
                    started.elapsed()
                );

                // Afterwards the server still answers, on a new connection.
                let user: User = client::get_json(addr, "/users/9").await.unwrap();
                assert_eq!(user, User { id: 9, name: "User 9".to_string() });
                server.abort();
            });
        }
    };
}

soak!(soak_on_clockwork, on_clockwork, clockwork::runtime::Runtime::new().unwrap());

soak!(
    soak_on_tokio,
    on_tokio,
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
);
