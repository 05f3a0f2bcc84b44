//! The task lifecycle as a picture, drawn from the ASCII diagram in `executor/src/task/state.rs`.
//!
//! The diagram in the source is the one the book shows as text (its `diagram` anchor), so the
//! picture is drawn from that text, character by character, rather than drawn again: a change
//! to the diagram changes the picture, and the two can never disagree.
//!
//! Each character of the diagram is one cell of a grid. `-` and `|` become lines through the
//! cell, `+` joins the lines of its neighbours, `>`, `<`, `^` and a `v` under a `|` become
//! arrowheads, and everything else is text, set in runs that fill their cells exactly. A box
//! (four `+` corners joined by lines) is filled, so the states stand out.

use crate::pictures::svg::Svg;

/// `executor/src/task/state.rs`, as compiled into this binary.
const STATE_RS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../executor/src/task/state.rs"));

const CELL_W: i64 = 8;
const CELL_H: i64 = 16;
const MARGIN: i64 = 12;

const STYLE: &str = "\
.background{fill:#fff}\
text{font-family:monospace;font-size:13px;fill:#222}\
.state{font-weight:bold}\
.box{fill:#e3edf9}\
.edge{stroke:#333;stroke-width:1.5;stroke-linecap:square}\
.head{fill:#333}";

/// The diagram's lines, without the `//!` that makes them doc comments.
pub fn diagram() -> Vec<String> {
    let start = STATE_RS.find("// ANCHOR: diagram\n").expect("state.rs has a diagram anchor");
    let end = STATE_RS.find("// ANCHOR_END: diagram").expect("the anchor is closed");
    let text = &STATE_RS[start..end];
    let lines = text.lines().skip(1);
    let uncommented = lines.map(|line| {
        let line = line.strip_prefix("//!").unwrap_or(line);
        line.strip_prefix(' ').unwrap_or(line).trim_end().to_string()
    });
    uncommented.collect()
}

/// The picture of the diagram, as an SVG document.
pub fn render() -> String {
    let grid = Grid::new(&diagram());
    let width = grid.width as i64 * CELL_W + 2 * MARGIN;
    let height = grid.rows.len() as i64 * CELL_H + 2 * MARGIN;
    let mut svg = Svg::new(width, height, STYLE);
    // Boxes first, so lines and text are drawn over their fill.
    for (top_left, bottom_right) in grid.boxes() {
        let (x1, y1) = centre(top_left);
        let (x2, y2) = centre(bottom_right);
        svg.rect("box", (x1, y1), (x2 - x1, y2 - y1));
    }
    let cells = (0..grid.rows.len()).flat_map(|row| (0..grid.width).map(move |col| (row, col)));
    let cells: Vec<Cell> = cells.collect();
    // The half-lines of neighbouring cells are joined into whole lines, drawn once each.
    let half_lines = cells.iter().flat_map(|cell| grid.half_lines(*cell)).collect();
    for (from, to) in join(half_lines) {
        svg.line("edge", from, to);
    }
    for cell in &cells {
        if let Some(Shape::Head(direction)) = grid.shape(*cell) {
            svg.polygon("head", &direction.triangle(centre(*cell)));
        }
    }
    for row in 0..grid.rows.len() {
        grid.draw_text(&mut svg, row);
    }
    svg.finish()
}

/// A straight line, horizontal or vertical, from its top or left end to the other.
type Segment = ((i64, i64), (i64, i64));

/// The segment between `a` and `b`, top or left end first.
fn ordered(a: (i64, i64), b: (i64, i64)) -> Segment {
    if (a.1, a.0) <= (b.1, b.0) { (a, b) } else { (b, a) }
}

