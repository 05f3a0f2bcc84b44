//! `read_dir`: the entries of a directory, fetched from the blocking pool a chunk at a time.
//!
//! `std::fs::ReadDir` is an iterator whose every `next` may block (`getdents64(2)` reads the
//! directory from the disk). One job per entry would cost a thread hand-off per entry, so, as
//! tokio does, a job reads up to [`CHUNK`] entries at once, and [`ReadDir::next_entry`] hands
//! them out from a queue until it runs dry:
//!
//! ```text
//!   Idle { queue, iter, more } --queue empty, more--> Busy(job: fill the queue from iter)
//!            ^                                              |
//!            +--------------- the job ends -----------------+
//! ```

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::{FileType, Metadata};
use std::future::{Future, poll_fn};
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use crate::fs::{asyncify, background_failed};
use crate::task::{JoinHandle, spawn_blocking};

/// How many entries one job on the pool reads.
const CHUNK: usize = 32;

/// The entries of the directory `path`, as [`std::fs::read_dir`]; the first chunk is read
/// with the directory's opening.
pub async fn read_dir(path: impl AsRef<Path>) -> io::Result<ReadDir> {
    let path = path.as_ref().to_owned();
    let first = asyncify(move || {
        let mut iter = std::fs::read_dir(path)?;
        Ok(Chunk::read(VecDeque::with_capacity(CHUNK), &mut iter).with(iter))
    });
    Ok(ReadDir { state: State::Idle(first.await?) })
}

/// The entries of a directory, from [`read_dir`].
#[derive(Debug)]
#[must_use = "a ReadDir does nothing unless `next_entry` is awaited"]
pub struct ReadDir {
    state: State,
}

/// Where the directory's iterator is.
#[derive(Debug)]
enum State {
    /// Here, with the entries read ahead.
    Idle(Chunk),
    /// Lent to a job that reads the next chunk; the chunk comes back with it.
    Busy(JoinHandle<Chunk>),
    /// A job failed to run; the iterator went with it, and every later call says so.
    Failed,
}

/// The entries read ahead, the iterator, and whether it may have more.
#[derive(Debug)]
struct Chunk {
    queue: VecDeque<io::Result<DirEntry>>,
    iter: Option<std::fs::ReadDir>,
    more: bool,
}

impl ReadDir {
    /// The next entry, or `None` after the last one. The order is the file system's.
    ///
    /// Cancel safe: an entry is only taken from the queue by the poll that returns it.
    pub async fn next_entry(&mut self) -> io::Result<Option<DirEntry>> {
        poll_fn(|cx| self.poll_next_entry(cx)).await
    }

    /// Polls for the next entry: `Ready(Ok(None))` after the last one. Only the waker of the
    /// last call is woken.
    pub fn poll_next_entry(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<DirEntry>>> {
        loop {
            match &mut self.state {
                State::Idle(chunk) => {
                    if let Some(entry) = chunk.queue.pop_front() {
                        return Poll::Ready(entry.map(Some));
                    }
                    if !chunk.more {
                        return Poll::Ready(Ok(None));
                    }
                    self.start_next_chunk();
                }
                State::Busy(job) => {
                    let joined = ready!(Pin::new(job).poll(cx));
                    match joined {
                        Ok(chunk) => self.state = State::Idle(chunk),
                        Err(join_error) => {
                            self.state = State::Failed;
                            return Poll::Ready(Err(background_failed(join_error)));
                        }
                    }
                }
                State::Failed => {
                    return Poll::Ready(Err(io::Error::other("the directory listing was lost")));
                }
            }
        }
    }

    /// Lends the (empty) queue and the iterator to a job that reads the next chunk.
    fn start_next_chunk(&mut self) {
        let State::Idle(chunk) = std::mem::replace(&mut self.state, State::Failed) else {
            unreachable!("a chunk is fetched only from Idle");
        };
        let Chunk { queue, iter, .. } = chunk;
        let mut iter = iter.expect("a listing that may have more keeps its iterator");
        let job = spawn_blocking(move || Chunk::read(queue, &mut iter).with(iter));
        self.state = State::Busy(job);
    }
}

impl Chunk {
    /// Reads up to [`CHUNK`] entries into `queue`, stopping early after an error (the caller
    /// sees it in order, then may go on). The answer says whether the iterator may have more.
    fn read(mut queue: VecDeque<io::Result<DirEntry>>, iter: &mut std::fs::ReadDir) -> Partial {
        for _ in 0..CHUNK {
            let Some(next) = iter.next() else {
                return Partial { queue, more: false };
            };
            let failed = next.is_err();
            queue.push_back(next.map(DirEntry::new));
            if failed {
                break;
            }
        }
        Partial { queue, more: true }
    }
}

/// A chunk before its iterator is put back with it.
struct Partial {
    queue: VecDeque<io::Result<DirEntry>>,
    more: bool,
}

impl Partial {
    /// The chunk, with the iterator kept only while it may have more.
    fn with(self, iter: std::fs::ReadDir) -> Chunk {
        let iter = if self.more { Some(iter) } else { None };
        Chunk { queue: self.queue, iter, more: self.more }
    }
}

/// One entry of a directory listing, from [`ReadDir::next_entry`].
#[derive(Debug, Clone)]
pub struct DirEntry {
    std: Arc<std::fs::DirEntry>,
    /// The entry's type, when the listing itself said (`d_type`, on most file systems), so
    /// that [`DirEntry::file_type`] needs no job.
    file_type: Option<FileType>,
}

impl DirEntry {
    /// Wraps `std`'s entry, noting its type while on the pool.
    fn new(std: std::fs::DirEntry) -> DirEntry {
        let file_type = std.file_type().ok();
        DirEntry { std: Arc::new(std), file_type }
    }

    /// The full path: the directory given to [`read_dir`] joined with the file name.
    pub fn path(&self) -> PathBuf {
        self.std.path()
    }

    /// The bare file name, without the directory.
    pub fn file_name(&self) -> OsString {
        self.std.file_name()
    }

    /// The entry's inode number, from the listing itself.
    #[cfg(unix)]
    pub fn ino(&self) -> u64 {
        std::os::unix::fs::DirEntryExt::ino(&*self.std)
    }

    /// The entry's metadata, not following a symbolic link, on the blocking pool.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let std = self.std.clone();
        asyncify(move || std.metadata()).await
    }

    /// The entry's type, not following a symbolic link: from the listing when it said, from
    /// the blocking pool otherwise.
    pub async fn file_type(&self) -> io::Result<FileType> {
        if let Some(file_type) = self.file_type {
            return Ok(file_type);
        }
        let std = self.std.clone();
        asyncify(move || std.file_type()).await
    }
}
