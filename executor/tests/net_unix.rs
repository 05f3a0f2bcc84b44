//! Unix-domain sockets on Clockwork: streams, listeners and datagrams, as in `tokio::net`.

use std::io::ErrorKind;
use std::path::PathBuf;

use clockwork::io::{AsyncReadExt, AsyncWriteExt};
use clockwork::net::{UnixDatagram, UnixListener, UnixStream};

/// A socket path that no other test (or earlier run) uses.
fn socket_path(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("clockwork-{}-{name}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[clockwork::test]
async fn a_pair_talks_both_ways() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    a.write_all(b"ping").await.unwrap();
    let mut buf = [0; 4];
    b.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"ping");
    b.write_all(b"pong").await.unwrap();
    a.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"pong");
}

#[clockwork::test]
async fn a_listener_accepts_a_connection_by_path() {
    let path = socket_path("listen");
    let listener = UnixListener::bind(&path).unwrap();
    assert_eq!(listener.local_addr().unwrap().as_pathname(), Some(path.as_path()));
    let client = clockwork::spawn({
        let path = path.clone();
        async move {
            let mut stream = UnixStream::connect(&path).await.unwrap();
            stream.write_all(b"over a path").await.unwrap();
        }
    });
    let (mut server, _) = listener.accept().await.unwrap();
    let mut text = String::new();
    server.read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "over a path");
    client.await.unwrap();
    std::fs::remove_file(&path).unwrap();
}

#[clockwork::test]
async fn connecting_to_a_path_nobody_listens_on_fails() {
    let path = socket_path("nobody");
    let error = UnixStream::connect(&path).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
}

#[clockwork::test]
async fn split_halves_read_and_write_at_once() {
    let (mut a, b) = UnixStream::pair().unwrap();
    let (mut read_half, mut write_half) = a.split();
    let (mut b_read, mut b_write) = b.into_split();
    let echo = clockwork::spawn(async move {
        let mut buf = [0; 5];
        b_read.read_exact(&mut buf).await.unwrap();
        b_write.write_all(&buf).await.unwrap();
    });
    write_half.write_all(b"hello").await.unwrap();
    let mut echoed = [0; 5];
    read_half.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"hello");
    echo.await.unwrap();
}

#[clockwork::test]
async fn peer_cred_names_this_process_s_user() {
    let (a, _b) = UnixStream::pair().unwrap();
    let credentials = a.peer_cred().unwrap();
    assert_eq!(credentials.pid(), Some(std::process::id() as i32));
    // A file this process creates belongs to its user: the same uid the peer has.
    let marker = socket_path("owner");
    std::fs::write(&marker, b"").unwrap();
    let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&marker).unwrap());
    std::fs::remove_file(&marker).unwrap();
    assert_eq!(credentials.uid(), owner);
}

#[clockwork::test]
async fn datagrams_keep_their_boundaries_and_say_who_sent_them() {
    let server_path = socket_path("dgram-server");
    let client_path = socket_path("dgram-client");
    let server = UnixDatagram::bind(&server_path).unwrap();
    let client = UnixDatagram::bind(&client_path).unwrap();
    client.send_to(b"first", &server_path).await.unwrap();
    client.send_to(b"second", &server_path).await.unwrap();
    let mut buf = [0; 16];
    let (len, sender) = server.recv_from(&mut buf).await.unwrap();
    assert_eq!(&buf[..len], b"first", "one datagram per receive");
    assert_eq!(sender.as_pathname(), Some(client_path.as_path()));
    let len = server.recv(&mut buf).await.unwrap();
    assert_eq!(&buf[..len], b"second");
    std::fs::remove_file(&server_path).unwrap();
    std::fs::remove_file(&client_path).unwrap();
}

#[clockwork::test]
async fn a_datagram_pair_tries_without_waiting() {
    let (a, b) = UnixDatagram::pair().unwrap();
    let mut buf = [0; 8];
    assert_eq!(b.try_recv(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    assert_eq!(a.try_send(b"now").unwrap(), 3);
    b.readable().await.unwrap();
    assert_eq!(b.try_recv(&mut buf).unwrap(), 3);
}

#[cfg(target_os = "linux")]
#[clockwork::test]
async fn an_abstract_name_needs_no_file() {
    let name = format!("\0clockwork-abstract-{}", std::process::id());
    let listener = UnixListener::bind(&name).unwrap();
    let connect = clockwork::spawn(async move { UnixStream::connect(&name).await.map(drop) });
    listener.accept().await.unwrap();
    connect.await.unwrap().unwrap();
}
