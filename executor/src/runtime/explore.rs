//! Running a test under many orders of polls, and replaying the one that fails.
//!
//! On one thread, tasks interleave only at `.await` points, and which ready task runs next is
//! the runtime's choice. [`explore`] makes that choice differently on every run, with seeds
//! (`order.rs`), so a test whose tasks race across an `.await` fails on some run even if it
//! passes in first-come-first-served order. The search is a simple one, in the spirit of
//! PCT (Burckhardt et al., "A Randomized Scheduler with Probabilistic Guarantees of Finding
//! Bugs", ASPLOS 2010): most runs stay close to FIFO, leaving it at only a few decisions, and the
//! runs allowed one deviation come first, then two, then three, then orders with no limit. A
//! failure found early is therefore close to FIFO: easy to read when it is replayed.
//!
//! What it can find: any order of the polls of ready tasks, and so any interleaving at
//! `.await` points, with time paused (timers fire in deadline order, as always). What it
//! cannot: interleavings inside a poll (there are none on one thread), races with other
//! threads (`spawn_blocking`, wakes from outside), and orders that depend on real I/O timing.
//! loom explores threads' interleavings exhaustively; shuttle explores them at random; this
//! explores a single-threaded runtime's scheduling choices at random, which is all there is.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};

use crate::runtime::Builder;
use crate::runtime::order::SeededOrder;

/// The deviation limits the runs go through, in this order (0: no limit).
const LIMITS: [u8; 4] = [1, 2, 3, 0];

/// Runs `test` `runs` times, each on a fresh current-thread runtime with paused time and its
/// own seeded order of polls. On the first run that panics, it prints the line that replays
/// that run, `CLOCKWORK_SEED=<seed> cargo test <name>`, and panics with the run's panic.
///
/// With `CLOCKWORK_SEED` set, it runs only that seed: the replay. `CLOCKWORK_LOG` and
/// `CLOCKWORK_TRACE` work as usual there, to watch the failing order.
///
/// `#[clockwork::test(explore = N)]` writes the call for a test.
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use std::sync::Arc;
///
/// // Two tasks each add 1 with a read, an await and a write: some orders lose an update.
/// let result = std::panic::catch_unwind(|| {
///     clockwork::runtime::explore(100, || async {
///         let balance = Arc::new(AtomicU32::new(0));
///         let add = |balance: Arc<AtomicU32>| async move {
///             let read = balance.load(Ordering::SeqCst);
///             clockwork::task::yield_now().await;
///             balance.store(read + 1, Ordering::SeqCst);
///         };
///         let a = clockwork::spawn(add(balance.clone()));
///         let b = clockwork::spawn(add(balance.clone()));
///         a.await.unwrap();
///         b.await.unwrap();
///         assert_eq!(balance.load(Ordering::SeqCst), 2, "an update was lost");
///     });
/// });
/// assert!(result.is_err(), "some order loses an update, and explore finds it");
/// ```
#[track_caller]
pub fn explore<F, Fut>(runs: u32, test: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    if let Some(seed) = replay_seed() {
        let (outcome, _) = run_once(seed, &test);
        if let Err(panic) = outcome {
            panic::resume_unwind(panic);
        }
        return;
    }
    let runs = runs.max(1);
    for run in 0..runs {
        let limit = LIMITS[run as usize * LIMITS.len() / runs as usize];
        let seed = SeededOrder::seed_for(u64::from(run), limit);
        let (outcome, deviations) = run_once(seed, &test);
        if let Err(panic) = outcome {
            report(run, runs, seed, deviations);
            panic::resume_unwind(panic);
        }
    }
}

/// One run on a fresh runtime; how it ended, and how often its order left FIFO.
fn run_once<F, Fut>(seed: u64, test: &F) -> (std::thread::Result<()>, u32)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .rng_seed(seed)
        .build()
        .expect("explore builds a runtime");
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(test())));
    let deviations = runtime.core().order_deviations().unwrap_or(0);
    (outcome, deviations)
}

/// `CLOCKWORK_SEED`, when set: the run to replay.
fn replay_seed() -> Option<u64> {
    crate::runtime::builder::seed_from_env().unwrap_or_else(|error| panic!("{error}"))
}

/// Tells how to replay the failing run.
fn report(run: u32, runs: u32, seed: u64, deviations: u32) {
    let thread = std::thread::current();
    let command = match thread.name() {
        Some(name) if name != "main" => format!("cargo test {name} -- --exact"),
        _ => "<the same command>".to_string(),
    };
    let limit = match SeededOrder::limit_of(seed) {
        0 => "no limit".to_string(),
        limit => format!("at most {limit}"),
    };
    eprintln!(
        "clockwork::explore: run {} of {runs} failed; its order left first-come-first-served \
         {deviations} time(s) ({limit}).\n  replay it with: CLOCKWORK_SEED={seed:#x} {command}",
        run + 1
    );
}
