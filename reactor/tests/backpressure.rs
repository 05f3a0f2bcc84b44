//! Backpressure: 8 MiB through a slow reader, so the writer must wait for write readiness.

mod util;

use std::cell::{Cell, RefCell};
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use clockwork_reactor::net::{TcpListener, TcpStream};
use futures::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use util::{Runtime, yield_now};

const TOTAL_BYTES: usize = 8 * 1024 * 1024;
const READ_CHUNK: usize = 1024;

/// The byte at `position` of the stream: a pattern that catches lost or reordered chunks.
fn pattern(position: usize) -> u8 {
    (position % 251) as u8
}

/// A one-way gate: the reader waits on it until the writer has hit a full send buffer.
#[derive(Default)]
struct Gate {
    open: Cell<bool>,
    waiter: RefCell<Option<Waker>>,
}

impl Gate {
    fn open(&self) {
        self.open.set(true);
        if let Some(waker) = self.waiter.borrow_mut().take() {
            waker.wake();
        }
    }

    async fn wait(&self) {
        std::future::poll_fn(|cx| {
            if self.open.get() {
                return Poll::Ready(());
            }
            *self.waiter.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

/// Counts how often the inner writer returned `Pending` (its send buffer was full).
struct PendingCounter {
    inner: TcpStream,
    pendings: Rc<Cell<usize>>,
    gate: Rc<Gate>,
}

impl AsyncWrite for PendingCounter {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if result.is_pending() {
            self.pendings.set(self.pendings.get() + 1);
            self.gate.open();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

#[test]
fn eight_mebibytes_through_a_slow_reader() {
    let rt = Runtime::new();
    let pendings = Rc::new(Cell::new(0));
    let gate = Rc::new(Gate::default());
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("local_addr");

    let writer_pendings = pendings.clone();
    let writer_gate = gate.clone();
    let writer = rt.spawn(async move {
        let (stream, _peer) = listener.accept().await.expect("accept");
        let mut counted =
            PendingCounter { inner: stream, pendings: writer_pendings, gate: writer_gate.clone() };
        let data: Vec<u8> = (0..TOTAL_BYTES).map(pattern).collect();
        counted.write_all(&data).await.expect("write_all");
        counted.close().await.expect("close");
        // Never leave the reader waiting, so a writer that did not block fails an assertion
        // below instead of hanging the test.
        writer_gate.open();
    });

    let received = rt.block_on(async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        // Do not read until the writer has filled every buffer between us.
        gate.wait().await;
        let mut chunk = [0_u8; READ_CHUNK];
        let mut received = 0;
        loop {
            let read = stream.read(&mut chunk).await.expect("read");
            if read == 0 {
                break;
            }
            for (offset, byte) in chunk[..read].iter().enumerate() {
                assert_eq!(*byte, pattern(received + offset), "byte {}", received + offset);
            }
            received += read;
            // Slow: let the writer run (and find the buffer full again) after every chunk.
            yield_now().await;
        }
        received
    });
    rt.block_on(writer);
    assert_eq!(received, TOTAL_BYTES, "every byte arrived, in order");
    assert!(pendings.get() > 0, "the writer waited for write readiness at least once");
}
