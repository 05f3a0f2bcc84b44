//! `File`: an open file whose reads, writes and seeks run on the blocking pool, one at a time.
//!
//! A `File` lends its `std::fs::File` (shared in an `Arc`) and its [`Buf`] to one job on the
//! blocking pool at a time, and takes the buffer back when the job ends:
//!
// ANCHOR: diagram
//! ```text
//!              1: poll_read, nothing read ahead
//!              2: poll_write, poll_write_vectored
//!              3: start_seek, set_len
//!   Idle(buf) ──────────────────────────────────────► Busy(job, which owns buf)
//!       ▲                                                  │
//!       │ 5: the next poll of any kind takes buf back      │ 4: the job ends
//!       └──────────────────────────────────────────────────┘    on a pool thread
//! ```
// ANCHOR_END: diagram
//!
// ANCHOR: legend
//! 1. `AsyncRead::poll_read` -> `Inner::start`: the job reads into the buffer
//!    (`Buf::read_from`); bytes left over after this read are handed over by the next reads.
//! 2. `AsyncWrite::poll_write` -> `Inner::start_write`: the bytes are copied into the buffer,
//!    and `poll_write` answers `Ready(Ok(n))` *before* they are written; the job writes them
//!    (`Buf::write_to`). An error of that write is reported by the next write or flush.
//! 3. `AsyncSeek::start_seek`, `File::set_len` -> `Inner::start`: the job moves the position.
//! 4. The job answers `(Operation, Buf)` through its `JoinHandle`.
//! 5. `Inner::poll_idle`, from any poll method (or `complete_inflight`, for the `&self`
//!    methods): waits for the job, takes the buffer back, and says what the operation answered.
// ANCHOR_END: legend
//!
//! This is tokio's protocol, and its consequences are tokio's too.
//! A write is accepted before it is done, so `flush` (or `shutdown`) is what says that every
//! byte reached the file, and what reports an error.
//! A file dropped with a write in flight still completes the write: the job owns what it
//! needs, and it runs even if the runtime shuts down first (`fs::spawn_mandatory_blocking`).
//! Bytes read ahead into the buffer move the OS's position past the reader's, so a write or
//! seek after a read first moves the position back by that many bytes (`Buf::discard_read`).

mod buf;
mod fd;

use std::fs::{Metadata, Permissions};
use std::future::{Future, poll_fn};
use std::io::{self, IoSlice, Seek, SeekFrom};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::SystemTime;

use buf::Buf;

use crate::fs::{FileTimes, OpenOptions, asyncify, background_failed, spawn_mandatory_blocking};
use crate::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
use crate::sync::Mutex;
use crate::task::{JoinHandle, spawn_blocking};

/// The most bytes one job reads or writes unless [`File::set_max_buf_size`] says otherwise,
/// as tokio's default.
const DEFAULT_MAX_BUF_SIZE: usize = 2 * 1024 * 1024;

/// An open file, as `tokio::fs::File`: tokio's `AsyncRead`, `AsyncWrite` and `AsyncSeek` over
/// `std::fs::File`, each operation run on the blocking pool. See the module docs.
///
/// ```
/// use clockwork::fs::File;
/// use clockwork::io::{AsyncReadExt, AsyncWriteExt};
///
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("clockwork-file-doc-{}", std::process::id()));
/// let mut file = File::create(&path).await?;
/// file.write_all(b"hello, file").await?;
/// file.flush().await?; // the write is done, and its error (if any) reported, only now
///
/// let mut contents = String::new();
/// File::open(&path).await?.read_to_string(&mut contents).await?;
/// assert_eq!(contents, "hello, file");
/// # clockwork::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
pub struct File {
    std: Arc<std::fs::File>,
    /// Locked by the `&self` methods (`set_len`, `sync_all`, ...), which wait for the
    /// operation in flight; the poll methods have `&mut self` and reach it without a lock.
    inner: Mutex<Inner>,
    max_buf_size: usize,
}

/// The state machine of the module docs, and what it owes its callers.
#[derive(Debug)]
struct Inner {
    state: State,
    /// An error of a write that a read or a seek waited for: kept for the next write or flush.
    last_write_err: Option<io::Error>,
    /// The position the last seek answered, which `poll_complete` answers when no seek runs.
    pos: u64,
}

/// Where the buffer is.
#[derive(Debug)]
enum State {
    /// Here. It may hold bytes read ahead and not handed over yet.
    Idle(Buf),
    /// Lent to a job on the blocking pool; it comes back with the job's answer.
    Busy(JoinHandle<(Operation, Buf)>),
}

