//! `sleep`, `sleep_until` and `Sleep::reset`, on a paused clock: the runtime jumps the clock to
//! the next deadline when every task is idle, so these tests never wait on the real clock.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Wake, Waker};
use std::time::Duration;

use clockwork::time::{self, Instant, sleep, sleep_until};

#[clockwork::test(start_paused = true)]
async fn sleep_waits_exactly_its_duration_on_a_paused_clock() {
    let start = Instant::now();
    sleep(Duration::from_millis(100)).await;
    assert_eq!(start.elapsed(), Duration::from_millis(100));
}

#[clockwork::test(start_paused = true)]
async fn concurrent_sleeps_overlap() {
    let start = Instant::now();
    let a = clockwork::spawn(sleep(Duration::from_millis(100)));
    let b = clockwork::spawn(sleep(Duration::from_millis(100)));
    let c = clockwork::spawn(sleep(Duration::from_millis(100)));
    a.await.unwrap();
    b.await.unwrap();
    c.await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_millis(100), "100 ms, not 300");
}

#[clockwork::test(start_paused = true)]
async fn zero_and_sub_millisecond_sleeps() {
    let start = Instant::now();
    sleep(Duration::ZERO).await;
    assert_eq!(start.elapsed(), Duration::ZERO, "a zero sleep is ready at once");
    sleep(Duration::from_micros(300)).await;
    // The wheel counts whole milliseconds and rounds a deadline up: never early, at most 1 ms late.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_micros(300), "{elapsed:?}");
    assert!(elapsed <= Duration::from_millis(1), "{elapsed:?}");
}

#[clockwork::test(start_paused = true)]
async fn a_deadline_in_the_past_is_ready_at_once() {
    let start = Instant::now();
    time::advance(Duration::from_secs(1)).await;
    sleep_until(start).await;
    assert_eq!(start.elapsed(), Duration::from_secs(1));
}

#[clockwork::test(start_paused = true)]
async fn duration_max_means_never() {
    let start = Instant::now();
    let never = time::timeout(Duration::from_secs(5), sleep(Duration::MAX)).await;
    assert!(never.is_err(), "sleep(Duration::MAX) did not finish within 5 s");
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[clockwork::test(start_paused = true)]
async fn reset_to_earlier_and_later() {
    let start = Instant::now();
    let mut sleep = std::pin::pin!(sleep(Duration::from_secs(10)));
    // Poll once so the timer is filed, then move it earlier.
    assert!(futures::poll!(sleep.as_mut()).is_pending());
    sleep.as_mut().reset(start + Duration::from_secs(2));
    sleep.as_mut().await;
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    // Reset after it fired: it can be awaited again, now later.
    sleep.as_mut().reset(start + Duration::from_secs(7));
    assert_eq!(sleep.deadline(), start + Duration::from_secs(7));
    sleep.as_mut().await;
    assert_eq!(start.elapsed(), Duration::from_secs(7));
}

#[test]
fn a_dropped_sleep_leaves_no_timer_behind() {
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut sleep = Box::pin(sleep(Duration::from_secs(1)));
        assert!(futures::poll!(sleep.as_mut()).is_pending());
        assert_eq!(runtime.metrics().timers, 1, "the first poll filed the timer");
        drop(sleep);
        assert_eq!(runtime.metrics().timers, 0, "dropping the sleep removed it");
    });
}

/// A waker that drops another `Sleep` when it is woken: the wheel must not be borrowed then.
struct DropOtherSleep(Mutex<Option<time::Sleep>>);

impl Wake for DropOtherSleep {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        drop(self.0.lock().unwrap().take());
    }
}

