//! A panic caused by a wrong argument names the caller's line, not Clockwork's, as tokio's do
//! (`#[track_caller]`); and a runtime may be used again after a panic is caught.

mod util;

use std::panic::{self, RefUnwindSafe, UnwindSafe};

use clockwork::io::{self, ReadBuf};
use util::rt;

/// Runs `f`, which must panic, and returns the file its panic names.
fn panic_file(f: impl FnOnce() + UnwindSafe) -> String {
    util::caught_panic(f).1
}

#[test]
fn zero_sized_pipes_and_buffers_point_at_the_caller() {
    assert_eq!(panic_file(|| drop(io::duplex(0))), file!());
    assert_eq!(panic_file(|| drop(io::simplex(0))), file!());
    assert_eq!(panic_file(|| drop(io::SimplexStream::new_unsplit(0))), file!());
    assert_eq!(panic_file(|| drop(io::BufReader::with_capacity(0, io::empty()))), file!());
    assert_eq!(panic_file(|| drop(io::BufStream::with_capacity(0, 1, io::duplex(1).0))), file!());
    assert_eq!(panic_file(|| drop(clockwork::sync::mpsc::channel::<u8>(0))), file!());
}

#[test]
fn read_buf_overflows_point_at_the_caller() {
    let overflow = |f: fn(&mut ReadBuf<'_>)| {
        move || {
            let mut bytes = [0u8; 1];
            f(&mut ReadBuf::new(&mut bytes));
        }
    };
    assert_eq!(panic_file(overflow(|buf| buf.advance(2))), file!());
    assert_eq!(panic_file(overflow(|buf| buf.set_filled(2))), file!());
    assert_eq!(panic_file(overflow(|buf| buf.put_slice(&[1, 2]))), file!());
    assert_eq!(
        panic_file(overflow(|buf| {
            let _ = buf.initialize_unfilled_to(2);
        })),
        file!()
    );
}

#[test]
fn unsplitting_halves_of_two_streams_points_at_the_caller() {
    let file = panic_file(|| {
        let (read, _) = io::split(io::empty());
        let (_, write) = io::split(io::empty());
        let _ = read.unsplit(write);
    });
    assert_eq!(file, file!());
}

#[test]
fn pausing_twice_and_resuming_a_running_clock_point_at_the_caller() {
    // A current-thread runtime: on a multi-thread one (`rt()`), the first `pause` panics.
    let runtime = clockwork::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    assert_eq!(panic_file(|| runtime.block_on(async { clockwork::time::resume() })), file!());
    let twice = || {
        runtime.block_on(async {
            clockwork::time::pause();
            clockwork::time::pause();
        })
    };
    let (message, file) = util::caught_panic(twice);
    assert!(message.contains("already paused"), "the second pause is the one refused: {message}");
    assert_eq!(file, file!());
}

#[test]
fn a_runtime_is_usable_after_a_caught_panic() {
    fn ref_unwind_safe<T: RefUnwindSafe>(_: &T) {}
    let runtime = rt();
    ref_unwind_safe(&runtime);
    let caught = panic::catch_unwind(|| {
        runtime.block_on(async {
            clockwork::spawn(async { 1 });
            panic!("the block_on future panics");
        })
    });
    assert!(caught.is_err());
    let answer = runtime.block_on(async { clockwork::spawn(async { 6 * 7 }).await.unwrap() });
    assert_eq!(answer, 42);
}