/// What a job did, and what it answered.
#[derive(Debug)]
enum Operation {
    Read(io::Result<usize>),
    /// A write, or a `set_len`: both change the file, and an error of either is reported by
    /// the next write or flush if nobody waited for it.
    Write(io::Result<()>),
    Seek(io::Result<u64>),
}

// === impl File ===

impl File {
    /// Opens the file `path` for reading; see [`OpenOptions`].
    pub async fn open(path: impl AsRef<Path>) -> io::Result<File> {
        File::options().read(true).open(path).await
    }

    /// Opens the file `path` for writing, creating it, or truncating it if it exists.
    pub async fn create(path: impl AsRef<Path>) -> io::Result<File> {
        File::options().write(true).create(true).truncate(true).open(path).await
    }

    /// Creates the file `path` for reading and writing, failing if it exists.
    pub async fn create_new(path: impl AsRef<Path>) -> io::Result<File> {
        File::options().read(true).write(true).create_new(true).open(path).await
    }

    /// Options for opening a file, all off: `OpenOptions::new()`.
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }

    /// Wraps a file opened by `std` (which blocked the thread that opened it).
    pub fn from_std(std: std::fs::File) -> File {
        let inner = Inner { state: State::Idle(Buf::default()), last_write_err: None, pos: 0 };
        File { std: Arc::new(std), inner: Mutex::new(inner), max_buf_size: DEFAULT_MAX_BUF_SIZE }
    }

    /// Waits for the operation in flight, then flushes the file's data and metadata to the
    /// disk (`fsync(2)`).
    pub async fn sync_all(&self) -> io::Result<()> {
        self.inner.lock().await.complete_inflight().await;
        let std = self.std.clone();
        asyncify(move || std.sync_all()).await
    }

    /// Like [`File::sync_all`], but may skip metadata the data does not need
    /// (`fdatasync(2)`).
    pub async fn sync_data(&self) -> io::Result<()> {
        self.inner.lock().await.complete_inflight().await;
        let std = self.std.clone();
        asyncify(move || std.sync_data()).await
    }

    /// Truncates or extends the file to `size` bytes (new bytes are zeros), after the
    /// operation in flight.
    ///
    /// If this future is dropped before it ends, the change still happens, and an error of it
    /// is reported by the next write or flush, as a write's would be.
    pub async fn set_len(&self, size: u64) -> io::Result<()> {
        let mut inner = self.inner.lock().await;
        inner.complete_inflight().await;
        let rewind = inner.buf_mut().discard_read();
        let std = self.std.clone();
        let job = move |_: &mut Buf| {
            Operation::Write(seek_by(&std, rewind).and_then(|()| std.set_len(size)))
        };
        // Mandatory, as a write: the doc above promises the change happens even if this
        // future is dropped, and a runtime shutting down must not drop it either.
        inner.start_write(job);
        match poll_fn(|cx| inner.poll_idle(cx)).await? {
            Some(Operation::Write(resized)) => resized,
            other => unreachable!("set_len waited for its own job, and found {other:?}"),
        }
    }

    /// The file's metadata (`fstat(2)`), on the pool; does not wait for the operation in
    /// flight, as tokio's does not.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let std = self.std.clone();
        asyncify(move || std.metadata()).await
    }

    /// A second `File` for the same open file (`dup(2)`), after the operation in flight:
    /// reads, writes and seeks through either move the same position.
    pub async fn try_clone(&self) -> io::Result<File> {
        self.inner.lock().await.complete_inflight().await;
        let std = self.std.clone();
        let duplicate = asyncify(move || std.try_clone()).await?;
        let mut clone = File::from_std(duplicate);
        clone.set_max_buf_size(self.max_buf_size);
        Ok(clone)
    }

    /// Waits for the operation in flight, then hands the `std::fs::File` over.
    ///
    /// Bytes read ahead are lost (the position is past them), and so is an error of a write
    /// that nobody flushed, as in tokio.
    pub async fn into_std(mut self) -> std::fs::File {
        self.inner.get_mut().complete_inflight().await;
        match Arc::try_unwrap(self.std) {
            Ok(std) => std,
            // The job of a future that was dropped (`metadata`, say) still holds the file. A
            // duplicate of the descriptor is the same open file, with the same position.
            Err(shared) => shared.try_clone().expect("into_std: could not duplicate the file"),
        }
    }

    /// The `std::fs::File` at once, or `Err(self)` while a job on the pool still holds it.
    #[allow(clippy::result_large_err)]
    pub fn try_into_std(self) -> Result<std::fs::File, File> {
        let File { std, inner, max_buf_size } = self;
        Arc::try_unwrap(std).map_err(|std| File { std, inner, max_buf_size })
    }

    /// Changes the file's permissions (`fchmod(2)`), on the pool.
    pub async fn set_permissions(&self, permissions: Permissions) -> io::Result<()> {
        let std = self.std.clone();
        asyncify(move || std.set_permissions(permissions)).await
    }

    /// Changes the file's access and modification times, after the operation in flight (so
    /// that a write still running cannot change them afterwards).
    pub async fn set_times(&self, times: FileTimes) -> io::Result<()> {
        self.inner.lock().await.complete_inflight().await;
        let std = self.std.clone();
        asyncify(move || std.set_times(times)).await
    }

    /// Changes the file's modification time; see [`File::set_times`].
    pub async fn set_modified(&self, time: SystemTime) -> io::Result<()> {
        self.set_times(FileTimes::new().set_modified(time)).await
    }

    /// The most bytes one job on the pool reads or writes (2 MiB unless set): a larger
    /// `write_all` becomes several jobs.
    ///
    /// # Panics
    ///
    /// Panics if `max_buf_size` is 0.
    #[track_caller]
    pub fn set_max_buf_size(&mut self, max_buf_size: usize) {
        assert!(max_buf_size > 0, "`max_buf_size` must be greater than 0");
        self.max_buf_size = max_buf_size;
    }

    /// The most bytes one job reads or writes; see [`File::set_max_buf_size`].
    pub fn max_buf_size(&self) -> usize {
        self.max_buf_size
    }

    /// Copies up to `max_buf_size` bytes with `fill`, and starts the job that writes them:
    /// `poll_write` and `poll_write_vectored` are this, with different `fill`s.
    fn poll_write_with(
        &mut self,
        cx: &mut Context<'_>,
        fill: impl FnOnce(&mut Buf, usize) -> usize,
    ) -> Poll<io::Result<usize>> {
        let inner = self.inner.get_mut();
        if let Some(error) = inner.last_write_err.take() {
            return Poll::Ready(Err(error));
        }
        // The operation in flight ends first; an error of a write is ours to report.
        if let Some(Operation::Write(Err(error))) = ready!(inner.poll_idle(cx))? {
            return Poll::Ready(Err(error));
        }
        let buf = inner.buf_mut();
        let rewind = buf.discard_read();
        let taken = fill(buf, self.max_buf_size);
        let std = self.std.clone();
        inner.start_write(move |buf| {
            Operation::Write(seek_by(&std, rewind).and_then(|()| buf.write_to(&std)))
        });
        Poll::Ready(Ok(taken))
    }
}

