//! A cheap, coarse clock for the warnings that are on by default.
//!
//! Catching a poll that blocked the thread needs the time before and after every poll. Reading
//! `Instant::now()` (`CLOCK_MONOTONIC`) costs tens of nanoseconds on some machines (on the VM
//! these benchmarks ran on, a `timeout` around a ready future spent half its time there), which
//! would double the cost of a poll. `CLOCK_MONOTONIC_COARSE` is the same clock read from a value
//! the kernel updates on every tick: a few nanoseconds, with the resolution of a tick (1 to
//! 10 ms). That is plenty to notice a poll that blocked for 100 ms. When a smaller threshold is
//! asked for, or when events are recorded, the precise clock is used instead ([`Tracer::new`]).
//!
//! [`Tracer::new`]: crate::trace::Tracer::new

use std::time::Duration;

/// The coarse monotonic clock: time since an unspecified start, to tick resolution.
#[cfg(target_os = "linux")]
pub(crate) fn coarse_now() -> Duration {
    read(libc::CLOCK_MONOTONIC_COARSE)
}

/// The resolution of [`coarse_now`]: one kernel tick.
#[cfg(target_os = "linux")]
pub(crate) fn coarse_resolution() -> Duration {
    let mut resolution = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `resolution` is a valid, writable `timespec`; `clock_getres` only writes to it.
    let status = unsafe { libc::clock_getres(libc::CLOCK_MONOTONIC_COARSE, &mut resolution) };
    if status != 0 {
        // Unknown: claim a resolution so coarse that the precise clock is always chosen.
        return Duration::MAX;
    }
    to_duration(resolution)
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

#[cfg(not(target_os = "linux"))]
pub(crate) fn coarse_resolution() -> Duration {
    Duration::from_nanos(1)
}
