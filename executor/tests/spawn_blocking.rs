//! `spawn_blocking`: results, panics, and paused time that waits for a running job.

use std::sync::mpsc;
use std::time::Duration;

use clockwork::time::{Instant, sleep};

#[clockwork::test]
async fn the_result_comes_back_through_the_join_handle() {
    let runtime_thread = std::thread::current().id();
    let (value, job_thread) =
        clockwork::spawn_blocking(|| (6 * 7, std::thread::current().id())).await.unwrap();
    assert_eq!(value, 42);
    assert_ne!(job_thread, runtime_thread, "the job ran on a pool thread");
}

#[clockwork::test]
async fn a_panicking_job_is_a_panicking_join_error() {
    // Keep the intentional panic's message off stderr.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let error = clockwork::spawn_blocking(|| panic!("job failed")).await.unwrap_err();
    std::panic::set_hook(hook);
    assert!(error.is_panic());
    assert_eq!(*error.into_panic().downcast::<&str>().unwrap(), "job failed");
}

#[clockwork::test]
async fn many_jobs_finish_while_the_runtime_is_parked() {
    let handles: Vec<_> = (0..32u64).map(|n| clockwork::spawn_blocking(move || n * n)).collect();
    let mut total = 0;
    for handle in handles {
        total += handle.await.unwrap();
    }
    assert_eq!(total, (0..32u64).map(|n| n * n).sum::<u64>());
}

#[clockwork::test(start_paused = true)]
async fn paused_time_does_not_jump_while_a_job_runs() {
    let start = Instant::now();
    // A task that would let the clock jump an hour if the runtime looked idle.
    let alarm = clockwork::spawn(sleep(Duration::from_secs(3600)));
    let (release, released) = mpsc::channel::<()>();
    let job = clockwork::spawn_blocking(move || released.recv().unwrap());
    // Let the runtime go idle with the job running, then let the job finish from a std thread.
    clockwork::task::yield_now().await;
    std::thread::spawn(move || release.send(()).unwrap());
    job.await.unwrap();
    assert!(start.elapsed() < Duration::from_secs(3600), "the clock stood still during the job");
    assert!(!alarm.is_finished());
    alarm.await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(3600), "then it jumped to the alarm");
}

#[test]
fn paused_time_jumps_again_after_a_job_nobody_awaits() {
    // Review finding: the job's end did not unpark the runtime, which slept without a timeout
    // (paused time does not jump while a job runs) and never looked again.
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let start = Instant::now();
        let job = clockwork::spawn_blocking(|| std::thread::sleep(Duration::from_millis(20)));
        job.abort(); // its task is cancelled before its first poll: nobody waits for the result
        sleep(Duration::from_secs(1)).await;
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    });
}

/// tokio's rt_spawn_blocking `issue_8056_regression_test` found this deadlock in the pool: two
/// jobs submitted while one thread sat idle both went to that thread, since it counted as idle
/// until it woke. The second then waited behind the first, forever if the first never ends.
#[test]
fn two_jobs_submitted_to_one_idle_thread_both_start() {
    let answer = clockwork::runtime::Runtime::new().unwrap().block_on(async {
        clockwork::task::spawn_blocking(|| {}).await.unwrap();
        // Let the pool's one thread go back to waiting for work.
        std::thread::sleep(Duration::from_millis(20));
        let (release_first, first_waits) = mpsc::channel::<()>();
        let (release_second, second_waits) = mpsc::channel::<()>();
        let first = clockwork::task::spawn_blocking(move || first_waits.recv().unwrap());
        let second = clockwork::task::spawn_blocking(move || second_waits.recv().unwrap());
        release_second.send(()).unwrap();
        let second_ended = clockwork::time::timeout(Duration::from_secs(5), second).await;
        release_first.send(()).unwrap();
        first.await.unwrap();
        second_ended.is_ok()
    });
    assert!(answer, "the second job waited behind the first, which was blocked");
}

/// tokio's rt_handle_block_on `spawn_blocking_started_before_shutdown_continues`: a job that
/// was running when its runtime shut down still delivers its result to its handle.
#[test]
fn a_job_running_at_shutdown_still_delivers_its_result() {
    let runtime = clockwork::runtime::Runtime::new().unwrap();
    let (started, job_started) = mpsc::channel();
    let job = {
        let _guard = runtime.enter();
        clockwork::task::spawn_blocking(move || {
            started.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(50));
            42
        })
    };
    job_started.recv().unwrap();
    runtime.shutdown_timeout(Duration::from_secs(10));
    let other = clockwork::runtime::Runtime::new().unwrap();
    assert_eq!(other.block_on(job).unwrap(), 42);
}

/// Aborting a `spawn_blocking` handle cannot stop the closure, so, as in tokio, the handle
/// still waits for it and delivers its result.
#[clockwork::test]
async fn an_aborted_blocking_handle_still_delivers_the_result_of_a_running_job() {
    let (started, job_started) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let job = clockwork::task::spawn_blocking(move || {
        started.send(()).unwrap();
        released.recv().unwrap();
        7
    });
    clockwork::task::spawn_blocking(move || job_started.recv().unwrap()).await.unwrap();
    job.abort();
    assert!(!job.is_finished(), "the closure still runs");
    release.send(()).unwrap();
    assert_eq!(job.await.unwrap(), 7);
}

/// A job still queued when its runtime went away (the pool's one thread was busy) still runs
/// once a thread is free, and delivers its result, as in tokio; a job offered after the
/// shutdown is refused, and its handle reports `Cancelled` rather than waiting for ever.
#[test]
fn a_job_queued_at_shutdown_still_runs_and_a_later_one_is_cancelled() {
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let (release, released) = mpsc::channel::<()>();
    let (started, first_started) = mpsc::channel();
    let _guard = runtime.enter();
    let first = clockwork::task::spawn_blocking(move || {
        started.send(()).unwrap();
        released.recv().unwrap()
    });
    first_started.recv().unwrap();
    // The pool's one thread is busy: this one waits in the queue.
    let second = clockwork::task::spawn_blocking(|| 2);
    runtime.shutdown_background();
    let late = clockwork::task::spawn_blocking(|| 3);
    release.send(()).unwrap();
    let other = clockwork::runtime::Runtime::new().unwrap();
    other.block_on(first).unwrap();
    assert_eq!(other.block_on(second).unwrap(), 2, "the queued job ran");
    assert!(other.block_on(late).unwrap_err().is_cancelled(), "the later one was refused");
}
