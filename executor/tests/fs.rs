//! `clockwork::fs`: the free functions, `File`'s one-operation-in-flight protocol, and writes
//! that are not lost when the runtime goes away.

use std::io::{ErrorKind, SeekFrom};
use std::os::unix::fs::PermissionsExt;
use std::sync::mpsc;

use clockwork::fs::{self, DirBuilder, File, OpenOptions};
use clockwork::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use clockwork::runtime::Builder;
use futures::FutureExt;

#[clockwork::test]
async fn write_then_read_round_trips_through_the_pool() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("round-trip.txt");
    fs::write(&path, "over the pool").await.unwrap();
    assert_eq!(fs::read(&path).await.unwrap(), b"over the pool");
    assert_eq!(fs::read_to_string(&path).await.unwrap(), "over the pool");
    assert_eq!(fs::metadata(&path).await.unwrap().len(), 13);
}

#[clockwork::test]
async fn the_path_functions_do_what_std_does() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    fs::write(&original, b"data").await.unwrap();

    assert_eq!(fs::copy(&original, dir.path().join("copy")).await.unwrap(), 4);
    fs::hard_link(&original, dir.path().join("hard")).await.unwrap();
    fs::symlink(&original, dir.path().join("soft")).await.unwrap();
    assert_eq!(fs::read_link(dir.path().join("soft")).await.unwrap(), original);
    let soft = fs::symlink_metadata(dir.path().join("soft")).await.unwrap();
    assert!(soft.file_type().is_symlink(), "symlink_metadata does not follow the link");
    assert!(fs::metadata(dir.path().join("soft")).await.unwrap().is_file(), "metadata does");
    let canonical = fs::canonicalize(dir.path().join("soft")).await.unwrap();
    assert_eq!(canonical, std::fs::canonicalize(&original).unwrap());

    fs::rename(dir.path().join("copy"), dir.path().join("moved")).await.unwrap();
    assert!(!fs::try_exists(dir.path().join("copy")).await.unwrap());
    assert!(fs::try_exists(dir.path().join("moved")).await.unwrap());
    fs::remove_file(dir.path().join("moved")).await.unwrap();
    let gone = fs::read(dir.path().join("moved")).await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
}

#[clockwork::test]
async fn directories_are_built_listed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    assert!(fs::create_dir(&nested).await.is_err(), "create_dir needs the parent");
    DirBuilder::new().recursive(true).mode(0o700).create(&nested).await.unwrap();
    let mode = fs::metadata(&nested).await.unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);

    // More entries than one job reads (32), so the listing takes several jobs.
    for n in 0..40 {
        std::fs::write(dir.path().join(format!("file-{n:02}")), b"").unwrap();
    }
    let mut entries = fs::read_dir(dir.path()).await.unwrap();
    let mut names = Vec::new();
    while let Some(entry) = entries.next_entry().await.unwrap() {
        assert_eq!(entry.path(), dir.path().join(entry.file_name()));
        names.push(entry.file_name().into_string().unwrap());
    }
    names.sort();
    assert_eq!(names.len(), 41, "40 files and the directory `a`");
    assert_eq!(names[0], "a");
    assert_eq!(names[40], "file-39");
    assert!(entries.next_entry().await.unwrap().is_none(), "the end stays the end");

    fs::remove_dir_all(dir.path().join("a")).await.unwrap();
    assert!(!fs::try_exists(dir.path().join("a")).await.unwrap());
}

#[clockwork::test]
async fn a_write_is_only_known_to_be_done_once_flushed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("written");
    let mut file = File::create(&path).await.unwrap();
    let taken = file.write(b"accepted before written").await.unwrap();
    assert_eq!(taken, 23, "poll_write answers as soon as the job holds the bytes");
    file.flush().await.unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"accepted before written");
}

#[clockwork::test]
async fn a_failed_write_is_reported_by_the_flush() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("read-only");
    std::fs::write(&path, b"").unwrap();
    let mut file = File::open(&path).await.unwrap(); // opened for reading only
    let taken = file.write(b"nope").await;
    assert!(taken.is_ok(), "the write is accepted before it runs");
    let flushed = file.flush().await.unwrap_err();
    assert_eq!(flushed.raw_os_error(), Some(libc::EBADF));
    file.flush().await.unwrap(); // reported once
}

