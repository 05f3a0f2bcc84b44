//! The watchdog: how the blocking-poll warning works without reading a clock on every poll.
//!
//! To say "this poll held the thread for 300 ms" the runtime needs to know when a poll started
//! and ended. Reading a clock twice per poll costs more than the rest of a small poll's
//! bookkeeping (`docs/src/observing.md`, "What it costs"). So the runtime does not measure
//! polls; a thread of its own watches them:
//!
//! ```text
// ANCHOR: picture
//!   runtime thread                         watchdog thread (one per process)
//!   ──────────────                         ─────────────────────────────────
//!   poll starts:  seq = 7  (odd: polling)  every period (a quarter of the threshold):
//!     ... the task blocks ...                read seq: 7, and 7 again, and again...
//!                                            7 for longer than the threshold:
//!                                            blocked_since = when 7 was first seen
//!                                            blocked = 7
//!   poll ends:    seq = 8  (even)
//!     blocked == 7, the poll that just ended: read the clock once, and warn
// ANCHOR_END: picture
//! ```
//!
//! A poll costs two relaxed stores and one relaxed load; the clock is read only after a poll
//! the watchdog caught. The figure it reports is a lower bound: the poll started at most one
//! period before the watchdog first saw it. Thresholds below a millisecond are measured on
//! every poll instead (`Tracer::new` picks the precise clock then).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::{Duration, Instant};

/// The runtime's side: a sequence number bumped at the start and the end of every poll.
pub(crate) struct Watchdog {
    watched: Arc<Watched>,
}

/// What the runtime thread and the watchdog thread share about one runtime.
struct Watched {
    /// Odd while a poll runs, even between polls; only the runtime thread writes it.
    seq: AtomicU64,
    /// The `seq` of a poll the watchdog caught running longer than the threshold; 0 for none.
    blocked: AtomicU64,
    /// When the watchdog first saw that poll, in nanoseconds since `epoch()`.
    blocked_since_ns: AtomicU64,
    threshold: Duration,
}

impl Watchdog {
    /// Starts watching a runtime whose polls must not last longer than `threshold`.
    pub(crate) fn new(threshold: Duration) -> Watchdog {
        let watched = Arc::new(Watched {
            seq: AtomicU64::new(0),
            blocked: AtomicU64::new(0),
            blocked_since_ns: AtomicU64::new(0),
            threshold,
        });
        register(&watched);
        Watchdog { watched }
    }

    /// A poll starts; returns its sequence number (odd).
    #[inline]
    pub(crate) fn poll_started(&self) -> u64 {
        let seq = self.watched.seq.load(Ordering::Relaxed) + 1;
        self.watched.seq.store(seq, Ordering::Relaxed);
        seq
    }

    /// The poll `seq` ended: if the watchdog caught it blocking, how long it lasted at least.
    #[inline]
    pub(crate) fn poll_ended(&self, seq: u64) -> Option<Duration> {
        self.watched.seq.store(seq + 1, Ordering::Relaxed);
        if self.watched.blocked.load(Ordering::Acquire) != seq {
            return None;
        }
        let since = Duration::from_nanos(self.watched.blocked_since_ns.load(Ordering::Relaxed));
        Some(epoch().elapsed().saturating_sub(since))
    }
}

/// The watchdog thread's own notes about one runtime.
struct Sample {
    watched: Weak<Watched>,
    /// The `seq` it read last time, and when it first read that value.
    seq: u64,
    first_seen: Instant,
}

/// Every watched runtime, and whether the watchdog thread is running.
struct Registry {
    samples: Vec<Sample>,
    running: bool,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(Registry { samples: Vec::new(), running: false }))
}

/// The instant the watchdog's times are counted from.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Adds a runtime to the watch, starting the thread if it is not running.
fn register(watched: &Arc<Watched>) {
    let mut registry = registry().lock().unwrap_or_else(PoisonError::into_inner);
    let sample = Sample { watched: Arc::downgrade(watched), seq: 0, first_seen: Instant::now() };
    registry.samples.push(sample);
    if !registry.running {
        // Without a thread (the process may not be allowed one) there is simply no warning.
        let spawned = std::thread::Builder::new().name("clockwork-watchdog".into()).spawn(watch);
        registry.running = spawned.is_ok();
    }
}

/// The watchdog thread: samples every runtime, a quarter of the smallest threshold apart, and
/// stops once no runtime is left to watch.
fn watch() {
    loop {
        let period = {
            let mut registry = registry().lock().unwrap_or_else(PoisonError::into_inner);
            registry.samples.retain(|sample| sample.watched.strong_count() > 0);
            if registry.samples.is_empty() {
                registry.running = false;
                return;
            }
            let now = Instant::now();
            registry.samples.iter_mut().for_each(|sample| sample.look(now));
            let smallest = registry.samples.iter().filter_map(|sample| sample.threshold()).min();
            smallest.unwrap_or(Duration::from_millis(100)) / 4
        };
        std::thread::sleep(period.clamp(Duration::from_micros(250), Duration::from_millis(25)));
    }
}

impl Sample {
    /// Reads the runtime's `seq` and flags a poll that has run for longer than the threshold.
    fn look(&mut self, now: Instant) {
        let Some(watched) = self.watched.upgrade() else { return };
        let seq = watched.seq.load(Ordering::Relaxed);
        if seq != self.seq {
            self.seq = seq;
            self.first_seen = now;
            return;
        }
        let polling = seq % 2 == 1;
        let too_long = now.duration_since(self.first_seen) >= watched.threshold;
        if polling && too_long && watched.blocked.load(Ordering::Relaxed) != seq {
            let since = self.first_seen.saturating_duration_since(epoch());
            let since_ns = u64::try_from(since.as_nanos()).unwrap_or(u64::MAX);
            watched.blocked_since_ns.store(since_ns, Ordering::Relaxed);
            watched.blocked.store(seq, Ordering::Release);
        }
    }

    fn threshold(&self) -> Option<Duration> {
        self.watched.upgrade().map(|watched| watched.threshold)
    }
}
