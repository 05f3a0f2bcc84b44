//! `runtime::Builder`'s tokio knobs: the name and flavour a handle reports, the checks tokio
//! makes (paused time only on a current-thread runtime among them), the blocking pool's shape and hooks, and the park hooks around the driver's sleep.

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use clockwork::runtime::{Builder, Runtime, RuntimeFlavor};
use clockwork::sync::Notify;

#[test]
fn a_runtime_reports_its_name_and_the_flavor_it_was_built_as() {
    let named = Builder::new_current_thread().enable_all().name("api").build().unwrap();
    assert_eq!(named.handle().name(), Some("api"));
    assert_eq!(named.handle().runtime_flavor(), RuntimeFlavor::CurrentThread);

    let multi = Builder::new_multi_thread().enable_all().worker_threads(1).build().unwrap();
    assert_eq!(multi.handle().name(), None, "no name unless given one");
    assert_eq!(multi.handle().runtime_flavor(), RuntimeFlavor::MultiThread);

    let default = Runtime::new().unwrap();
    assert_eq!(default.handle().runtime_flavor(), RuntimeFlavor::MultiThread, "as tokio's");

    let local = Builder::new_current_thread().enable_all().build_local(Default::default()).unwrap();
    assert_eq!(local.handle().runtime_flavor(), RuntimeFlavor::CurrentThread);
}

#[test]
fn every_flavor_runs_its_tasks_on_the_thread_that_calls_block_on() {
    let here = std::thread::current().id();
    let runtime = Builder::new_multi_thread().enable_all().worker_threads(1).build().unwrap();
    let there =
        runtime.block_on(async { clockwork::spawn(async { std::thread::current().id() }).await });
    assert_eq!(there.unwrap(), here);
}

#[test]
fn runtime_ids_tell_runtimes_apart() {
    let first = Runtime::new().unwrap();
    let second = Runtime::new().unwrap();
    assert_eq!(first.handle().id(), first.handle().clone().id());
    assert_ne!(first.handle().id(), second.handle().id());
}

#[test]
#[should_panic(expected = "Worker threads cannot be set to 0")]
fn zero_worker_threads_panics_as_in_tokio() {
    Builder::new_multi_thread().enable_all().worker_threads(0);
}

#[test]
#[should_panic(expected = "Max blocking threads cannot be set to 0")]
fn zero_blocking_threads_panics_as_in_tokio() {
    Builder::new_current_thread().enable_all().max_blocking_threads(0);
}

#[test]
#[should_panic(expected = "runtime name shouldn't be empty")]
fn a_blank_name_panics_as_in_tokio() {
    Builder::new_current_thread().enable_all().name("  ");
}

#[test]
fn blocking_threads_take_the_builders_name_and_hooks() {
    let (started_tx, started_rx) = mpsc::channel();
    let (stopped_tx, stopped_rx) = mpsc::channel();
    let started_tx = Mutex::new(started_tx);
    let stopped_tx = Mutex::new(stopped_tx);
    let runtime = Builder::new_current_thread()
        .enable_all()
        .thread_name("pool-worker")
        .on_thread_start(move || started_tx.lock().unwrap().send(current_name()).unwrap())
        .on_thread_stop(move || stopped_tx.lock().unwrap().send(current_name()).unwrap())
        .build()
        .unwrap();
    let name = runtime.block_on(runtime.spawn_blocking(current_name)).unwrap();
    assert_eq!(name, "pool-worker");
    assert_eq!(started_rx.recv().unwrap(), "pool-worker", "the start hook runs on the thread");
    // Shutting down lets the idle thread exit; its stop hook runs on its way out.
    runtime.shutdown_timeout(Duration::from_secs(5));
    assert_eq!(stopped_rx.recv_timeout(Duration::from_secs(5)).unwrap(), "pool-worker");
}

fn current_name() -> String {
    std::thread::current().name().unwrap_or_default().to_string()
}

#[test]
fn thread_name_fn_names_each_new_thread() {
    let made = Arc::new(AtomicUsize::new(0));
    let counter = made.clone();
    let runtime = Builder::new_current_thread()
        .enable_all()
        .thread_name_fn(move || format!("job-{}", counter.fetch_add(1, Ordering::SeqCst)))
        .build()
        .unwrap();
    let name = runtime.block_on(runtime.spawn_blocking(current_name)).unwrap();
    assert_eq!(name, "job-0");
    assert_eq!(made.load(Ordering::SeqCst), 1, "one thread, one name");
}