// === impl Inner ===

impl Inner {
    /// The buffer, which is here whenever no job runs.
    fn buf_mut(&mut self) -> &mut Buf {
        match &mut self.state {
            State::Idle(buf) => buf,
            State::Busy(_) => unreachable!("the buffer is used only between jobs"),
        }
    }

    /// Lends the buffer to `job` on the blocking pool.
    fn start(&mut self, job: impl FnOnce(&mut Buf) -> Operation + Send + 'static) {
        let mut buf = std::mem::take(self.buf_mut());
        self.state = State::Busy(spawn_blocking(move || (job(&mut buf), buf)));
    }

    /// [`Inner::start`] for a write, which has been accepted already and so must not be lost.
    fn start_write(&mut self, job: impl FnOnce(&mut Buf) -> Operation + Send + 'static) {
        let mut buf = std::mem::take(self.buf_mut());
        self.state = State::Busy(spawn_mandatory_blocking(move || (job(&mut buf), buf)));
    }

    // ANCHOR: poll_idle
    /// Arrow 5 of the diagram: waits for the job in flight, takes the buffer back, and answers
    /// what the operation answered (`None` when no job ran).
    ///
    /// A job that did not run to its end (its runtime shut down) took the buffer with it: the
    /// file goes back to `Idle` with an empty one and the caller gets an error, so that every
    /// later call still works, or fails, without panicking.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Operation>>> {
        let State::Busy(job) = &mut self.state else {
            return Poll::Ready(Ok(None));
        };
        let joined = ready!(Pin::new(job).poll(cx));
        let (operation, buf) = match joined {
            Ok(answer) => answer,
            Err(join_error) => {
                self.state = State::Idle(Buf::default());
                return Poll::Ready(Err(background_failed(join_error)));
            }
        };
        self.state = State::Idle(buf);
        if let Operation::Seek(Ok(pos)) = operation {
            self.pos = pos;
        }
        Poll::Ready(Ok(Some(operation)))
    }
    // ANCHOR_END: poll_idle

    /// Waits for the operation in flight, and reports an error of a write (or of an earlier
    /// one that a read or seek waited for).
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(error) = self.last_write_err.take() {
            return Poll::Ready(Err(error));
        }
        match ready!(self.poll_idle(cx))? {
            Some(Operation::Write(written)) => Poll::Ready(written),
            _ => Poll::Ready(Ok(())),
        }
    }

    /// For the `&self` methods: waits for the operation in flight, keeping an error of a write
    /// for the next write or flush.
    async fn complete_inflight(&mut self) {
        if let Err(error) = poll_fn(|cx| self.poll_flush(cx)).await {
            self.last_write_err = Some(error);
        }
    }
}