/// Joins segments that lie on one line and touch, so that a line of many cells is one line.
fn join(mut segments: Vec<Segment>) -> Vec<Segment> {
    // Horizontal ones sorted by row then start, vertical ones by column then start: segments
    // that can be joined end up next to each other.
    let key = |((x1, y1), (x2, y2)): &Segment| {
        if y1 == y2 { (0, *y1, *x1, *x2) } else { (1, *x1, *y1, *y2) }
    };
    segments.sort_by_key(key);
    let mut joined: Vec<Segment> = Vec::new();
    for segment in segments {
        let (kind, line, start, end) = key(&segment);
        if let Some(last) = joined.last_mut() {
            let (last_kind, last_line, _, last_end) = key(last);
            if (last_kind, last_line) == (kind, line) && start <= last_end {
                last.1 =
                    if kind == 0 { (end.max(last_end), line) } else { (line, end.max(last_end)) };
                continue;
            }
        }
        joined.push(segment);
    }
    joined
}

/// The diagram as a grid of characters, every row as wide as the widest.
struct Grid {
    rows: Vec<Vec<char>>,
    width: usize,
}

/// A `(row, column)` position in the grid.
type Cell = (usize, usize);

/// The middle of a cell, in pixels.
fn centre((row, col): Cell) -> (i64, i64) {
    (MARGIN + col as i64 * CELL_W + CELL_W / 2, MARGIN + row as i64 * CELL_H + CELL_H / 2)
}

// === impl Grid ===

impl Grid {
    fn new(lines: &[String]) -> Grid {
        let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let pad = |line: &String| {
            let mut row: Vec<char> = line.chars().collect();
            row.resize(width, ' ');
            row
        };
        Grid { rows: lines.iter().map(pad).collect(), width }
    }

    /// The character at `row`, `col` moved by `(dr, dc)`; a space outside the grid.
    fn at(&self, (row, col): Cell, (dr, dc): (isize, isize)) -> char {
        let (Some(r), Some(c)) = (row.checked_add_signed(dr), col.checked_add_signed(dc)) else {
            return ' ';
        };
        self.rows.get(r).and_then(|line| line.get(c)).copied().unwrap_or(' ')
    }

    /// Which way a drawing character at `cell` draws, if it draws: `None` for text.
    fn shape(&self, cell: Cell) -> Option<Shape> {
        let horizontal = |c: char| matches!(c, '-' | '+' | '<' | '>');
        let vertical = |c: char| matches!(c, '|' | '+' | '^' | 'v');
        let left = horizontal(self.at(cell, (0, -1)));
        let right = horizontal(self.at(cell, (0, 1)));
        let up = vertical(self.at(cell, (-1, 0)));
        let down = vertical(self.at(cell, (1, 0)));
        let shape = match self.at(cell, (0, 0)) {
            '-' => Shape::Line { left: true, right: true, up: false, down: false },
            '|' => Shape::Line { left: false, right: false, up: true, down: true },
            '+' if left || right || up || down => Shape::Line { left, right, up, down },
            '>' if left => Shape::Head(Direction::Right),
            '<' if right => Shape::Head(Direction::Left),
            '^' if down => Shape::Head(Direction::Up),
            // A `v` is a letter unless a line comes down into it.
            'v' if self.at(cell, (-1, 0)) == '|' => Shape::Head(Direction::Down),
            _ => return None,
        };
        Some(shape)
    }

    /// The lines of one cell, each from the cell's middle to one of its edges.
    fn half_lines(&self, cell: Cell) -> Vec<Segment> {
        let Some(Shape::Line { left, right, up, down }) = self.shape(cell) else {
            return Vec::new();
        };
        let (x, y) = centre(cell);
        let (hw, hh) = (CELL_W / 2, CELL_H / 2);
        let ends =
            [(left, (x - hw, y)), (right, (x + hw, y)), (up, (x, y - hh)), (down, (x, y + hh))];
        ends.into_iter().filter(|(on, _)| *on).map(|(_, end)| ordered((x, y), end)).collect()
    }

