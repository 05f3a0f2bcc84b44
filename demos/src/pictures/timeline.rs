//! `--timeline-svg FILE`: a pattern's timeline as a picture, for readers without Perfetto.
//!
//! It is drawn from the same [`Log`]s as the Chrome trace (`timeline.rs`), with the same lanes:
//! the runtime's parks, the `block_on` future, other threads, then one lane per task. Each
//! runtime's run is a block of lanes, Clockwork's above tokio's.
//!
//! The x axis is the *order* of events, not the clock: each step of a `Log` takes one column,
//! and a poll is as wide as the steps that happened during it (its start, the wakes and spawns
//! it made, its end). A clock would make the picture differ on every run and squash the
//! microsecond polls next to a 100 ms sleep; the order is what a reader wants to see (who woke
//! whom, and which poll that caused), and it is the same on every run of a paused clock.
//!
//! ```text
//!   lane                    steps: 0 1 2 3 4 5 6 ...
//!   runtime (parks)                        [park ]        a park: from Park to Unpark
//!   block_on future         [main]           o            o: a wake it made (the dot)
//!   task#1 flow.rs:12         ^   [poll]       \->[poll]  an arrow from the first wake
//!                           spawn                         since the last poll, to that poll
//! ```

use std::collections::HashMap;
use std::path::Path;

use crate::harness::Runtime;
use crate::pictures::svg::Svg;
use crate::record::{Log, Origin, StepKind, TaskNo};

/// Width of the lane names, on the left.
const LABEL_W: i64 = 170;
/// Width of one step: as wide as fits [`PLOT_W`], within these bounds.
const MIN_COL_W: i64 = 14;
const MAX_COL_W: i64 = 40;
/// The width the steps should fill, when there are not too many of them.
const PLOT_W: i64 = 700;
/// Height of one lane.
const LANE_H: i64 = 20;
/// Height of a runtime's heading above its lanes.
const HEADING_H: i64 = 24;
/// Room above everything for the title.
const TITLE_H: i64 = 30;
/// Room below the lanes for the axis and the legend.
const FOOTER_H: i64 = 64;

const STYLE: &str = "\
.background{fill:#fff}\
text{font-family:sans-serif;font-size:11px;fill:#222}\
.title{font-size:13px;font-weight:bold}\
.heading{font-size:12px;font-weight:bold}\
.lane{fill:#f4f4f4}\
.grid{stroke:#ddd;stroke-width:1}\
.pending{fill:#6b9bd1}\
.ready{fill:#4caf50}\
.main{fill:#b39ddb}\
.park{fill:#bdbdbd}\
.peek{fill:#e0e0e0}\
.spawn{fill:#222}\
.wake{fill:#d35400}\
.caused{fill:none;stroke:#d35400;stroke-width:1.3}\
.head{fill:#d35400}\
.cancelled{stroke:#c62828;stroke-width:2}";

/// Writes the picture of one pattern's runs at `path`; a failure is reported on stderr.
pub fn write(path: &Path, pattern: &str, logs: &[&Log]) {
    if let Err(error) = std::fs::write(path, render(pattern, logs)) {
        eprintln!("clockwork-demos: could not write {}: {error}", path.display());
    }
}

/// The picture of one pattern's runs, one block of lanes per run, as an SVG document.
pub fn render(pattern: &str, logs: &[&Log]) -> String {
    let steps = logs.iter().map(|log| log.steps.len()).max().unwrap_or(0) as i64;
    let col_w = (PLOT_W / steps.max(1)).clamp(MIN_COL_W, MAX_COL_W);
    let blocks: Vec<Block> = logs.iter().map(|log| Block::new(log, col_w)).collect();
    let lanes_h: i64 = blocks.iter().map(|b| HEADING_H + b.lanes.len() as i64 * LANE_H).sum();
    let width = LABEL_W + steps * col_w + 20;
    let height = TITLE_H + lanes_h + FOOTER_H;
    let mut svg = Svg::new(width.max(900), height, STYLE);
    let title = format!("{pattern}: one column per recorded event, in the order they happened");
    svg.text("title", (8, 18), &title);
    let mut top = TITLE_H;
    for (block, log) in blocks.iter().zip(logs) {
        block.draw(&mut svg, log, top, steps);
        top += HEADING_H + block.lanes.len() as i64 * LANE_H;
    }
    axis(&mut svg, top, steps, col_w);
    legend(&mut svg, top + 34);
    svg.finish()
}

