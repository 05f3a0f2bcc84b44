//! The core stays small enough to read in one sitting, and ARCHITECTURE.md says how small.
//!
//! The run loop, the task cell, the wheel, the reactor and the slab they share are the files a
//! learner reads first. ARCHITECTURE.md lists each with its count of code lines (lines that are
//! neither blank nor comments), and this test recounts them: a change to the core must update
//! the table in the same commit, so growth is always visible in review, and the table is never
//! stale. When it fails, it prints the table as it should read now; run it with
//! `CLOCKWORK_BLESS=1` to write that table into ARCHITECTURE.md.

use std::path::Path;

/// Lines that are neither blank nor comments (`//`, `///`, `//!`).
fn code_lines(text: &str) -> usize {
    let is_code = |line: &&str| {
        let line = line.trim_start();
        !line.is_empty() && !line.starts_with("//")
    };
    text.lines().filter(is_code).count()
}

/// The rows of the "Size" table in ARCHITECTURE.md: (file, count), the total last.
fn table_rows(architecture: &str) -> Vec<(String, usize)> {
    let section = architecture.split("## Size").nth(1).expect("ARCHITECTURE.md has a Size section");
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let [_, file, count, _] = cells[..] else { return None };
            let count = count.parse().ok()?;
            Some((file.trim_matches('`').to_string(), count))
        })
        .collect()
}

#[test]
fn the_core_is_as_big_as_architecture_md_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let rows = table_rows(&architecture);
    let (total_row, file_rows) = rows.split_last().expect("the table has rows and a total");
    assert_eq!(total_row.0, "total", "the last row is the total");

    let mut expected = String::new();
    let mut total = 0;
    for (file, _) in file_rows {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let count = code_lines(&text);
        total += count;
        expected.push_str(&format!("| `{file}` | {count} |\n"));
    }
    expected.push_str(&format!("| total | {total} |\n"));

    let mut written = String::new();
    for (file, count) in &rows {
        let file = if file == "total" { "total".to_string() } else { format!("`{file}`") };
        written.push_str(&format!("| {file} | {count} |\n"));
    }
    if written != expected && std::env::var_os("CLOCKWORK_BLESS").is_some() {
        let blessed = architecture.replacen(&written, &expected, 1);
        std::fs::write(root.join("ARCHITECTURE.md"), blessed).unwrap();
        return;
    }
    assert_eq!(written, expected, "update the Size table of ARCHITECTURE.md to read:\n{expected}");
}
