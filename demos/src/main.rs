//! `clockwork-demos`: run the patterns on clockwork and tokio and compare them.
//!
//! ```text
//! clockwork-demos                      every pattern on both runtimes, then a table
//! clockwork-demos PATTERN              one pattern on both runtimes
//! clockwork-demos --runtime tokio      only one runtime
//! clockwork-demos --trace DIR          also write each pattern's timeline, both runtimes, in DIR
//! clockwork-demos PATTERN --timeline-svg FILE   also draw the pattern's timeline as a picture
//! clockwork-demos --list               the patterns
//! clockwork-demos compare PATTERN      where the two runtimes' schedules differ (compare.rs)
//! clockwork-demos pictures [DIR]       draw the book's pictures again (pictures.rs), by
//!                                      default into docs/src/pictures
//! ```
//!
//! Exits non-zero if a pattern's output differs between the runtimes. Clockwork's warnings
//! (a poll that blocked, a lost waker, ...) are printed on stderr by the runtime, and shown again
//! under the run that caused them. `CLOCKWORK_LOG=1` narrates the runs on stderr, tokio's too
//! (`record/narrate.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clockwork_demos::compare::Comparison;
use clockwork_demos::harness::{self, Report, Runtime};
use clockwork_demos::{Pattern, patterns, pictures, timeline};

/// What the command line asked for.
struct Options {
    only: Option<String>,
    runtimes: Vec<Runtime>,
    /// Where to write the timelines, if anywhere.
    trace_dir: Option<PathBuf>,
    /// Where to draw the one pattern's timeline as SVG, if anywhere.
    timeline_svg: Option<PathBuf>,
    /// `pictures [DIR]`: where to draw the book's pictures.
    pictures: Option<PathBuf>,
    list: bool,
    /// `compare PATTERN`.
    compare: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        only: None,
        runtimes: vec![Runtime::Clockwork, Runtime::Tokio],
        trace_dir: None,
        timeline_svg: None,
        pictures: None,
        list: false,
        compare: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--list" => options.list = true,
            "--runtime" => {
                let name = args.next().ok_or("--runtime needs clockwork or tokio")?;
                options.runtimes = match name.as_str() {
                    "clockwork" => vec![Runtime::Clockwork],
                    "tokio" => vec![Runtime::Tokio],
                    other => return Err(format!("unknown runtime {other:?}: clockwork or tokio")),
                };
            }
            "--trace" => {
                let dir = args.next().ok_or("--trace needs a directory")?;
                options.trace_dir = Some(PathBuf::from(dir));
            }
            "--timeline-svg" => {
                let file = args.next().ok_or("--timeline-svg needs a file")?;
                options.timeline_svg = Some(PathBuf::from(file));
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            "compare" if options.only.is_none() && !options.compare => options.compare = true,
            "pictures" if options.only.is_none() && options.pictures.is_none() => {
                let dir = args.next().unwrap_or_else(|| pictures::BOOK_DIR.to_string());
                if dir.starts_with("--") {
                    return Err(format!("pictures takes a directory, not {dir}"));
                }
                options.pictures = Some(PathBuf::from(dir));
            }
            name => {
                if let Some(first) = &options.only {
                    return Err(format!("one pattern at a time: got {first} and {name}"));
                }
                options.only = Some(name.to_string());
            }
        }
    }
    if options.compare && options.only.is_none() {
        return Err("compare needs a pattern; see --list".to_string());
    }
    if options.timeline_svg.is_some() && options.only.is_none() {
        return Err("--timeline-svg draws one pattern: name it; see --list".to_string());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("clockwork-demos: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &options.pictures {
        return draw_pictures(dir);
    }
    let all = patterns();
    if options.list {
        for pattern in &all {
            println!("{:<14} {}", pattern.name, pattern.about);
        }
        return ExitCode::SUCCESS;
    }
    let chosen: Vec<&Pattern> =
        all.iter().filter(|p| options.only.as_deref().is_none_or(|name| p.name == name)).collect();
    if chosen.is_empty() {
        eprintln!("clockwork-demos: no pattern named {:?}; see --list", options.only.unwrap());
        return ExitCode::from(2);
    }
    if options.compare {
        return compare(chosen[0]);
    }
    if let Some(dir) = &options.trace_dir {
        if let Err(error) = std::fs::create_dir_all(dir) {
            eprintln!("clockwork-demos: cannot create {}: {error}", dir.display());
            return ExitCode::from(2);
        }
    }

    let mut rows = Vec::new();
    for pattern in chosen {
        let reports: Vec<(Runtime, Report)> = options
            .runtimes
            .iter()
            .map(|&runtime| (runtime, harness::run(pattern, runtime)))
            .collect();
        for (runtime, report) in &reports {
            print_run(pattern, *runtime, report);
        }
        if let Some(dir) = &options.trace_dir {
            let logs: Vec<_> = reports.iter().map(|(_, report)| &report.log).collect();
            timeline::write(&timeline::path(dir, pattern.name), &logs);
        }
        if let Some(file) = &options.timeline_svg {
            let logs: Vec<_> = reports.iter().map(|(_, report)| &report.log).collect();
            pictures::timeline::write(file, pattern.name, &logs);
        }
        rows.push((pattern, reports));
    }
    if let Some(dir) = &options.trace_dir {
        print_timelines(dir, &rows);
    }
    print_table(&rows)
}