/// One run's lanes, top to bottom.
struct Block {
    runtime: Runtime,
    lanes: Vec<Lane>,
    /// The width of one step.
    col_w: i64,
}

/// What one lane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Parks,
    BlockOn,
    OtherThreads,
    Task(TaskNo),
}

// === impl Block ===

impl Block {
    /// The lanes of `log`: the three fixed ones (other threads only if some wake came from
    /// one), then its tasks in spawn order.
    fn new(log: &Log, col_w: i64) -> Block {
        let mut lanes = vec![Lane::Parks, Lane::BlockOn];
        if log.wakes_from_other_threads() > 0 {
            lanes.push(Lane::OtherThreads);
        }
        lanes.extend(log.tasks().iter().map(|task| Lane::Task(task.task)));
        Block { runtime: log.runtime, lanes, col_w }
    }

    /// The middle of `lane`'s row, for a block whose lanes start at `top`.
    fn lane_y(&self, top: i64, lane: Lane) -> i64 {
        let row = self.lanes.iter().position(|l| *l == lane).unwrap_or(0) as i64;
        top + HEADING_H + row * LANE_H + LANE_H / 2
    }

    /// Draws the heading, the lanes and everything that happened on them.
    fn draw(&self, svg: &mut Svg, log: &Log, top: i64, steps: i64) {
        let heading = format!("{} ({} events)", self.runtime.name(), log.steps.len());
        svg.text("heading", (8, top + 16), &heading);
        for lane in &self.lanes {
            let y = self.lane_y(top, *lane);
            svg.rect("lane", (LABEL_W, y - LANE_H / 2 + 1), (steps * self.col_w, LANE_H - 2));
            svg.text("", (8, y + 4), &lane_name(*lane, log));
        }
        for step in (10..steps).step_by(10) {
            let x = col_x(self.col_w, step as usize);
            svg.line(
                "grid",
                (x, top + HEADING_H),
                (x, top + HEADING_H + self.lanes.len() as i64 * LANE_H),
            );
        }
        self.draw_steps(svg, log, top);
    }

    /// The middle of a step's column.
    fn mid_x(&self, column: usize) -> i64 {
        col_x(self.col_w, column) + self.col_w / 2
    }

    /// A slice on the lane whose middle is `y`, from column `first` to column `last`, both in.
    fn slice(&self, svg: &mut Svg, class: &str, y: i64, first: usize, last: usize) {
        let width = (last - first + 1) as i64 * self.col_w - 2;
        svg.rect(class, (col_x(self.col_w, first) + 1, y - 6), (width, 12));
    }

    /// Walks the log once, drawing each step where it belongs.
    fn draw_steps(&self, svg: &mut Svg, log: &Log, top: i64) {
        let y = |lane| self.lane_y(top, lane);
        let mut poll_starts: HashMap<TaskNo, usize> = HashMap::new();
        // First wakes waiting for the poll they cause: task -> (x, y) of the wake's dot.
        let mut caused: HashMap<TaskNo, (i64, i64)> = HashMap::new();
        let mut main_start = None;
        let mut park_start = None;
        // Wakes and arrows are drawn last, above the slices they cross.
        let mut dots = Vec::new();
        let mut arrows = Vec::new();
        for (column, step) in log.steps.iter().enumerate() {
            match &step.kind {
                StepKind::Spawn { task, .. } => {
                    main_start = main_start.or_else(|| poll_starts.is_empty().then_some(column));
                    spawn_marker(svg, (self.mid_x(column), y(Lane::Task(*task))));
                }
                StepKind::PollStart { task } => {
                    poll_starts.insert(*task, column);
                    main_start = None;
                    let start = (col_x(self.col_w, column) + 1, y(Lane::Task(*task)));
                    arrows.extend(caused.remove(task).map(|from| (from, start)));
                }
                StepKind::PollEnd { task, ready, .. } => {
                    let start = poll_starts.remove(task).unwrap_or(column);
                    let class = if *ready { "ready" } else { "pending" };
                    self.slice(svg, class, y(Lane::Task(*task)), start, column);
                }
                StepKind::MainPoll { .. } => {
                    let start = main_start.take().unwrap_or(column);
                    self.slice(svg, "main", y(Lane::BlockOn), start, column);
                }
                StepKind::Wake { task, by, first } => {
                    if *by == Origin::BlockOn {
                        main_start = main_start.or(Some(column));
                    }
                    let dot = (self.mid_x(column), y(waker_lane(*by)));
                    dots.push(dot);
                    if *first {
                        caused.entry(*task).or_insert(dot);
                    }
                }
                StepKind::Cancelled { task } => {
                    cancel_marker(svg, (self.mid_x(column), y(Lane::Task(*task))));
                }
                StepKind::Park { peek } => {
                    main_start = None;
                    park_start = Some((column, *peek));
                }
                StepKind::Unpark { .. } => {
                    let (start, peek) = park_start.take().unwrap_or((column, false));
                    let class = if peek { "peek" } else { "park" };
                    self.slice(svg, class, y(Lane::Parks), start, column);
                }
            }
        }
        for (from, to) in arrows {
            svg.arrow("caused", from, to, MIN_COL_W);
        }
        for dot in dots {
            svg.circle("wake", dot, 3);
        }
    }
}