#[clockwork::test]
async fn bytes_read_ahead_do_not_move_the_writers_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten");
    std::fs::write(&path, b"0123456789").unwrap();
    let mut file = OpenOptions::new().read(true).write(true).open(&path).await.unwrap();

    // A read of 10 bytes starts, and its future is dropped before the job ends: the job still
    // reads all 10 into the file's buffer. Two of them are handed to the next read.
    let mut ten = [0; 10];
    assert!(file.read(&mut ten).now_or_never().is_none(), "the job is on the pool");
    let mut two = [0; 2];
    assert_eq!(file.read(&mut two).await.unwrap(), 2);
    assert_eq!(&two, b"01");

    // The OS's position is 10, the reader's is 2: seeks and writes start from the reader's.
    assert_eq!(file.stream_position().await.unwrap(), 2);
    file.write_all(b"ab").await.unwrap();
    file.flush().await.unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"01ab456789");
    assert_eq!(file.seek(SeekFrom::End(-1)).await.unwrap(), 9);
}

#[clockwork::test]
async fn the_ampersand_self_methods_wait_for_the_operation_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sized");
    let mut file = File::create(&path).await.unwrap();
    file.write_all(b"0123456789").await.unwrap(); // still in flight, maybe
    file.set_len(4).await.unwrap(); // after the write, not before it
    file.sync_all().await.unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"0123");

    let mut clone = file.try_clone().await.unwrap();
    clone.seek(SeekFrom::Start(1)).await.unwrap();
    assert_eq!(file.stream_position().await.unwrap(), 1, "a clone shares the position");
    assert_eq!(file.metadata().await.unwrap().len(), 4);
    let std_file = file.into_std().await;
    assert_eq!(std_file.metadata().unwrap().len(), 4);
}

#[clockwork::test]
async fn max_buf_size_caps_one_operation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capped");
    let mut file = File::create(&path).await.unwrap();
    file.set_max_buf_size(3);
    assert_eq!(file.write(b"abcdef").await.unwrap(), 3);
    file.write_all(b"def").await.unwrap();
    file.flush().await.unwrap();
    let mut file = File::open(&path).await.unwrap();
    file.set_max_buf_size(4);
    let mut buf = [0; 16];
    assert_eq!(file.read(&mut buf).await.unwrap(), 4);
    assert_eq!(&buf[..4], b"abcd");
}

#[test]
#[should_panic(expected = "`max_buf_size` must be greater than 0")]
fn a_zero_max_buf_size_panics() {
    let file = tempfile::tempfile().unwrap();
    File::from_std(file).set_max_buf_size(0);
}

#[clockwork::test]
async fn create_new_refuses_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exists");
    File::create_new(&path).await.unwrap();
    let second = File::create_new(&path).await.unwrap_err();
    assert_eq!(second.kind(), ErrorKind::AlreadyExists);
}

/// The runtime shuts down while the write's job waits for the only pool thread: the closed
/// pool still runs its queue, so the bytes land once the thread is free. (Were no thread left,
/// the pool would drop the job, and its guard would write the bytes there and then.)
#[test]
fn an_accepted_write_survives_the_runtime_shutting_down() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("survivor");
    let (stopped, thread_stopped) = mpsc::channel();
    let runtime = Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(1)
        .on_thread_stop(move || {
            let _ = stopped.send(());
        })
        .build()
        .unwrap();
    let (release, blocked) = mpsc::channel::<()>();
    runtime.block_on(async {
        let mut file = File::create(&path).await.unwrap();
        // The pool's one thread is busy until the test releases it.
        let (started, running) = clockwork::sync::oneshot::channel();
        drop(clockwork::task::spawn_blocking(move || {
            started.send(()).unwrap();
            blocked.recv()
        }));
        running.await.unwrap();
        assert_eq!(file.write(b"not lost").await.unwrap(), 8, "accepted, queued behind");
        drop(file);
    });
    drop(runtime);
    release.send(()).unwrap();
    // The pool's one thread ran the queued write, found the queue empty and the pool closed,
    // and stopped.
    thread_stopped.recv().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"not lost");
}

/// On a runtime whose pool is gone, every operation fails with an error, and none panics.
#[test]
fn operations_on_a_dead_pool_fail_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dead");
    std::fs::write(&path, b"some bytes").unwrap();
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let handle = runtime.handle().clone();
    runtime.shutdown_timeout(std::time::Duration::ZERO);
    let _entered = handle.enter();
    let std_file = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
    let mut file = File::from_std(std_file);
    let mut buf = [0; 4];
    for _ in 0..2 {
        let read = file.read(&mut buf).now_or_never().expect("a dead pool answers at once");
        assert_eq!(read.unwrap_err().kind(), ErrorKind::Other);
    }
    let position = file.seek(SeekFrom::Start(0)).now_or_never().expect("answered at once");
    assert!(position.is_err());
}
