//! A few lines of SVG, written by hand as plain strings.
//!
//! The book's pictures need rectangles, lines, arrows, circles and text, and nothing else, so
//! no drawing crate is needed: this file is the whole vocabulary. Every coordinate is a whole
//! pixel, so the same drawing always gives the same bytes, which is what lets a test compare a
//! committed picture with a fresh one (`demos/tests/pictures.rs`).
//!
//! The look (colours, fonts) lives in one `<style>` block per picture, written by the caller;
//! the shapes only name a class.

use std::fmt::Write;

/// A picture being drawn: its size and the elements so far.
#[derive(Debug)]
pub struct Svg {
    width: i64,
    height: i64,
    style: &'static str,
    body: String,
}

impl Svg {
    /// An empty picture of `width` x `height` pixels, styled by the CSS in `style`.
    pub fn new(width: i64, height: i64, style: &'static str) -> Svg {
        Svg { width, height, style, body: String::new() }
    }

    /// A rectangle with its top-left corner at `(x, y)`.
    pub fn rect(&mut self, class: &str, (x, y): (i64, i64), (width, height): (i64, i64)) {
        let _ = writeln!(
            self.body,
            r#"<rect class="{class}" x="{x}" y="{y}" width="{width}" height="{height}"/>"#
        );
    }

    /// A straight line.
    pub fn line(&mut self, class: &str, (x1, y1): (i64, i64), (x2, y2): (i64, i64)) {
        let _ = writeln!(
            self.body,
            r#"<line class="{class}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>"#
        );
    }

    /// A filled polygon through `points`, for arrowheads and markers.
    pub fn polygon(&mut self, class: &str, points: &[(i64, i64)]) {
        let points: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = writeln!(self.body, r#"<polygon class="{class}" points="{}"/>"#, points.join(" "));
    }

    /// A circle of radius `r` around `(x, y)`.
    pub fn circle(&mut self, class: &str, (x, y): (i64, i64), r: i64) {
        let _ = writeln!(self.body, r#"<circle class="{class}" cx="{x}" cy="{y}" r="{r}"/>"#);
    }

    /// A curved arrow from `from` to `to` (a cubic Bézier curve), ending in an arrowhead.
    /// `bend` is how far the curve leaves each end: sideways between two lanes, upwards
    /// when both ends are on the same lane.
    pub fn arrow(&mut self, class: &str, from: (i64, i64), to: (i64, i64), bend: i64) {
        let (x1, y1) = from;
        let (x2, y2) = to;
        let (c1, c2) = if y1 == y2 {
            ((x1, y1 - bend), (x2, y2 - bend))
        } else {
            ((x1 + bend, y1), (x2 - bend, y2))
        };
        let _ = writeln!(
            self.body,
            r#"<path class="{class}" d="M{x1},{y1} C{},{} {},{} {x2},{y2}" marker-end="url(#head)"/>"#,
            c1.0, c1.1, c2.0, c2.1
        );
    }

    /// Text whose baseline starts at `(x, y)`.
    pub fn text(&mut self, class: &str, (x, y): (i64, i64), text: &str) {
        let text = escape(text);
        let _ = writeln!(self.body, r#"<text class="{class}" x="{x}" y="{y}">{text}</text>"#);
    }

    /// Text stretched or squeezed to exactly `width` pixels: monospace text that must line up
    /// with a grid, whatever font the reader's browser picks.
    pub fn text_fitted(&mut self, class: &str, (x, y): (i64, i64), width: i64, text: &str) {
        let text = escape(text);
        let _ = writeln!(
            self.body,
            r#"<text class="{class}" x="{x}" y="{y}" textLength="{width}" lengthAdjust="spacingAndGlyphs">{text}</text>"#
        );
    }

    /// The finished document.
    pub fn finish(self) -> String {
        let Svg { width, height, style, body } = self;
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
        );
        let _ = writeln!(out, "<style>{style}</style>");
        // One arrowhead, shared by every arrow (the class `head` gives its colour).
        out.push_str(concat!(
            r#"<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" "#,
            r#"markerWidth="7" markerHeight="7" orient="auto-start-reverse">"#,
            r#"<path class="head" d="M0,0 L10,5 L0,10 z"/></marker></defs>"#,
            "\n"
        ));
        let _ = writeln!(out, r#"<rect class="background" width="{width}" height="{height}"/>"#);
        out.push_str(&body);
        out.push_str("</svg>\n");
        out
    }
}

/// `text` with the characters that XML gives a meaning escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