/// `pictures DIR`: draws the book's pictures into `dir`.
fn draw_pictures(dir: &Path) -> ExitCode {
    match pictures::write_all(dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("clockwork-demos: cannot write the pictures in {}: {error}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// `compare PATTERN`: runs it on both runtimes and prints where the schedules differ. Fails
/// only if the two runs printed different things.
fn compare(pattern: &Pattern) -> ExitCode {
    let clockwork = harness::run(pattern, Runtime::Clockwork);
    let tokio = harness::run(pattern, Runtime::Tokio);
    let comparison = Comparison::new(pattern.name, &clockwork, &tokio);
    println!("{}", comparison.render());
    if comparison.same_output { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn print_run(pattern: &Pattern, runtime: Runtime, report: &Report) {
    println!("== {} on {} ({:.1} ms)", pattern.name, runtime.name(), millis(report));
    if !pattern.ordered {
        println!("   (tasks finish in no promised order: lines sorted)");
    }
    for line in &report.lines {
        println!("   {line}");
    }
    for aside in &report.asides {
        println!("   (aside, not compared) {aside}");
    }
    for warning in &report.warnings {
        println!("   (clockwork warned, not compared) {warning}");
    }
}

/// Lists the timelines written.
fn print_timelines(dir: &Path, rows: &[(&Pattern, Vec<(Runtime, Report)>)]) {
    println!();
    println!("timelines, both runtimes in each (open them in ui.perfetto.dev):");
    for (pattern, _) in rows {
        println!("   {}", timeline::path(dir, pattern.name).display());
    }
}

/// Prints the summary table; fails if any pattern's outputs differ.
fn print_table(rows: &[(&Pattern, Vec<(Runtime, Report)>)]) -> ExitCode {
    println!();
    println!(
        "{:<14} {:<6} {:>9} {:>9}   {:>15} {:>15}",
        "pattern", "same?", "cw ms", "tokio ms", "polls cw/tokio", "wakes cw/tokio"
    );
    let mut all_same = true;
    for (pattern, reports) in rows {
        let find = |wanted: Runtime| reports.iter().find(|(r, _)| *r == wanted).map(|(_, rep)| rep);
        let (clockwork, tokio) = (find(Runtime::Clockwork), find(Runtime::Tokio));
        let same = match (clockwork, tokio) {
            (Some(a), Some(b)) => Some(a.lines == b.lines),
            _ => None,
        };
        all_same &= same != Some(false);
        let cell =
            |report: Option<&Report>| report.map_or("-".into(), |r| format!("{:.1}", millis(r)));
        let counts = |report: Option<&Report>| report.map(|r| r.log.polls_and_wakes());
        let (cw, tk) = (counts(clockwork), counts(tokio));
        let pair = |pick: fn((u64, u64)) -> u64| {
            let side = |c: Option<(u64, u64)>| c.map_or("-".to_string(), |c| pick(c).to_string());
            format!("{}/{}", side(cw), side(tk))
        };
        let (polls, wakes) = (pair(|c| c.0), pair(|c| c.1));
        let same = match same {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        println!(
            "{:<14} {:<6} {:>9} {:>9}   {:>15} {:>15}",
            pattern.name,
            same,
            cell(clockwork),
            cell(tokio),
            polls,
            wakes
        );
    }
    if all_same { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn millis(report: &Report) -> f64 {
    report.elapsed.as_secs_f64() * 1000.0
}