#[test]
fn max_blocking_threads_runs_jobs_one_after_the_other() {
    let runtime =
        Builder::new_current_thread().enable_all().max_blocking_threads(1).build().unwrap();
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    runtime.block_on(async {
        let mut jobs = Vec::new();
        for _ in 0..4 {
            let (running, most) = (running.clone(), most.clone());
            jobs.push(clockwork::task::spawn_blocking(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::yield_now();
                running.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for job in jobs {
            job.await.unwrap();
        }
    });
    assert_eq!(most.load(Ordering::SeqCst), 1, "never two jobs at once");
}

#[test]
fn an_idle_blocking_thread_exits_after_the_keep_alive() {
    let (stopped_tx, stopped_rx) = mpsc::channel();
    let stopped_tx = Mutex::new(stopped_tx);
    let runtime = Builder::new_current_thread()
        .enable_all()
        .thread_keep_alive(Duration::from_millis(1))
        .on_thread_stop(move || stopped_tx.lock().unwrap().send(()).unwrap())
        .build()
        .unwrap();
    runtime.block_on(runtime.spawn_blocking(|| ())).unwrap();
    // The runtime is still alive: only the keep-alive can have stopped the thread.
    let stopped = stopped_rx.recv_timeout(Duration::from_secs(5));
    assert!(stopped.is_ok(), "the idle thread exited");
    drop(runtime);
}

#[test]
fn the_park_hook_runs_before_the_sleep_and_may_make_work() {
    let notify = Arc::new(Notify::new());
    let parks = Arc::new(AtomicUsize::new(0));
    let unparks = Arc::new(AtomicUsize::new(0));
    let (hook_notify, hook_parks, hook_unparks) = (notify.clone(), parks.clone(), unparks.clone());
    let runtime = Builder::new_current_thread()
        .enable_all()
        .on_thread_park(move || {
            // The first park wakes the block_on future: with it, the loop must not sleep (it
            // would sleep for ever, as nothing else can wake it).
            if hook_parks.fetch_add(1, Ordering::SeqCst) == 0 {
                hook_notify.notify_one();
            }
        })
        .on_thread_unpark(move || {
            hook_unparks.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    runtime.block_on(notify.notified());
    assert_eq!(parks.load(Ordering::SeqCst), 1, "one park, whose hook made the work");
    assert_eq!(unparks.load(Ordering::SeqCst), 1, "and one unpark after it");
}

#[test]
fn tokios_other_knobs_are_accepted() {
    let runtime = Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .global_queue_interval(31)
        .event_interval(61)
        .max_io_events_per_tick(1024)
        .thread_stack_size(64 << 20)
        .build()
        .unwrap();
    // Deeper than the standard library's default 2 MiB stack holds: with the knob ignored,
    // the pool thread would overflow its stack.
    let depth = runtime.block_on(runtime.spawn_blocking(|| deep(40_000)));
    assert_eq!(depth.unwrap(), 40_000, "a 64 MiB stack holds the recursion");
}

/// Recurses `depth` times, using some stack on each level.
fn deep(depth: usize) -> usize {
    let frame = std::hint::black_box([0u8; 128]);
    if depth == 0 { frame[0] as usize } else { 1 + deep(depth - 1) }
}

#[test]
fn pausing_time_needs_a_current_thread_runtime_as_on_tokio() {
    // tokio can pause the clock only of its current-thread runtime, and panics otherwise; so
    // does Clockwork, at the caller's line, so that what runs here runs there.
    let (message, file) = util::caught_panic(|| {
        let _ = Builder::new_multi_thread().enable_all().start_paused(true).build();
    });
    assert!(message.contains("requires the `current_thread` runtime"), "{message}");
    assert!(file.ends_with("runtime_builder.rs"), "the panic names the caller: {file}");

    let (message, file) = util::caught_panic(|| {
        Runtime::new().unwrap().block_on(async { clockwork::time::pause() });
    });
    assert!(message.contains("requires the `current_thread` runtime"), "{message}");
    assert!(file.ends_with("runtime_builder.rs"), "the panic names the caller: {file}");

    // The current-thread and local runtimes pause.
    let paused = Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    paused.block_on(async {
        let before = clockwork::time::Instant::now();
        clockwork::time::sleep(Duration::from_secs(3600)).await;
        assert!(before.elapsed() >= Duration::from_secs(3600), "an hour passed, in no time");
    });
    let local = Builder::new_current_thread().enable_all().build_local(Default::default());
    local.unwrap().block_on(async { clockwork::time::pause() });

    // Nor does a local runtime come from a multi-thread builder, paused or not.
    let (message, file) = util::caught_panic(|| {
        let _ = Builder::new_multi_thread().start_paused(true).build_local(Default::default());
    });
    assert!(message.contains("multi_thread is not supported for LocalRuntime"), "{message}");
    assert!(file.ends_with("runtime_builder.rs"), "the panic names the caller: {file}");
}
