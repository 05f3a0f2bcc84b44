//! `clockwork-demos compare PATTERN`: where the two runtimes' schedules of one pattern differ.
//!
//! The table says whether the two runs printed the same thing; this says whether they got there
//! the same way. From the two runs' [`Log`]s it sets side by side: how often each task was
//! polled, the order the tasks completed in, how often the thread parked and for how long, and
//! how many wakes came from another thread. Then one line, the verdict.
//!
//! The same output on both runtimes with different schedules is not a bug: neither runtime
//! promises an order beyond what the program itself waits for. It is what the book's
//! "Comparing with tokio" section reads, and explains.

use std::fmt::Write;
use std::time::Duration;

use crate::harness::Report;
use crate::record::{Log, TaskNo, label};

/// The two schedules of one pattern, side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The pattern's name.
    pub pattern: &'static str,
    /// Whether both runs printed the same lines.
    pub same_output: bool,
    /// One row per task, in spawn order.
    pub tasks: Vec<TaskRow>,
    /// Task numbers in completion order: Clockwork's, then tokio's.
    pub completed: [Vec<TaskNo>; 2],
    /// Parks and time parked (peeks not counted): Clockwork's, then tokio's.
    pub parks: [(u64, Duration); 2],
    /// Clockwork's peeks at its driver between batches (tokio's call no hook).
    pub clockwork_peeks: u64,
    /// Wakes that came from another thread: Clockwork's, then tokio's.
    pub remote_wakes: [u64; 2],
    /// Wakes by a task, the `block_on` future, the driver, another thread: Clockwork's, then
    /// tokio's ([`Log::wakes_by_origin`]).
    pub wakes_by: [[u64; 4]; 2],
}

/// One task's polls on both runtimes; `None` where that runtime did not spawn it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// `task#1 (file:line)`.
    pub label: String,
    /// Polls on Clockwork, then on tokio.
    pub polls: [Option<u64>; 2],
}

impl Comparison {
    /// Compares the reports of one pattern's two runs: Clockwork's, then tokio's.
    pub fn new(pattern: &'static str, clockwork: &Report, tokio: &Report) -> Comparison {
        let logs = [&clockwork.log, &tokio.log];
        Comparison {
            pattern,
            same_output: clockwork.lines == tokio.lines,
            tasks: task_rows(logs),
            completed: logs.map(Log::completion_order),
            parks: logs.map(Log::parks),
            clockwork_peeks: clockwork.log.peeks(),
            remote_wakes: logs.map(Log::wakes_from_other_threads),
            wakes_by: logs.map(Log::wakes_by_origin),
        }
    }

    /// The tasks whose poll counts differ.
    pub fn differing_polls(&self) -> usize {
        self.tasks.iter().filter(|row| row.polls[0] != row.polls[1]).count()
    }

    /// The last line: whether the schedules are the same, and if not, in what.
    pub fn verdict(&self) -> String {
        let mut differences = Vec::new();
        if !self.same_output {
            differences.push("the output (a bug: see the table)".to_string());
        }
        let polls = self.differing_polls();
        if polls > 0 {
            differences.push(format!("poll counts of {polls} of {} tasks", self.tasks.len()));
        }
        if self.completed[0] != self.completed[1] {
            differences.push("the completion order".to_string());
        }
        if self.parks[0].0 != self.parks[1].0 {
            differences.push(format!("parks ({} vs {})", self.parks[0].0, self.parks[1].0));
        }
        if self.remote_wakes[0] != self.remote_wakes[1] {
            differences.push("wakes from other threads".to_string());
        }
        if differences.is_empty() {
            return "verdict: the same schedule on both runtimes".to_string();
        }
        format!("verdict: same program, different schedules: {}", differences.join(", "))
    }

    /// The whole report, verdict last.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "compare {}: clockwork vs tokio", self.pattern);
        let said = if self.same_output { "the same" } else { "DIFFERENT" };
        let _ = writeln!(out, "  output: {said}");
        self.render_polls(&mut out);
        self.render_order(&mut out);
        self.render_parks(&mut out);
        let by = |[task, block_on, driver, other]: [u64; 4]| {
            format!(
                "a task {task}, block_on {block_on}, the driver {driver}, another thread {other}"
            )
        };
        let [cw, tk] = self.wakes_by;
        let _ =
            writeln!(out, "  wakes by: clockwork: {}; tokio: {}{}", by(cw), by(tk), mark(cw == tk));
        let [cw, tk] = self.remote_wakes;
        let _ = writeln!(
            out,
            "  wakes from another thread: clockwork {cw}, tokio {tk}{}",
            mark(cw == tk)
        );
        out.push_str(&self.verdict());
        out
    }

    /// The order the tasks completed in, on each runtime.
    fn render_order(&self, out: &mut String) {
        let order = |tasks: &[TaskNo]| {
            let names: Vec<String> = tasks.iter().map(|task| format!("#{task}")).collect();
            names.join(" ")
        };
        let [cw, tk] = &self.completed;
        let same = mark(cw == tk);
        let _ =
            writeln!(out, "  completion order: clockwork {}, tokio {}{same}", order(cw), order(tk));
    }

    /// How often, and how long, each runtime's thread slept.
    fn render_parks(&self, out: &mut String) {
        let [(cw_parks, cw_parked), (tk_parks, tk_parked)] = self.parks;
        let peeks = self.clockwork_peeks;
        let _ = writeln!(
            out,
            "  parks: clockwork {cw_parks} ({:.1} ms parked; {peeks} peeks between batches), \
             tokio {tk_parks} ({:.1} ms parked){}",
            millis(cw_parked),
            millis(tk_parked),
            mark(cw_parks == tk_parks)
        );
    }

    /// One line per task: its polls on each runtime.
    fn render_polls(&self, out: &mut String) {
        let width = self.tasks.iter().map(|row| row.label.len()).max().unwrap_or(4).max(4);
        let _ = writeln!(out, "  polls per task:");
        let _ = writeln!(out, "    {:<width$} {:>9} {:>6}", "task", "clockwork", "tokio");
        for row in &self.tasks {
            let cell = |polls: Option<u64>| polls.map_or("-".to_string(), |p| p.to_string());
            let mark = mark(row.polls[0] == row.polls[1]);
            let (cw, tk) = (cell(row.polls[0]), cell(row.polls[1]));
            let _ = writeln!(out, "    {:<width$} {cw:>9} {tk:>6}{mark}", row.label);
        }
    }
}

/// Rows for every task either run spawned, numbered alike on both (spawn order).
fn task_rows(logs: [&Log; 2]) -> Vec<TaskRow> {
    let [clockwork, tokio] = logs.map(Log::tasks);
    let count = clockwork.len().max(tokio.len());
    (0..count)
        .map(|index| {
            let (cw, tk) = (clockwork.get(index), tokio.get(index));
            let named = cw.or(tk).expect("one of the two runs spawned this task");
            TaskRow {
                label: label(named.task, named.location),
                polls: [cw.map(|t| t.polls), tk.map(|t| t.polls)],
            }
        })
        .collect()
}

/// The note after a line whose two sides differ.
fn mark(same: bool) -> &'static str {
    if same { "" } else { "   <- differs" }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
