//! Finding which macro refused its arguments, from the error's position in the file.

use super::macro_called_before;
use crate::cargo::{CompileError, Position};

/// A syntax error at `needle`'s first byte in `text`.
fn error_at(text: &str, needle: &str) -> CompileError {
    let byte = text.find(needle).expect("the needle is in the text");
    CompileError {
        target: "t".to_string(),
        message: "no rules expected `;`".to_string(),
        label: None,
        positions: vec![Position { file: "tests/t.rs".to_string(), byte }],
    }
}

#[test]
fn an_error_inside_the_arguments_names_the_macro_they_belong_to() {
    let text = "assert_eq!(x, tokio::join!(biased; async { 1 }));";
    assert_eq!(macro_called_before(text, &error_at(text, ";")).as_deref(), Some("tokio::join"));
}

#[test]
fn an_error_at_the_call_names_the_called_macro_not_the_one_around_it() {
    let text = "assert_eq!((), tokio::join!());";
    let error = error_at(text, "tokio::join");
    assert_eq!(macro_called_before(text, &error).as_deref(), Some("tokio::join"));
}

#[test]
fn closed_brackets_before_the_error_are_skipped() {
    let text = "tokio::try_join!(async { f(1) }, async {}; x)";
    assert_eq!(macro_called_before(text, &error_at(text, ";")).as_deref(), Some("tokio::try_join"));
}
