//! `bench`: every workload on clockwork, tokio, smol and futures, round by round in one process.
//!
//! ```text
//! cargo run --release -p clockwork-bench --bin bench                 10 rounds, the full table
//! cargo run --release -p clockwork-bench --bin bench -- --quick      1 round (CI: it still runs)
//! cargo run --release -p clockwork-bench --bin bench -- --rounds 30 --only tcp_echo
//! cargo run --release -p clockwork-bench --bin bench -- --only tcp_echo --peer clockwork
//! cargo run --release -p clockwork-bench --bin bench -- --only web_server --counters
//! cargo run --release -p clockwork-bench --bin bench -- --scaling      (see scaling.rs)
//! ```
//!
//! Runtimes alternate within each round, and the order rotates from round to round, so slow
//! drift of the machine (another process, CPU frequency) hits them alike. Each sample gets a
//! fresh runtime, built outside the measured time. The table gives the median and min-max of
//! each runtime, and clockwork's median divided by tokio's: below 1.0 is faster than tokio.

// Loading each workload file twice, once per runtime, is the point of this crate.
#![allow(clippy::duplicate_mod)]

mod alloc;
mod on_clockwork;
mod on_tokio;
mod peers;
mod scaling;
mod workloads;

use workloads::{Sample, Unit, Workload};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// The runtimes, in the table's column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    Clockwork,
    Tokio,
    Smol,
    Futures,
}

const PEERS: [Peer; 4] = [Peer::Clockwork, Peer::Tokio, Peer::Smol, Peer::Futures];

impl Peer {
    /// The name on the command line and in the table.
    fn name(self) -> &'static str {
        match self {
            Peer::Clockwork => "clockwork",
            Peer::Tokio => "tokio",
            Peer::Smol => "smol",
            Peer::Futures => "futures",
        }
    }
}

struct Options {
    rounds: usize,
    only: Option<String>,
    /// Run only this runtime (for `strace -c`, which needs one runtime's calls alone).
    peer: Option<Peer>,
    /// Run the scaling mode (`scaling.rs`) instead of the table.
    scaling: bool,
    /// Print Clockwork's counters (`Runtime::metrics`) after each of its samples, on stderr.
    counters: bool,
    quick: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        rounds: 10,
        only: None,
        peer: None,
        scaling: false,
        counters: false,
        quick: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => {
                options.rounds = 1;
                options.quick = true;
            }
            "--scaling" => options.scaling = true,
            "--counters" => options.counters = true,
            "--rounds" => {
                let value = args.next().ok_or("--rounds needs a number")?;
                options.rounds = value.parse().map_err(|_| format!("not a number: {value}"))?;
            }
            "--only" => options.only = Some(args.next().ok_or("--only needs a workload name")?),
            "--peer" => {
                let name = args.next().ok_or("--peer needs a runtime name")?;
                let peer = PEERS.into_iter().find(|peer| peer.name() == name);
                options.peer = Some(peer.ok_or(format!("no runtime named {name}"))?);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// Runs one sample of `workload` on `peer`, or `None` if that peer has no version of it.
/// With `counters`, Clockwork's polls, wakes and parks for the sample go to stderr.
fn sample(workload: &Workload, peer: Peer, counters: bool) -> Option<Sample> {
    match peer {
        Peer::Clockwork => {
            let runtime = clockwork::runtime::Builder::new_current_thread().enable_all().build();
            let runtime = runtime.expect("clockwork builds");
            let sample = runtime.block_on((workload.clockwork)());
            if counters {
                let metrics = runtime.metrics();
                let (polls, wakes, parks) = (metrics.polls, metrics.wakes, metrics.parks);
                eprintln!(
                    "{}: clockwork polls {polls}, wakes {wakes}, parks {parks}",
                    workload.name
                );
            }
            Some(sample)
        }
        Peer::Tokio => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            Some(runtime.expect("tokio builds").block_on((workload.tokio)()))
        }
        Peer::Smol => workload.smol.map(|run| run()),
        Peer::Futures => workload.futures.map(|run| run()),
    }
}

/// Median, minimum and maximum of some samples.
fn summary(samples: &mut [Sample]) -> Option<(Sample, Sample, Sample)> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_by(f64::total_cmp);
    let middle = samples.len() / 2;
    let median = if samples.len() % 2 == 0 {
        (samples[middle - 1] + samples[middle]) / 2.0
    } else {
        samples[middle]
    };
    Some((median, samples[0], samples[samples.len() - 1]))
}

fn cell(summary: Option<(Sample, Sample, Sample)>) -> String {
    match summary {
        Some((median, min, max)) => format!("{median:.2} [{min:.2}-{max:.2}]"),
        None => "-".to_string(),
    }
}

fn main() {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("bench: {message}");
            std::process::exit(2);
        }
    };
    if options.scaling {
        let plots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/src/scaling");
        if let Err(message) = scaling::run(options.quick, &plots) {
            eprintln!("bench: {message}");
            std::process::exit(1);
        }
        return;
    }
    let workloads: Vec<Workload> = workloads::all()
        .into_iter()
        .filter(|w| options.only.as_deref().is_none_or(|only| w.name == only))
        .collect();
    if workloads.is_empty() {
        eprintln!("bench: no such workload");
        std::process::exit(2);
    }

    // samples[workload][peer]
    let mut samples = vec![vec![Vec::new(); PEERS.len()]; workloads.len()];
    for round in 0..options.rounds {
        eprintln!("round {}/{}", round + 1, options.rounds);
        for (w, workload) in workloads.iter().enumerate() {
            for turn in 0..PEERS.len() {
                let p = (turn + round) % PEERS.len();
                if options.peer.is_some_and(|only| only != PEERS[p]) {
                    continue;
                }
                if let Some(value) = sample(workload, PEERS[p], options.counters) {
                    samples[w][p].push(value);
                }
            }
        }
    }

    println!("| workload | unit | clockwork | tokio | smol | futures | clockwork / tokio |");
    println!("|---|---|---|---|---|---|---|");
    for (w, workload) in workloads.iter().enumerate() {
        let summaries: Vec<_> = samples[w].iter_mut().map(|s| summary(s)).collect();
        let ratio = match (summaries[0], summaries[1]) {
            (Some((ours, ..)), Some((theirs, ..))) if theirs > 0.0 => {
                format!("{:.2}", ours / theirs)
            }
            _ => "-".to_string(),
        };
        let unit = match workload.unit {
            Unit::Millis => "ms",
            Unit::BytesPerTask => "B/task",
        };
        let cells: Vec<String> = summaries.iter().map(|s| cell(*s)).collect();
        println!("| {} | {unit} | {} | {ratio} |", workload.name, cells.join(" | "));
    }
    println!();
    println!("{} round(s); median [min-max]; fresh runtime per sample.", options.rounds);
}