/// The left edge of a step's column.
fn col_x(col_w: i64, column: usize) -> i64 {
    LABEL_W + column as i64 * col_w
}

/// A small triangle pointing up: the task was spawned here.
fn spawn_marker(svg: &mut Svg, (x, y): (i64, i64)) {
    svg.polygon("spawn", &[(x, y - 5), (x - 4, y + 4), (x + 4, y + 4)]);
}

/// A red cross: the task was dropped before it completed.
fn cancel_marker(svg: &mut Svg, (x, y): (i64, i64)) {
    svg.line("cancelled", (x - 4, y - 4), (x + 4, y + 4));
    svg.line("cancelled", (x - 4, y + 4), (x + 4, y - 4));
}

/// The lane where a wake by `by` is drawn (the driver's are on the runtime's lane).
fn waker_lane(by: Origin) -> Lane {
    match by {
        Origin::Task(task) => Lane::Task(task),
        Origin::BlockOn => Lane::BlockOn,
        Origin::OtherThread => Lane::OtherThreads,
        Origin::Driver => Lane::Parks,
    }
}

/// `task#1 flow.rs:12`: a task's name, with the file's name only, to keep the column narrow.
fn lane_name(lane: Lane, log: &Log) -> String {
    match lane {
        Lane::Parks => "runtime (parks, driver)".to_string(),
        Lane::BlockOn => "block_on future".to_string(),
        Lane::OtherThreads => "other threads".to_string(),
        Lane::Task(task) => {
            let summary = log.tasks().into_iter().find(|t| t.task == task);
            let place = summary.map(|t| {
                let file = Path::new(t.location.file()).file_name().unwrap_or_default();
                format!(" {}:{}", file.to_string_lossy(), t.location.line())
            });
            format!("task#{task}{}", place.unwrap_or_default())
        }
    }
}

/// Ticks every ten steps under the lanes, and what the axis means.
fn axis(svg: &mut Svg, top: i64, steps: i64, col_w: i64) {
    svg.line("grid", (LABEL_W, top + 2), (LABEL_W + steps * col_w, top + 2));
    for step in (0..=steps).step_by(10) {
        let x = col_x(col_w, step as usize);
        svg.line("grid", (x, top), (x, top + 6));
        svg.text("", (x - 3, top + 17), &step.to_string());
    }
    svg.text("", (8, top + 17), "events, in order");
}

/// What each mark means.
fn legend(svg: &mut Svg, y: i64) {
    let mut x = 8;
    let mut key = |svg: &mut Svg, class: &str, text: &str| {
        svg.rect(class, (x, y - 9), (18, 12));
        svg.text("", (x + 24, y + 1), text);
        x += 24 + 7 * text.len() as i64 + 14;
    };
    key(svg, "pending", "poll: Pending");
    key(svg, "ready", "poll: Ready");
    key(svg, "main", "block_on poll");
    key(svg, "park", "park");
    key(svg, "peek", "peek at the driver");
    spawn_marker(svg, (x + 5, y - 3));
    svg.text("", (x + 16, y + 1), "spawn");
    x += 70;
    svg.circle("wake", (x + 4, y - 3), 3);
    svg.arrow("caused", (x + 4, y - 3), (x + 40, y - 3), 6);
    svg.text("", (x + 48, y + 1), "a wake, and the poll it caused");
}
