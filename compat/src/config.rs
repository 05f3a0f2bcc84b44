//! The runner's inputs: `compat/files.toml`, and where everything lives on disk.
//!
//! The list of test files is data, not code, so that adding a file of tokio's `tests/` folder
//! is a one-line change. Paths are worked out here once, so the other modules never guess
//! where the workspace, the scratch projects or the book are.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// `compat/files.toml`, as read.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// The tokio release whose tests are run, pinned exactly (`=1.54.1` in the manifests).
    pub tokio_version: String,
    /// The edition the scratch projects use: tokio's own.
    pub edition: String,
    /// How long one test may run before it is killed.
    pub timeout_secs: u64,
    /// The test files, by stem (`sync_mpsc` for `tests/sync_mpsc.rs`).
    pub files: Vec<String>,
    /// The files CI runs, if not all of them (to keep CI within its time).
    #[serde(default)]
    pub ci_files: Option<Vec<String>>,
    /// The cargo features the files' `#![cfg(feature = ...)]` lines ask for.
    pub features: Vec<String>,
    /// Crates the files use besides tokio, exactly as in a manifest.
    #[serde(rename = "dev-dependencies")]
    pub dev_dependencies: toml::Table,
}

impl Config {
    /// Reads and parses `files.toml`.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// The same configuration with another list of files.
    pub fn with_files(&self, files: &[String]) -> Config {
        Config { files: files.to_vec(), ..self.clone() }
    }
}

/// Every path the runner reads or writes.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The workspace root (the folder with the top `Cargo.toml`).
    pub workspace: PathBuf,
    /// `compat/`: `files.toml`, `pruned.toml`, `results.json`.
    pub compat: PathBuf,
    /// Where the scratch projects are written: `<cargo target dir>/compat`.
    pub scratch: PathBuf,
    /// `docs/src/compat.md`, the generated chapter.
    pub chapter: PathBuf,
}

impl Paths {
    /// Finds the workspace from this crate's own location, and the target directory the way
    /// cargo does: `CARGO_TARGET_DIR` if set, else `target/` in the workspace.
    pub fn discover() -> Paths {
        let compat = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let workspace = compat.parent().expect("compat/ sits in the workspace").to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => std::path::absolute(dir).expect("the current directory exists"),
            None => workspace.join("target"),
        };
        Paths {
            chapter: workspace.join("docs/src/compat.md"),
            scratch: target.join("compat"),
            compat,
            workspace,
        }
    }

    /// `compat/files.toml`.
    pub fn files_toml(&self) -> PathBuf {
        self.compat.join("files.toml")
    }

    /// `compat/pruned.toml`: what the last `regen` removed from each file, for CI.
    pub fn pruned_toml(&self) -> PathBuf {
        self.compat.join("pruned.toml")
    }

    /// `compat/results.json`: the last `regen`'s outcomes, which CI's ratchet reads.
    pub fn results_json(&self) -> PathBuf {
        self.compat.join("results.json")
    }
}
