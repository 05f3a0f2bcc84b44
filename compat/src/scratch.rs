//! The two scratch cargo projects: tokio's test files, once on tokio, once on Clockwork.
//!
//! Both projects live under `<target>/compat/` and are alike except for one line, the
//! dependency called `tokio`:
//!
//! ```toml
//! tokio = { version = "=1.54.1", features = ["full", "test-util"] }   # on-tokio
//! tokio = { package = "clockwork", path = ".../executor" }           # on-clockwork
//! ```
//!
//! Each test file becomes one integration test (`tests/<name>.rs`), with tokio's
//! `tests/support/` helpers copied beside it for the files that `#[path]`-include them.
//! Nothing of tokio is committed: its sources come from cargo's registry cache, found through
//! `cargo metadata` on the on-tokio project, which pins the version.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::{Config, Paths};

/// Which runtime a scratch project's `tokio` dependency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    Tokio,
    Clockwork,
}

impl Runtime {
    /// The name used in folders and reports.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Tokio => "tokio",
            Runtime::Clockwork => "clockwork",
        }
    }
}

/// One scratch project on disk.
#[derive(Debug, Clone)]
pub struct Scratch {
    pub runtime: Runtime,
    /// The project folder, holding `Cargo.toml`, `src/` and `tests/`.
    pub dir: PathBuf,
    /// The target directory both projects share, so the crates they share build once.
    pub target_dir: PathBuf,
}

impl Scratch {
    /// Writes the project's manifest and an empty library, and removes from its `tests/` the
    /// files that are no longer on the list.
    pub fn create(paths: &Paths, config: &Config, runtime: Runtime) -> Result<Scratch, String> {
        let dir = paths.scratch.join(format!("on-{}", runtime.name()));
        let scratch = Scratch { runtime, dir, target_dir: paths.scratch.join("target") };
        create_dir(&scratch.dir.join("tests"))?;
        scratch.retain_tests(&config.files);
        create_dir(&scratch.dir.join("src"))?;
        write(&scratch.dir.join("src/lib.rs"), "//! Empty: the tests are in tests/.\n")?;
        write(&scratch.dir.join("Cargo.toml"), &manifest(paths, config, runtime))?;
        Ok(scratch)
    }

    /// The path of test file `name` in this project.
    pub fn test_path(&self, name: &str) -> PathBuf {
        self.dir.join("tests").join(format!("{name}.rs"))
    }

    /// Writes (or replaces) one test file.
    pub fn write_test(&self, name: &str, text: &str) -> Result<(), String> {
        write(&self.test_path(name), text)
    }

    /// Takes one test file out of the project (it could not be made to compile).
    pub fn remove_test(&self, name: &str) {
        let _ = std::fs::remove_file(self.test_path(name));
    }

    /// Removes every test file whose name is not in `names`. Files that stay are not
    /// touched: rewriting them would make cargo build them again.
    pub fn retain_tests(&self, names: &[String]) {
        let Ok(entries) = std::fs::read_dir(self.dir.join("tests")) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
            let is_test_file = path.extension().is_some_and(|ext| ext == "rs");
            if is_test_file && !names.iter().any(|name| name == stem) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    /// Copies tokio's `tests/support/` helpers next to the test files.
    pub fn copy_support(&self, tokio_tests: &Path) -> Result<(), String> {
        let from = tokio_tests.join("support");
        let to = self.dir.join("tests/support");
        create_dir(&to)?;
        let entries = std::fs::read_dir(&from)
            .map_err(|error| format!("cannot list {}: {error}", from.display()))?;
        for entry in entries.flatten() {
            let target = to.join(entry.file_name());
            std::fs::copy(entry.path(), &target)
                .map_err(|error| format!("cannot copy to {}: {error}", target.display()))?;
        }
        Ok(())
    }
}

/// Finds tokio's `tests/` folder: `cargo metadata` on the on-tokio project resolves (and if
/// needed downloads) the pinned tokio, and tells where its manifest is.
pub fn tokio_tests_dir(on_tokio: &Scratch, config: &Config) -> Result<PathBuf, String> {
    let output = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(on_tokio.dir.join("Cargo.toml"))
        .output()
        .map_err(|error| format!("cannot run cargo metadata: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("cargo metadata printed something else than JSON: {error}"))?;
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let tokio = packages.iter().find(|package| {
        package["name"] == "tokio" && package["version"] == config.tokio_version.as_str()
    });
    let Some(manifest) = tokio.and_then(|package| package["manifest_path"].as_str()) else {
        return Err(format!("tokio {} is not in the on-tokio project", config.tokio_version));
    };
    let tests = Path::new(manifest).with_file_name("tests");
    Ok(tests)
}

/// The cargo to run: the one that runs us, if any.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// The scratch project's `Cargo.toml`.
fn manifest(paths: &Paths, config: &Config, runtime: Runtime) -> String {
    let mut text = String::new();
    let name = runtime.name();
    let edition = &config.edition;
    writeln!(text, "# Written by clockwork-compat; tokio's tests on {name}.").unwrap();
    writeln!(text, "[package]\nname = \"compat-on-{name}\"\nversion = \"0.0.0\"").unwrap();
    writeln!(text, "edition = \"{edition}\"\npublish = false\n").unwrap();
    // An empty workspace table: the project sits inside our workspace's target folder, and
    // must not be taken for one of its members.
    writeln!(text, "[workspace]\n").unwrap();
    writeln!(text, "[features]").unwrap();
    let quoted: Vec<String> = config.features.iter().map(|f| format!("{f:?}")).collect();
    writeln!(text, "default = [{}]", quoted.join(", ")).unwrap();
    for feature in &config.features {
        writeln!(text, "{feature:?} = []").unwrap();
    }
    writeln!(text, "\n[dependencies]\n{}", runtime_dependency(paths, config, runtime)).unwrap();
    let dev = toml::to_string(&config.dev_dependencies).expect("a table serializes");
    writeln!(text, "\n[dev-dependencies]\n{dev}").unwrap();
    // tokio's files test cfgs (`tokio_unstable`, `loom`, ...) that this project never sets.
    writeln!(text, "[lints.rust]\nunexpected_cfgs = \"allow\"").unwrap();
    text
}

/// The line that makes `tokio` mean one runtime or the other.
fn runtime_dependency(paths: &Paths, config: &Config, runtime: Runtime) -> String {
    let version = &config.tokio_version;
    match runtime {
        Runtime::Tokio => {
            format!("tokio = {{ version = \"={version}\", features = [\"full\", \"test-util\"] }}")
        }
        Runtime::Clockwork => {
            let executor = paths.workspace.join("executor");
            // tokio-test and tokio-stream depend on the real tokio; pinning it here too keeps
            // both projects on the same release (the renamed key avoids clashing with `tokio`).
            format!(
                "tokio = {{ package = \"clockwork\", path = {:?} }}\n\
                 real-tokio = {{ package = \"tokio\", version = \"={version}\" }}",
                executor.display().to_string()
            )
        }
    }
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    // Leave an unchanged file alone, so cargo does not rebuild what it already built.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}