    /// Draws a row's text, one `<text>` per run of words (a single space joins two words,
    /// two spaces part them), each squeezed to fill exactly its cells.
    fn draw_text(&self, svg: &mut Svg, row: usize) {
        let mut col = 0;
        while col < self.width {
            if self.rows[row][col] == ' ' || self.shape((row, col)).is_some() {
                col += 1;
                continue;
            }
            let start = col;
            while col < self.width && self.is_text((row, col)) {
                col += 1;
            }
            let run: String = self.rows[row][start..col].iter().collect();
            let run = run.trim_end();
            let x = MARGIN + start as i64 * CELL_W;
            let y = MARGIN + row as i64 * CELL_H + CELL_H - 4;
            let width = run.chars().count() as i64 * CELL_W;
            let class = if is_state_name(run) { "state" } else { "" };
            svg.text_fitted(class, (x, y), width, run);
        }
    }

    /// Whether `cell` continues a run of text: a character that does not draw, or one space
    /// followed by such a character.
    fn is_text(&self, cell: Cell) -> bool {
        let c = self.at(cell, (0, 0));
        if c == ' ' {
            let next = self.at(cell, (0, 1));
            return next != ' ' && self.shape((cell.0, cell.1 + 1)).is_none();
        }
        self.shape(cell).is_none()
    }

    /// The boxes: each as its top-left and bottom-right corner.
    fn boxes(&self) -> Vec<(Cell, Cell)> {
        let mut found = Vec::new();
        for row in 0..self.rows.len() {
            for col in 0..self.width {
                found.extend(self.box_at((row, col)).map(|corner| ((row, col), corner)));
            }
        }
        found
    }

    /// The bottom-right corner of the box whose top-left corner is `cell`, if one is.
    fn box_at(&self, cell: Cell) -> Option<Cell> {
        let is = |cell: Cell, c: char| self.at(cell, (0, 0)) == c;
        if !is(cell, '+') || !is((cell.0, cell.1 + 1), '-') || !is((cell.0 + 1, cell.1), '|') {
            return None;
        }
        let (row, col) = cell;
        let right = (col + 1..self.width).find(|c| !is((row, *c), '-'))?;
        let bottom = (row + 1..self.rows.len()).find(|r| !is((*r, col), '|'))?;
        let corners = [(row, right), (bottom, col), (bottom, right)];
        let closed = corners.iter().all(|corner| is(*corner, '+'))
            && (row + 1..bottom).all(|r| is((r, right), '|'))
            && (col + 1..right).all(|c| matches!(self.at((bottom, c), (0, 0)), '-' | '+'));
        closed.then_some((bottom, right))
    }
}

/// What a drawing character draws.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Lines from the cell's middle to the named edges.
    Line { left: bool, right: bool, up: bool, down: bool },
    /// An arrowhead pointing that way.
    Head(Direction),
}

#[derive(Debug, Clone, Copy)]
enum Direction {
    Left,
    Right,
    Up,
    Down,
}

impl Direction {
    /// The arrowhead's triangle in the cell whose middle is `(x, y)`: its tip on the cell's edge.
    fn triangle(self, (x, y): (i64, i64)) -> [(i64, i64); 3] {
        let (hw, hh) = (CELL_W / 2, CELL_H / 2);
        match self {
            Direction::Right => [(x + hw, y), (x - hw, y - 4), (x - hw, y + 4)],
            Direction::Left => [(x - hw, y), (x + hw, y - 4), (x + hw, y + 4)],
            Direction::Up => [(x, y - hh), (x - 4, y + 2), (x + 4, y + 2)],
            Direction::Down => [(x, y + hh), (x - 4, y - 2), (x + 4, y - 2)],
        }
    }
}

/// Whether a run of text names a state: all capitals (`SCHEDULED`, `RUNNING + NOTIFIED`).
fn is_state_name(run: &str) -> bool {
    let letters = run.chars().filter(|c| c.is_alphabetic());
    run.chars().any(char::is_alphabetic) && letters.clone().all(char::is_uppercase)
}
