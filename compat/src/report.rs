//! Writes `docs/src/compat.md`, the book's chapter on compatibility, from the results.
//!
//! The chapter is generated, never edited by hand: `regen` rewrites it whole. Its prose is
//! here, its figures come from `Results`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::results::{Results, TestResults};

/// The prose before the figures.
const INTRO: &str = include_str!("../chapter-intro.md");

/// How many of the most frequent reasons the chapter lists.
const TOP_REASONS: usize = 25;

/// The chapter's text.
pub fn chapter(results: &Results, ci_files: Option<&[String]>) -> String {
    let mut text = String::new();
    intro(&mut text, results, ci_files);
    totals(&mut text, results);
    per_file(&mut text, results);
    top_reasons(&mut text, results);
    every_test(&mut text, results);
    text
}

/// The chapter's opening prose, kept as Markdown in `compat/chapter-intro.md` with its
/// `{placeholders}` filled in.
fn intro(text: &mut String, results: &Results, ci_files: Option<&[String]>) {
    let ci_scope = match ci_files {
        Some(files) => format!(
            "To stay within CI's time, CI runs a fixed subset of the files: {}.",
            files.join(", ")
        ),
        None => {
            "CI runs every file (it takes about three minutes on a 2-core machine).".to_string()
        }
    };
    let filled = INTRO
        .replace("{tokio_version}", &results.tokio_version)
        .replace("{timeout_secs}", &results.timeout_secs.to_string())
        .replace("{ci_scope}", &ci_scope);
    text.push_str(&filled);
}

fn totals(text: &mut String, results: &Results) {
    let totals = results.totals;
    writeln!(text, "## Totals\n").unwrap();
    writeln!(text, "| tests | pass on tokio | pass on Clockwork too |").unwrap();
    writeln!(text, "|---:|---:|---:|").unwrap();
    writeln!(
        text,
        "| {} | {} | {} |\n",
        totals.tests, totals.tokio_passes, totals.clockwork_passes
    )
    .unwrap();
}

fn per_file(text: &mut String, results: &Results) {
    writeln!(text, "## Per file\n").unwrap();
    writeln!(text, "\"Not compiling\" and \"failing\" count tests that pass on tokio.\n").unwrap();
    writeln!(text, "| file | tests | pass on tokio | pass on Clockwork | not compiling | failing on Clockwork |").unwrap();
    writeln!(text, "|---|---:|---:|---:|---:|---:|").unwrap();
    for file in &results.files {
        let lost: Vec<&TestResults> = file.tests.iter().filter(|t| t.reason.is_some()).collect();
        let not_compiling = lost.iter().filter(|t| !t.clockwork.has_run()).count();
        let failing = lost.len() - not_compiling;
        let t = file.totals;
        writeln!(
            text,
            "| `{}` | {} | {} | {} | {not_compiling} | {failing} |",
            file.name, t.tests, t.tokio_passes, t.clockwork_passes
        )
        .unwrap();
    }
    writeln!(text).unwrap();
}

fn top_reasons(text: &mut String, results: &Results) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for test in results.files.iter().flat_map(|file| &file.tests) {
        if let Some(reason) = &test.reason {
            *counts.entry(reason.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    writeln!(text, "## The most frequent reasons\n").unwrap();
    writeln!(text, "| tests | reason |").unwrap();
    writeln!(text, "|---:|---|").unwrap();
    for (reason, count) in ranked.iter().take(TOP_REASONS) {
        writeln!(text, "| {count} | {} |", escape(reason)).unwrap();
    }
    writeln!(text).unwrap();
}

fn every_test(text: &mut String, results: &Results) {
    writeln!(text, "## Every test that passes on tokio and not on Clockwork\n").unwrap();
    for file in &results.files {
        let lost: Vec<&TestResults> = file.tests.iter().filter(|t| t.reason.is_some()).collect();
        if lost.is_empty() {
            continue;
        }
        writeln!(text, "### `{}`\n", file.name).unwrap();
        for test in lost {
            let reason = test.reason.as_deref().unwrap_or_default();
            writeln!(text, "- `{}`: {}", test.name, escape(reason)).unwrap();
        }
        writeln!(text).unwrap();
    }
}

/// Keeps a reason from breaking a Markdown table or list: no pipes, and no `<` outside
/// backquotes, where it would start an HTML tag.
fn escape(reason: &str) -> String {
    let mut out = String::new();
    for (index, part) in reason.replace('|', "\\|").split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        let in_code = index % 2 == 1;
        if in_code {
            out.push_str(part);
        } else {
            out.push_str(&part.replace('<', "&lt;").replace('>', "&gt;"));
        }
    }
    out
}
