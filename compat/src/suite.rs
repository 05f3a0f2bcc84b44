//! The two commands, `regen` and `ci`, as sequences of the other modules' steps.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::cargo::{Build, build_tests};
use crate::config::{Config, Paths};
use crate::outline::Outline;
use crate::prune::{PruneTable, Source, prune_until_it_compiles, write_pruned};
use crate::results::{Results, combine, total};
use crate::run::{Outcome, list_tests, run_test};
use crate::scratch::{Runtime, Scratch, tokio_tests_dir};

/// Each file's tests, in order, with how they ended.
type Outcomes = BTreeMap<String, Vec<(String, Outcome)>>;

/// Measures everything again and rewrites `results.json`, `pruned.toml` and the chapter.
pub fn regen() -> Result<(), String> {
    let paths = Paths::discover();
    let config = Config::load(&paths.files_toml())?;
    let timeout = Duration::from_secs(config.timeout_secs);

    let on_tokio = Scratch::create(&paths, &config, Runtime::Tokio)?;
    let tokio_tests = tokio_tests_dir(&on_tokio, &config)?;
    let sources = read_sources(&tokio_tests, &config.files)?;

    eprintln!("== tokio {}: build and run", config.tokio_version);
    for source in &sources {
        on_tokio.write_test(&source.name, &source.text)?;
    }
    on_tokio.copy_support(&tokio_tests)?;
    let tokio_build = build_tests(&on_tokio)?;
    if let Some(error) = tokio_build.errors.first() {
        return Err(format!("{} does not compile on tokio: {}", error.target, error.message));
    }
    let tokio_outcomes = run_all(&on_tokio, &tokio_build, timeout)?;

    eprintln!("== clockwork: remove what does not compile, then run");
    let on_clockwork = Scratch::create(&paths, &config, Runtime::Clockwork)?;
    on_clockwork.copy_support(&tokio_tests)?;
    let mut table = PruneTable::new();
    let clockwork_build = prune_until_it_compiles(&on_clockwork, &sources, &mut table)?;
    let clockwork_outcomes = run_all(&on_clockwork, &clockwork_build, timeout)?;

    let differences = load_differences(&paths.compat.join("differences.toml"))?;
    let mut files = Vec::new();
    for source in &sources {
        let on_tokio = tokio_outcomes.get(&source.name).cloned().unwrap_or_default();
        let on_clockwork: BTreeMap<String, Outcome> =
            clockwork_outcomes.get(&source.name).cloned().unwrap_or_default().into_iter().collect();
        let prune = table.get(&source.name).cloned().unwrap_or_default();
        files.push(combine(&source.name, on_tokio, &on_clockwork, &prune, &differences, timeout));
    }
    let results = Results {
        tokio_version: config.tokio_version.clone(),
        timeout_secs: config.timeout_secs,
        totals: total(&files),
        files,
    };
    write_outputs(&paths, &config, &results, &table)
}

/// The ratchet: builds the pruned files on Clockwork in one pass, runs them, and fails if
/// fewer tests pass than `results.json` records.
pub fn ci() -> Result<(), String> {
    let started = Instant::now();
    let paths = Paths::discover();
    let config = Config::load(&paths.files_toml())?;
    let timeout = Duration::from_secs(config.timeout_secs);
    let recorded: Results = read_json(&paths.results_json())?;
    let table: PruneTable = read_toml(&paths.pruned_toml())?;
    let files = config.ci_files.clone().unwrap_or_else(|| config.files.clone());

    let on_tokio = Scratch::create(&paths, &config, Runtime::Tokio)?;
    let tokio_tests = tokio_tests_dir(&on_tokio, &config)?;
    let sources = read_sources(&tokio_tests, &files)?;
    let on_clockwork = Scratch::create(&paths, &config.with_files(&files), Runtime::Clockwork)?;
    on_clockwork.copy_support(&tokio_tests)?;
    write_pruned(&on_clockwork, &sources, &table)?;
    let build = build_tests(&on_clockwork)?;
    if let Some(error) = build.errors.first() {
        let message = &error.message;
        return Err(format!(
            "{}: {message}\nthe recorded removals no longer make it compile: run `regen`",
            error.target
        ));
    }
    let outcomes = run_all(&on_clockwork, &build, timeout)?;
    let elapsed = started.elapsed().as_secs();
    ratchet(&recorded, &files, &outcomes, elapsed)
}