/// On the pool: moves the position by `offset` (back over bytes read ahead); nothing for 0.
fn seek_by(mut std: &std::fs::File, offset: i64) -> io::Result<()> {
    if offset != 0 {
        std.seek(SeekFrom::Current(offset))?;
    }
    Ok(())
}

// === impl AsyncRead, AsyncWrite, AsyncSeek for File ===

// ANCHOR: poll_read
impl AsyncRead for File {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        dst: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let me = self.get_mut();
        let inner = me.inner.get_mut();
        loop {
            match ready!(inner.poll_idle(cx))? {
                Some(Operation::Read(read)) => {
                    // Our read ended: hand over what it read (nothing at the end of the file).
                    read?;
                    inner.buf_mut().copy_to(dst);
                    return Poll::Ready(Ok(()));
                }
                Some(Operation::Write(Err(error))) => inner.last_write_err = Some(error),
                Some(_) | None => {}
            }
            // Idle: hand over bytes read ahead, or answer an empty read at once, as tokio does.
            let buf = inner.buf_mut();
            if !buf.is_empty() || dst.remaining() == 0 {
                buf.copy_to(dst);
                return Poll::Ready(Ok(()));
            }
            let len = dst.remaining().min(me.max_buf_size);
            let std = me.std.clone();
            inner.start(move |buf| Operation::Read(buf.read_from(&std, len)));
        }
    }
}
// ANCHOR_END: poll_read

impl AsyncWrite for File {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        src: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_with(cx, |buf, max| buf.copy_from(src, max))
    }

    /// One job for the slices together, up to `max_buf_size` bytes.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_with(cx, |buf, max| buf.copy_from_bufs(bufs, max))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    /// Waits for the write in flight and reports its error; it does not `fsync` (see
    /// [`File::sync_all`]).
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.get_mut().poll_flush(cx)
    }

    /// Flushes: a file has nothing else to shut down.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

impl AsyncSeek for File {
    /// Starts the seek on the pool; fails if another operation is in flight (call
    /// `poll_complete` first, as `AsyncSeekExt::seek` does).
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        let me = self.get_mut();
        let inner = me.inner.get_mut();
        if let State::Busy(_) = inner.state {
            let message = "other file operation is pending, call poll_complete before start_seek";
            return Err(io::Error::other(message));
        }
        // The OS's position is past the bytes read ahead: a relative seek starts from the
        // reader's position, so it goes back over them too.
        let rewind = inner.buf_mut().discard_read();
        let (first, position) = match position {
            SeekFrom::Current(offset) => match offset.checked_add(rewind) {
                Some(offset) => (0, SeekFrom::Current(offset)),
                None => (rewind, position),
            },
            absolute => (0, absolute),
        };
        let std = me.std.clone();
        inner.start(move |_| {
            Operation::Seek(seek_by(&std, first).and_then(|()| (&*std).seek(position)))
        });
        Ok(())
    }

    /// Waits for the seek and answers the new position; with no seek in flight, the position
    /// the last seek answered.
    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let inner = self.get_mut().inner.get_mut();
        loop {
            match ready!(inner.poll_idle(cx))? {
                None => return Poll::Ready(Ok(inner.pos)),
                Some(Operation::Seek(position)) => return Poll::Ready(position),
                Some(Operation::Write(Err(error))) => inner.last_write_err = Some(error),
                Some(_) => {}
            }
        }
    }
}
