//! The fixture's binary, built with `#[tokio::main]` on Clockwork, runs and prints its message.

use std::process::Command;

#[test]
fn the_main_attribute_runs_the_program_to_completion() {
    let output = Command::new(env!("CARGO_BIN_EXE_clockwork-rename-fixture"))
        .output()
        .expect("the fixture binary starts");
    assert!(output.status.success(), "exit status {:?}", output.status);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.trim(), "hello from a renamed runtime");
}
