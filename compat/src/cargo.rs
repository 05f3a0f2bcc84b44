//! Building a scratch project's tests and reading what the compiler said.
//!
//! `cargo build --tests --keep-going --message-format=json` builds every test file, goes on
//! past the ones that fail, and prints one JSON object per line: an artifact (a test binary
//! and its path) or a compiler message (with the byte offsets it points at). This module
//! turns those lines into a `Build`: the binaries that were made, and the errors, each with
//! the positions a removal could be charged to.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::scratch::{Scratch, cargo};

/// What one build produced.
#[derive(Debug, Default)]
pub struct Build {
    /// Test binaries, by test file name.
    pub executables: BTreeMap<String, PathBuf>,
    /// Every error, in the order the compiler gave them.
    pub errors: Vec<CompileError>,
}

/// One compiler error.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// The test file (cargo's test target) it belongs to.
    pub target: String,
    /// The first line of the message (`no method named ... found ...`).
    pub message: String,
    /// The label under the primary span, which often says more (`expected u32, found ()`).
    pub label: Option<String>,
    /// Where it points: the primary span first, then the macro call sites it came through.
    pub positions: Vec<Position>,
}

/// A byte offset in a file of the scratch project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file, relative to the project (`tests/sync_mpsc.rs`), or absolute.
    pub file: String,
    pub byte: usize,
}

/// Builds every test of the project; a build that fails only on compile errors is not an
/// error here (the errors are in the `Build`), one that fails otherwise is.
pub fn build_tests(scratch: &Scratch) -> Result<Build, String> {
    let output = Command::new(cargo())
        .args(["build", "--tests", "--keep-going", "--message-format=json", "--manifest-path"])
        .arg(scratch.dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &scratch.target_dir)
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| format!("cannot run cargo build: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut build = Build::default();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        read_message(&message, &mut build);
    }
    if !output.status.success() && build.errors.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("cargo build failed without a compile error:\n{stderr}"));
    }
    Ok(build)
}

/// Files one line of cargo's JSON output into the build.
fn read_message(message: &Value, build: &mut Build) {
    let target = &message["target"];
    let is_test_file =
        target["kind"].as_array().is_some_and(|kinds| kinds.contains(&"test".into()));
    if !is_test_file {
        return;
    }
    let name = target["name"].as_str().unwrap_or_default().to_string();
    match message["reason"].as_str() {
        Some("compiler-artifact") => {
            if let Some(path) = message["executable"].as_str() {
                build.executables.insert(name, PathBuf::from(path));
            }
        }
        Some("compiler-message") if message["message"]["level"] == "error" => {
            if let Some(error) = compile_error(&message["message"], name) {
                build.errors.push(error);
            }
        }
        _ => {}
    }
}

/// A compiler diagnostic as a `CompileError`; `None` for the "aborting due to" summary,
/// which points nowhere.
fn compile_error(diagnostic: &Value, target: String) -> Option<CompileError> {
    let spans = diagnostic["spans"].as_array()?;
    let primary = spans.iter().find(|span| span["is_primary"] == true)?;
    let message = diagnostic["message"].as_str().unwrap_or_default();
    let first_line = message.lines().next().unwrap_or_default().to_string();
    let label = primary["label"].as_str().map(str::to_string);
    Some(CompileError { target, message: first_line, label, positions: span_chain(primary) })
}

/// A span and the spans of the macro calls it was expanded from, innermost first.
fn span_chain(span: &Value) -> Vec<Position> {
    let mut positions = Vec::new();
    let mut current = span;
    loop {
        if let (Some(file), Some(byte)) =
            (current["file_name"].as_str(), current["byte_start"].as_u64())
        {
            positions.push(Position { file: file.to_string(), byte: byte as usize });
        }
        let outer = &current["expansion"]["span"];
        if outer.is_null() {
            return positions;
        }
        current = outer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_inside_a_macro_is_also_placed_at_the_macro_call() {
        let json = serde_json::json!({
            "reason": "compiler-message",
            "target": { "kind": ["test"], "name": "sync_mpsc" },
            "message": {
                "level": "error",
                "message": "cannot find type `Foo`\nmore",
                "spans": [{
                    "is_primary": true, "file_name": "/clockwork/src/macros.rs",
                    "byte_start": 10, "label": "not found",
                    "expansion": { "span": { "file_name": "tests/sync_mpsc.rs", "byte_start": 99 } }
                }]
            }
        });
        let mut build = Build::default();
        read_message(&json, &mut build);
        let error = &build.errors[0];
        assert_eq!(error.target, "sync_mpsc");
        assert_eq!(error.message, "cannot find type `Foo`");
        assert_eq!(error.label.as_deref(), Some("not found"));
        let files: Vec<&str> = error.positions.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["/clockwork/src/macros.rs", "tests/sync_mpsc.rs"]);
        assert_eq!(error.positions[1].byte, 99);
    }

    #[test]
    fn a_test_binary_is_recorded_by_file_name() {
        let json = serde_json::json!({
            "reason": "compiler-artifact",
            "target": { "kind": ["test"], "name": "udp" },
            "executable": "/t/debug/deps/udp-1234"
        });
        let mut build = Build::default();
        read_message(&json, &mut build);
        assert_eq!(build.executables["udp"], PathBuf::from("/t/debug/deps/udp-1234"));
    }
}