/// Compares today's Clockwork passes with the recorded ones, over the files CI ran.
fn ratchet(
    recorded: &Results,
    files: &[String],
    outcomes: &Outcomes,
    elapsed_secs: u64,
) -> Result<(), String> {
    let mut expected = 0;
    let mut passes = 0;
    let mut lost = Vec::new();
    for file in recorded.files.iter().filter(|file| files.contains(&file.name)) {
        expected += file.totals.clockwork_passes;
        let today: BTreeMap<&str, &Outcome> =
            outcomes.get(&file.name).into_iter().flatten().map(|(n, o)| (n.as_str(), o)).collect();
        for test in file.tests.iter().filter(|test| test.tokio.is_pass()) {
            let passed_today = today.get(test.name.as_str()).is_some_and(|o| o.is_pass());
            if passed_today {
                passes += 1;
            } else if test.clockwork.is_pass() {
                lost.push(format!("{}::{}", file.name, test.name));
            }
        }
    }
    println!(
        "compat: {passes} of tokio's tests pass on Clockwork (recorded: {expected}); {elapsed_secs} s"
    );
    if passes < expected {
        return Err(format!(
            "fewer tests pass than recorded; no longer passing: {}",
            lost.join(", ")
        ));
    }
    if passes > expected {
        println!("compat: more tests pass than recorded: run `regen` to raise the ratchet");
    }
    Ok(())
}

/// Reads each test file and its outline.
fn read_sources(tokio_tests: &Path, files: &[String]) -> Result<Vec<Source>, String> {
    let mut sources = Vec::new();
    for name in files {
        let path = tokio_tests.join(format!("{name}.rs"));
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let outline = Outline::parse(&text)
            .map_err(|error| format!("cannot parse {}: {error}", path.display()))?;
        sources.push(Source { name: name.clone(), text, outline });
    }
    Ok(sources)
}

/// Runs every test of every binary of a build, one process each.
fn run_all(scratch: &Scratch, build: &Build, timeout: Duration) -> Result<Outcomes, String> {
    let output_file = scratch.dir.join("last-test-output.txt");
    let mut outcomes = Outcomes::new();
    for (file, binary) in &build.executables {
        let started = Instant::now();
        let mut file_outcomes = Vec::new();
        for test in list_tests(binary)? {
            let outcome = run_test(binary, &test, timeout, &output_file);
            file_outcomes.push((test, outcome));
        }
        let passes = file_outcomes.iter().filter(|(_, o)| o.is_pass()).count();
        let seconds = started.elapsed().as_secs_f64();
        let runtime = scratch.runtime.name();
        eprintln!("  {runtime} {file}: {passes}/{} pass ({seconds:.1} s)", file_outcomes.len());
        outcomes.insert(file.clone(), file_outcomes);
    }
    Ok(outcomes)
}

/// `compat/differences.toml`: `"file::test" = "why it differs on purpose"`.
fn load_differences(path: &Path) -> Result<BTreeMap<String, String>, String> {
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    read_toml(path)
}

fn write_outputs(
    paths: &Paths,
    config: &Config,
    results: &Results,
    table: &PruneTable,
) -> Result<(), String> {
    let json = serde_json::to_string_pretty(results).expect("results serialize");
    write(&paths.results_json(), &(json + "\n"))?;
    let header = "# Written by `clockwork-compat regen`: what was removed from each of tokio's test\n\
                  # files so that it compiles on Clockwork, and why. CI applies it in one pass.\n\n";
    let toml = toml::to_string(table).map_err(|error| format!("pruned.toml: {error}"))?;
    write(&paths.pruned_toml(), &format!("{header}{toml}"))?;
    write(&paths.chapter, &crate::report::chapter(results, config.ci_files.as_deref()))?;
    let totals = results.totals;
    println!(
        "compat: {} tests; {} pass on tokio; {} of those pass on Clockwork",
        totals.tests, totals.tokio_passes, totals.clockwork_passes
    );
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{FileResults, TestResults, Totals};

    /// A record of one file, `f`, whose tests `a` and `b` passed on both runtimes.
    fn recorded() -> Results {
        let test = |name: &str| TestResults {
            name: name.to_string(),
            tokio: Outcome::Pass,
            clockwork: Outcome::Pass,
            reason: None,
        };
        let totals = Totals { tests: 2, tokio_passes: 2, clockwork_passes: 2 };
        let file = FileResults { name: "f".to_string(), totals, tests: vec![test("a"), test("b")] };
        Results { tokio_version: "1".to_string(), timeout_secs: 10, totals, files: vec![file] }
    }

    #[test]
    fn the_ratchet_fails_and_names_the_test_that_stopped_passing() {
        let today = Outcomes::from([(
            "f".to_string(),
            vec![("a".to_string(), Outcome::Pass), ("b".to_string(), Outcome::Timeout)],
        )]);
        let error = ratchet(&recorded(), &["f".to_string()], &today, 0).unwrap_err();
        assert!(error.contains("f::b"), "{error}");
    }

    #[test]
    fn the_ratchet_holds_when_as_many_tests_pass() {
        let today = Outcomes::from([(
            "f".to_string(),
            vec![("a".to_string(), Outcome::Pass), ("b".to_string(), Outcome::Pass)],
        )]);
        assert!(ratchet(&recorded(), &["f".to_string()], &today, 0).is_ok());
    }
}
