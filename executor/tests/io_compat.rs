//! Between the two dialects: `Compat` both ways, and sockets that speak both.

use std::io::{Cursor, SeekFrom};

use clockwork::io::compat::CompatExt;
use clockwork::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};
use clockwork::net::{TcpListener, TcpStream};

#[clockwork::test]
async fn a_tokio_reader_and_writer_speak_futures_io_in_compat() {
    use futures::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

    let mut reader = (&b"tokio-shaped"[..]).compat();
    let mut text = String::new();
    AsyncReadExt::read_to_string(&mut reader, &mut text).await.unwrap();
    assert_eq!(text, "tokio-shaped");

    let mut cursor = Cursor::new(Vec::new()).compat();
    AsyncWriteExt::write_all(&mut cursor, b"0123").await.unwrap();
    AsyncWriteExt::close(&mut cursor).await.unwrap();
    assert_eq!(AsyncSeekExt::seek(&mut cursor, SeekFrom::Start(1)).await.unwrap(), 1);
    assert_eq!(cursor.get_ref().position(), 1);
}

#[clockwork::test]
async fn a_futures_reader_and_writer_speak_tokio_in_compat() {
    let mut reader = futures::io::Cursor::new(b"futures-shaped".to_vec()).compat();
    let mut text = String::new();
    reader.read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "futures-shaped");
    assert_eq!(reader.seek(SeekFrom::Start(8)).await.unwrap(), 8);
    assert_eq!(reader.read_u8().await.unwrap(), b's');

    let mut writer = futures::io::Cursor::new(Vec::new()).compat();
    writer.write_u16(0x4142).await.unwrap();
    writer.shutdown().await.unwrap();
    assert_eq!(writer.into_inner().into_inner(), b"AB");
}

#[clockwork::test]
async fn a_tcp_stream_implements_both_dialects_without_a_wrapper() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let client = clockwork::spawn(async move {
        let mut stream = TcpStream::connect(address).await.unwrap();
        futures::AsyncWriteExt::write_all(&mut stream, b"via futures").await.unwrap();
        futures::AsyncWriteExt::close(&mut stream).await.unwrap();
    });
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut received = String::new();
    stream.read_to_string(&mut received).await.unwrap();
    assert_eq!(received, "via futures", "written with futures-io, read with tokio's traits");
    client.await.unwrap();
}
