//! The outcome of every test on both runtimes: `compat/results.json`, which CI's ratchet
//! reads, and from which the chapter is written.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::prune::FilePrune;
use crate::reason::runtime_reason;
use crate::run::Outcome;

/// Everything one `regen` measured.
#[derive(Debug, Serialize, Deserialize)]
pub struct Results {
    pub tokio_version: String,
    pub timeout_secs: u64,
    pub totals: Totals,
    pub files: Vec<FileResults>,
}

/// Test counts over all files.
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct Totals {
    /// Tests tokio's binaries list (ignored ones left out).
    pub tests: usize,
    pub tokio_passes: usize,
    /// Tests that pass on both: the ratchet's figure.
    pub clockwork_passes: usize,
}

/// One test file.
#[derive(Debug, Serialize, Deserialize)]
pub struct FileResults {
    pub name: String,
    pub totals: Totals,
    pub tests: Vec<TestResults>,
}

/// One test on both runtimes.
#[derive(Debug, Serialize, Deserialize)]
pub struct TestResults {
    pub name: String,
    pub tokio: Outcome,
    pub clockwork: Outcome,
    /// Why it passes on tokio and not on Clockwork (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A file's tests, with the outcome on each runtime: tokio's are all run; Clockwork's are
/// run if they compiled, else `NotCompiled` with the reason the pruning recorded.
pub fn combine(
    name: &str,
    on_tokio: Vec<(String, Outcome)>,
    on_clockwork: &BTreeMap<String, Outcome>,
    prune: &FilePrune,
    differences: &BTreeMap<String, String>,
    timeout: Duration,
) -> FileResults {
    let mut tests = Vec::new();
    for (test, tokio) in on_tokio {
        let clockwork = match on_clockwork.get(&test) {
            Some(outcome) => outcome.clone(),
            None => Outcome::NotCompiled(not_compiled_reason(&test, prune)),
        };
        let reason = (tokio.is_pass() && !clockwork.is_pass()).then(|| {
            let documented = differences.get(&format!("{name}::{test}"));
            match (&clockwork, documented) {
                (_, Some(text)) => format!("documented difference: {text}"),
                (Outcome::NotCompiled(reason), None) => reason.clone(),
                (outcome, None) => runtime_reason(&outcome.describe(timeout)),
            }
        });
        tests.push(TestResults { name: test, tokio, clockwork, reason });
    }
    let totals = Totals {
        tests: tests.len(),
        tokio_passes: tests.iter().filter(|t| t.tokio.is_pass()).count(),
        clockwork_passes: tests
            .iter()
            .filter(|t| t.tokio.is_pass() && t.clockwork.is_pass())
            .count(),
    };
    FileResults { name: name.to_string(), totals, tests }
}

/// Why a test of tokio's list is missing from Clockwork's binary.
fn not_compiled_reason(test: &str, prune: &FilePrune) -> String {
    if let Some(reason) = &prune.unsalvageable {
        return format!("{reason} (the whole file)");
    }
    // Removed itself: a test function, or a macro call that writes one.
    for kind in ["fn", "macro call"] {
        if let Some(reason) = prune.reason_for(&format!("{kind} {test}")) {
            return reason.to_string();
        }
    }
    // Removed with the module around it.
    let mut module = test;
    while let Some((outer, _)) = module.rsplit_once("::") {
        if let Some(reason) = prune.reason_for(&format!("mod {outer}")) {
            return reason.to_string();
        }
        module = outer;
    }
    "FIXME: classify: not in Clockwork's build, and no removal recorded".to_string()
}

/// Adds up the files' totals.
pub fn total(files: &[FileResults]) -> Totals {
    let mut sum = Totals::default();
    for file in files {
        sum.tests += file.totals.tests;
        sum.tokio_passes += file.totals.tokio_passes;
        sum.clockwork_passes += file.totals.clockwork_passes;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prune::Removal;

    #[test]
    fn a_removed_test_carries_its_reason_and_a_failing_one_a_fixme() {
        let prune = FilePrune {
            unsalvageable: None,
            removed: vec![Removal { item: "fn gone".into(), reason: "missing API: x".into() }],
        };
        let on_tokio = vec![
            ("gone".to_string(), Outcome::Pass),
            ("fails".to_string(), Outcome::Pass),
            ("both".to_string(), Outcome::Pass),
        ];
        let on_clockwork = BTreeMap::from([
            ("fails".to_string(), Outcome::Fail("boom".into())),
            ("both".to_string(), Outcome::Pass),
        ]);
        let file = combine(
            "f",
            on_tokio,
            &on_clockwork,
            &prune,
            &BTreeMap::new(),
            Duration::from_secs(10),
        );
        assert_eq!(file.tests[0].reason.as_deref(), Some("missing API: x"));
        assert_eq!(file.tests[1].reason.as_deref(), Some("FIXME: classify: fails: boom"));
        assert_eq!(file.tests[2].reason, None);
        assert_eq!((file.totals.tokio_passes, file.totals.clockwork_passes), (3, 1));
    }

    #[test]
    fn a_test_in_a_removed_module_takes_the_module_s_reason() {
        let prune = FilePrune {
            unsalvageable: None,
            removed: vec![Removal { item: "mod local".into(), reason: "missing API: y".into() }],
        };
        assert_eq!(not_compiled_reason("local::inner::t", &prune), "missing API: y");
    }
}
