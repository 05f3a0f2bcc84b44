//! A cheap, coarse clock, for the ages of tasks in the task table.
//!
//! Reading `Instant::now()` (`CLOCK_MONOTONIC`) costs tens of nanoseconds on some machines.
//! `CLOCK_MONOTONIC_COARSE` is the same clock read from a value the kernel updates on every
//! tick: a few nanoseconds, with the resolution of a tick (1 to 10 ms), which is plenty for
//! "this task was spawned 3 s ago". Each spawn reads it once, and the dump once.
//!
//! It used to time every poll too, for the blocking-poll warning; the watchdog thread
//! (`trace/watchdog.rs`) does that job now without any clock read per poll.

use std::time::Duration;

/// The coarse monotonic clock: time since an unspecified start, to tick resolution.
#[cfg(target_os = "linux")]
pub(crate) fn coarse_now() -> Duration {
    read(libc::CLOCK_MONOTONIC_COARSE)
}

#[cfg(target_os = "linux")]
fn read(clock: libc::clockid_t) -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable `timespec`; `clock_gettime` only writes to it.
    let status = unsafe { libc::clock_gettime(clock, &mut now) };
    debug_assert_eq!(status, 0, "CLOCK_MONOTONIC_COARSE is always readable on Linux");
    to_duration(now)
}

#[cfg(target_os = "linux")]
fn to_duration(time: libc::timespec) -> Duration {
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(time.tv_nsec).unwrap_or(0);
    Duration::new(seconds, nanos)
}

/// Elsewhere, the precise clock (measured from the first call).
#[cfg(not(target_os = "linux"))]
pub(crate) fn coarse_now() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}
