//! The scaling mode: how the cost per item grows with the size of the work, on both runtimes.
//!
//! ```text
//! cargo run --release -p clockwork-bench --bin bench -- --scaling          every size
//! cargo run --release -p clockwork-bench --bin bench -- --scaling --quick  the smallest sizes
//! ```
//!
//! Each workload of `workloads/scaling.rs` runs at each size on Clockwork and on tokio, in
//! turns, `ROUNDS` times; the median time per item goes into a table on stdout and into one
//! SVG plot per workload, in `docs/src/scaling/`, for the Benchmarks chapter. Both axes are
//! logarithmic: a flat line means the cost per item does not grow with the size. The timer
//! workloads report CPU time rather than wall-clock time (see `workloads/scaling.rs`).

use std::path::Path;

use plotters::prelude::*;

use crate::{on_clockwork, on_tokio};

/// Samples per size and runtime; the median is kept.
const ROUNDS: usize = 3;

/// One scaling workload: its name, what an item is, and its sizes.
struct Scaling {
    name: &'static str,
    item: &'static str,
    sizes: &'static [usize],
    clockwork: fn(usize) -> Sample,
    tokio: fn(usize) -> Sample,
}

/// One run at one size: nanoseconds per item and, on Clockwork (zero on tokio, whose counters
/// need `tokio_unstable`), polls of tasks and parks of the runtime per item, from
/// `Runtime::metrics`, setup included. They say why a curve bends.
#[derive(Clone, Copy)]
struct Sample {
    ns: f64,
    polls: f64,
    parks: f64,
}

/// Runs a workload function on a fresh runtime of each kind.
macro_rules! scaling {
    ($name:literal, $item:literal, $function:ident, $sizes:expr) => {
        Scaling {
            name: $name,
            item: $item,
            sizes: $sizes,
            clockwork: |size| {
                let runtime =
                    clockwork::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                let (ns, items) = runtime.block_on(on_clockwork::scaling::$function(size));
                let metrics = runtime.metrics();
                let items = items as f64;
                let (polls, parks) = (metrics.polls as f64 / items, metrics.parks as f64 / items);
                Sample { ns, polls, parks }
            },
            tokio: |size| {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                let (ns, _) = runtime.block_on(on_tokio::scaling::$function(size));
                Sample { ns, polls: 0.0, parks: 0.0 }
            },
        }
    };
}

/// The workloads and sizes of issue 15.
fn all() -> Vec<Scaling> {
    vec![
        scaling!("spawn", "task", spawn, &[1_000, 10_000, 100_000, 1_000_000]),
        scaling!("timers", "timer (CPU time)", timers, &[10_000, 100_000, 1_000_000, 10_000_000]),
        scaling!(
            "timers_in_one_task",
            "timer (CPU time)",
            timers_in_one_task,
            &[10_000, 30_000, 100_000]
        ),
        scaling!("tcp_echo", "round trip", tcp_echo, &[10, 100, 1_000, 5_000]),
        scaling!("mpsc", "message", mpsc, &[1, 10, 100, 1_000]),
    ]
}

/// Runs every scaling workload (only the smallest size with `quick`), prints the table, and
/// draws the plots into `plots`.
pub fn run(quick: bool, plots: &Path) -> Result<(), String> {
    println!(
        "| workload | size | clockwork ns/item | tokio ns/item | clockwork / tokio \
         | clockwork polls/item | clockwork parks/item |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for scaling in all() {
        let sizes = if quick { &scaling.sizes[..1] } else { scaling.sizes };
        let mut points = Vec::new();
        for &size in sizes {
            eprintln!("scaling: {} at {size}", scaling.name);
            let ours = median((0..ROUNDS).map(|_| (scaling.clockwork)(size)).collect());
            let theirs = median((0..ROUNDS).map(|_| (scaling.tokio)(size)).collect());
            let (ours, polls, parks, theirs) = (ours.ns, ours.polls, ours.parks, theirs.ns);
            println!(
                "| {} | {size} | {ours:.1} | {theirs:.1} | {:.2} | {polls:.2} | {parks:.3} |",
                scaling.name,
                ours / theirs
            );
            points.push((size, ours, theirs));
        }
        if !quick {
            plot(&scaling, &points, plots).map_err(|error| error.to_string())?;
        }
    }
    Ok(())
}

/// The sample with the median time.
fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by(|a, b| a.ns.total_cmp(&b.ns));
    samples[samples.len() / 2]
}

/// One SVG: time per item against size, both logarithmic, one line per runtime.
fn plot(
    scaling: &Scaling,
    points: &[(usize, f64, f64)],
    plots: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(plots)?;
    let file = plots.join(format!("{}.svg", scaling.name));
    let root = SVGBackend::new(&file, (640, 400)).into_drawing_area();
    root.fill(&WHITE)?;
    let smallest = points.first().map_or(1, |point| point.0) as f64;
    let largest = points.last().map_or(10, |point| point.0) as f64;
    let values = points.iter().flat_map(|&(_, ours, theirs)| [ours, theirs]);
    let (low, high) = values.fold((f64::MAX, 0.0_f64), |(low, high), v| (low.min(v), high.max(v)));
    // Ticks at the sizes measured, and at 1, 2 and 5 times each power of ten on the time axis,
    // so that a log axis reads without counting gridlines.
    let sizes: Vec<f64> = points.iter().map(|point| point.0 as f64).collect();
    let times: Vec<f64> = (0..8)
        .flat_map(|power| [1.0, 2.0, 5.0].map(|step| step * 10_f64.powi(power)))
        .filter(|&tick| tick >= low / 2.0 && tick <= high * 2.0)
        .collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{}: ns per {}", scaling.name, scaling.item), ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (smallest / 2.0..largest * 2.0).log_scale().with_key_points(sizes),
            (low / 2.0..high * 2.0).log_scale().with_key_points(times),
        )?;
    chart
        .configure_mesh()
        .x_desc("size")
        .y_desc(format!("ns per {}", scaling.item))
        .x_label_formatter(&|size| short(*size))
        .y_label_formatter(&|time| short(*time))
        .draw()?;
    let series = [("clockwork", BLUE, 1), ("tokio", RED, 2)];
    for (name, color, column) in series {
        let line: Vec<(f64, f64)> = points
            .iter()
            .map(|&(size, ours, theirs)| (size as f64, if column == 1 { ours } else { theirs }))
            .collect();
        chart
            .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        chart.draw_series(line.into_iter().map(|point| Circle::new(point, 3, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE)
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// `1000` as "1k", `10000000` as "10M", `250` as "250": a tick label.
fn short(value: f64) -> String {
    match value {
        v if v >= 1e6 => format!("{}M", v / 1e6),
        v if v >= 1e3 => format!("{}k", v / 1e3),
        v => format!("{v}"),
    }
}