#[clockwork::test(start_paused = true)]
async fn dropping_a_timer_from_inside_another_timers_waker() {
    let mut other = Box::pin(sleep(Duration::from_secs(60)));
    assert!(futures::poll!(other.as_mut()).is_pending(), "the other timer is filed");
    let waker_state = Arc::new(DropOtherSleep(Mutex::new(Some(*std::pin::Pin::into_inner(other)))));
    let waker = Waker::from(waker_state.clone());
    let mut first = Box::pin(sleep(Duration::from_millis(10)));
    assert!(first.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
    // Firing `first` calls our waker, which drops `other` and so cancels its timer.
    time::advance(Duration::from_millis(10)).await;
    assert!(waker_state.0.lock().unwrap().is_none(), "the waker ran and dropped the other sleep");
}

/// Counts how many times it was woken.
struct CountWakes(std::sync::atomic::AtomicUsize);

impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[clockwork::test(start_paused = true)]
async fn a_sleep_polled_with_a_new_waker_wakes_the_new_one() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let first = Arc::new(CountWakes(AtomicUsize::new(0)));
    let second = Arc::new(CountWakes(AtomicUsize::new(0)));
    let mut sleep = Box::pin(sleep(Duration::from_millis(10)));
    let first_waker = Waker::from(first.clone());
    let second_waker = Waker::from(second.clone());
    assert!(sleep.as_mut().poll(&mut Context::from_waker(&first_waker)).is_pending());
    // The future moved to another task (or another select!): the same timer, a new waker.
    assert!(sleep.as_mut().poll(&mut Context::from_waker(&second_waker)).is_pending());
    time::advance(Duration::from_millis(10)).await;
    assert_eq!(first.0.load(Ordering::SeqCst), 0, "the old waker is not woken");
    assert_eq!(second.0.load(Ordering::SeqCst), 1, "the new one is, once");
    assert!(sleep.as_mut().poll(&mut Context::from_waker(&second_waker)).is_ready());
}

#[test]
fn a_far_deadline_is_jumped_to_exactly_not_to_a_rotation_start() {
    // Review finding: with only far timers left, the clock jumped to the wheel's next rotation
    // start (2^36 ms away) although nothing was due there. A paused, idle runtime jumps to the
    // earliest true deadline (`Wheel::next_deadline_ms`), however far.
    let runtime = clockwork::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        sleep(Duration::from_secs(5)).await; // the wheel's hand is no longer at 0
        let start = Instant::now();
        let three_years = Duration::from_secs(3 * 365 * 24 * 3600);
        sleep(three_years).await;
        assert_eq!(start.elapsed(), three_years, "the clock landed on the deadline itself");
    });
}

#[clockwork::test(start_paused = true)]
async fn is_elapsed_says_what_the_runtime_did_not_what_the_clock_says() {
    let mut past = std::pin::pin!(sleep_until(Instant::now()));
    assert!(!past.is_elapsed(), "its deadline has come, but it has not completed yet");
    past.as_mut().await;
    assert!(past.is_elapsed());
    past.as_mut().reset(Instant::now() + Duration::from_millis(10));
    assert!(!past.is_elapsed(), "a reset sleep starts over");

    // A filed timer that the wheel fires counts, even before the sleep is polled again.
    let mut filed = std::pin::pin!(sleep(Duration::from_millis(5)));
    assert!(futures::poll!(filed.as_mut()).is_pending());
    sleep(Duration::from_millis(6)).await;
    assert!(filed.is_elapsed(), "the wheel fired it");
}

#[clockwork::test(start_paused = true)]
async fn interval_reset_after_moves_the_next_tick() {
    let start = Instant::now();
    let mut ticks = time::interval(Duration::from_millis(100));
    ticks.tick().await;
    ticks.reset_after(Duration::from_millis(20));
    ticks.tick().await;
    assert_eq!(start.elapsed(), Duration::from_millis(20));
    ticks.tick().await;
    assert_eq!(start.elapsed(), Duration::from_millis(120), "then the period again");
    ticks.reset_after(Duration::MAX);
    assert!(futures::poll!(std::pin::pin!(ticks.tick())).is_pending(), "MAX saturates");
}
