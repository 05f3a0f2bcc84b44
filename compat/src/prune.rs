//! Compile, remove what does not compile, repeat: the file as Clockwork can build it.
//!
//! One round of `prune_until_it_compiles`:
//!
//! 1. Every test file is written to the on-clockwork project with the items removed so far
//!    cut out (`Outline::cut`).
//! 2. `cargo build --tests --keep-going` builds them all and reports every error.
//! 3. Each error is charged to the innermost item around it, which is removed next round,
//!    with the error as its reason. An error inside a macro is charged to the macro's call;
//!    one in `tests/support/x.rs` to the `mod x;` that loads it.
//! 4. A file whose errors cannot be charged to any item not yet removed cannot be saved: it
//!    leaves the project, and all its tests count as not compiling.
//!
//! Removing a helper makes the tests that call it fail next round. Their error names the
//! helper (`cannot find function `helper``), so they inherit the helper's reason: the report
//! then says what is really missing.
//!
//! What was removed is kept in a `PruneTable` (`compat/pruned.toml`), so CI can apply it in
//! one step without running the rounds.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::cargo::{Build, CompileError, build_tests};
use crate::outline::{Item, Outline};
use crate::reason::{compile_reason, is_macro_syntax_error};
use crate::scratch::Scratch;

/// More rounds than this means something loops; every round must remove at least one item.
const MAX_ROUNDS: usize = 30;

/// What was removed from each file, by file name: `compat/pruned.toml`.
pub type PruneTable = BTreeMap<String, FilePrune>;

/// What was removed from one file.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct FilePrune {
    /// Set when the file could not be made to compile at all: the first error that could not
    /// be charged to an item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsalvageable: Option<String>,
    /// The items removed, in the order they were found.
    #[serde(default)]
    pub removed: Vec<Removal>,
}

/// One removed item and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Removal {
    /// The item's key (see `outline::Item::key`).
    pub item: String,
    pub reason: String,
}

impl FilePrune {
    /// The keys to cut.
    pub fn keys(&self) -> BTreeSet<String> {
        self.removed.iter().map(|removal| removal.item.clone()).collect()
    }

    /// The reason recorded for an item, if it was removed.
    pub fn reason_for(&self, key: &str) -> Option<&str> {
        let removal = self.removed.iter().find(|removal| removal.item == key);
        removal.map(|removal| removal.reason.as_str())
    }
}

/// One of tokio's test files, read once.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    pub outline: Outline,
}

impl Source {
    /// The file as it goes into the on-clockwork project.
    pub fn pruned(&self, prune: &FilePrune) -> String {
        self.outline.cut(&self.text, &prune.keys())
    }
}

/// Writes every file with its removals applied; files that cannot be saved are left out.
pub fn write_pruned(
    scratch: &Scratch,
    sources: &[Source],
    table: &PruneTable,
) -> Result<(), String> {
    for source in sources {
        let prune = table.get(&source.name).cloned().unwrap_or_default();
        if prune.unsalvageable.is_some() {
            scratch.remove_test(&source.name);
        } else {
            scratch.write_test(&source.name, &source.pruned(&prune))?;
        }
    }
    Ok(())
}

/// Runs the rounds described at the top of this file and returns the last, clean, build.
pub fn prune_until_it_compiles(
    scratch: &Scratch,
    sources: &[Source],
    table: &mut PruneTable,
) -> Result<Build, String> {
    for round in 1..=MAX_ROUNDS {
        write_pruned(scratch, sources, table)?;
        let build = build_tests(scratch)?;
        eprintln!("  round {round}: {} errors", build.errors.len());
        if build.errors.is_empty() {
            return Ok(build);
        }
        for source in sources {
            let errors: Vec<&CompileError> =
                build.errors.iter().filter(|error| error.target == source.name).collect();
            if !errors.is_empty() {
                let prune = table.entry(source.name.clone()).or_default();
                prune_round(source, &errors, prune);
            }
        }
    }
    Err(format!("the files still do not compile after {MAX_ROUNDS} rounds"))
}

/// Step 3 and 4 for one file: charge each error to an item, or give the file up.
fn prune_round(source: &Source, errors: &[&CompileError], prune: &mut FilePrune) {
    let mut removed_any = false;
    for error in errors {
        let Some(item) = charge(source, error) else { continue };
        if prune.reason_for(&item.key).is_some() {
            continue;
        }
        let reason = inherited_reason(error, source, prune).unwrap_or_else(|| {
            let macro_name = macro_called_before(&source.text, error);
            compile_reason(&error.message, error.label.as_deref(), macro_name.as_deref())
        });
        eprintln!("    {}: remove {} ({reason})", source.name, item.key);
        prune.removed.push(Removal { item: item.key.clone(), reason });
        removed_any = true;
    }
    if !removed_any {
        let first = errors.first().map(|error| error.message.clone()).unwrap_or_default();
        eprintln!("    {}: cannot be saved ({first})", source.name);
        prune.unsalvageable = Some(compile_reason(&first, None, None));
    }
}

/// The item an error belongs to: the innermost item around the first of its positions that
/// lies in this test file, or the `mod` that loads the support file it lies in.
fn charge<'a>(source: &'a Source, error: &CompileError) -> Option<&'a Item> {
    let own_file = format!("tests/{}.rs", source.name);
    for position in &error.positions {
        if position.file == own_file {
            return source.outline.innermost(position.byte);
        }
        if let Some(support) = position.file.strip_prefix("tests/support/") {
            let module = support.trim_end_matches(".rs");
            return source.outline.file_module(module);
        }
    }
    None
}

/// For an error about a macro's syntax: the name of the macro called just before the
/// error's position in the file (`tokio::join` in `tokio::join!(biased; ...)`), which the
/// compiler's message does not give.
fn macro_called_before(text: &str, error: &CompileError) -> Option<String> {
    if !is_macro_syntax_error(&error.message) {
        return None;
    }
    let position = error.positions.iter().find(|position| position.file.starts_with("tests/"))?;
    let is_path = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    // The error may point at the call itself (`tokio::join!()`)...
    let after = text.get(position.byte..)?;
    let path_end = after.find(|c: char| !is_path(c)).unwrap_or(after.len());
    if path_end > 0 && after[path_end..].starts_with('!') {
        return Some(after[..path_end].to_string());
    }
    // ...or inside its arguments: walk back to the unmatched bracket that opens them.
    let before = text.get(..position.byte)?;
    let opener = unmatched_opener(before)?;
    let bang = opener.checked_sub(1).filter(|&at| before[at..].starts_with('!'))?;
    let path_start = before[..bang].rfind(|c: char| !is_path(c)).map_or(0, |at| at + 1);
    Some(before[path_start..bang].to_string())
}

/// The position of the last bracket in `text` that is not closed again before its end.
fn unmatched_opener(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth == 0 => return Some(at),
            '(' | '[' | '{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// If the error names an item removed earlier (`cannot find function `helper``), that
/// item's reason: the helper is why this test cannot compile.
fn inherited_reason(error: &CompileError, source: &Source, prune: &FilePrune) -> Option<String> {
    let named: Vec<&str> = error.message.split('`').skip(1).step_by(2).collect();
    for name in named {
        let last = name.rsplit("::").next().unwrap_or(name);
        let removed = source.outline.items.iter().find(|item| {
            item.name.as_deref() == Some(last) && prune.reason_for(&item.key).is_some()
        });
        if let Some(item) = removed {
            return prune.reason_for(&item.key).map(str::to_string);
        }
    }
    None
}

#[cfg(test)]
mod tests;
