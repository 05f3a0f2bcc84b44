//! Why a test that passes on tokio does not pass on Clockwork, in a few words.
//!
//! Every reason starts with its class, so the report can count them:
//!
//! - `missing API: ...` — the test does not compile; the rest is the compiler's message,
//!   with paths shortened (`no method named `reserve_many` found for struct `mpsc::Sender``).
//! - `needs several threads: ...` — it asks for tokio's multi-threaded runtime.
//! - `documented difference: ...` — listed by hand in `compat/differences.toml`.
//! - `FIXME: classify: ...` — it compiles but fails, hangs or crashes; the rest is the first
//!   line of the panic message. Someone has to read the test and decide.

/// The reason for a test removed because this compiler error pointed into it; `label` is
/// the text under the error's primary span, `macro_name` the macro the test called, if the
/// error came from inside one.
pub fn compile_reason(message: &str, label: Option<&str>, macro_name: Option<&str>) -> String {
    if let Some(flavor) = refused_flavor(message) {
        let class = if flavor == "multi_thread" { "needs several threads" } else { "missing API" };
        return format!("{class}: flavor = \"{flavor}\"");
    }
    if let Some(why) = several_threads(message) {
        return format!("needs several threads: {why}");
    }
    let mut text = shorten_paths(message);
    // `no rules expected ...` alone does not say which macro refused the syntax.
    if let Some(name) = macro_name.filter(|_| is_macro_syntax_error(&text)) {
        let short = name.rsplit("::").next().unwrap_or(name);
        text = format!("`{short}!` syntax: {text}");
    }
    for noise in [" in the current scope", " in this scope"] {
        text = text.replace(noise, "");
    }
    // A few messages say nothing without their label.
    let vague = ["mismatched types", "type annotations needed", "type mismatch"];
    if let Some(label) = label.filter(|_| vague.iter().any(|v| text.starts_with(v))) {
        text = format!("{text}: {}", shorten_paths(label));
    }
    format!("missing API: {text}")
}

/// Whether the message is a `macro_rules!` macro refusing what it was given, which does not
/// say which macro.
pub fn is_macro_syntax_error(message: &str) -> bool {
    message.starts_with("no rules expected") || message.starts_with("unexpected end of macro")
}

/// The flavor our attribute refused, from its message
/// `Clockwork has one flavor, "current_thread" (found "local"): ...`.
fn refused_flavor(message: &str) -> Option<&str> {
    let found = message.split("(found \"").nth(1)?;
    found.split('"').next()
}

/// Whether a compiler message is about tokio's multi-threaded runtime, and which part.
fn several_threads(message: &str) -> Option<&'static str> {
    if message.contains("worker_threads") {
        return Some("worker_threads");
    }
    if message.contains("new_multi_thread") {
        return Some("Builder::new_multi_thread");
    }
    if message.contains("block_in_place") {
        return Some("block_in_place");
    }
    None
}

/// The reason for a test that compiled but did not pass: `outcome` is a `run::Outcome`
/// written as text (`fails: ...`, `timed out after 10 s`, `crashed: signal 6`).
pub fn runtime_reason(outcome: &str) -> String {
    format!("FIXME: classify: {outcome}")
}

/// What went wrong in a failed test's output, in one line.
///
/// A `#[should_panic]` test that did not panic says so in a `note:`; one that panicked with
/// the wrong message has its panic line too, which is the interesting part. Otherwise it is
/// the first line of the first panic message: since Rust 1.73 the standard library prints
/// `thread 'name' panicked at file:line:col:` on one line and the message on the next.
pub fn panic_line(output: &str) -> Option<String> {
    if output.contains("test did not panic as expected") {
        return Some("did not panic, as `#[should_panic]` expects".to_string());
    }
    let mut lines = output.lines();
    lines.find(|line| line.contains(" panicked at "))?;
    let message = lines.next()?.trim();
    let short: String = message.chars().take(160).collect();
    if output.contains("panic did not contain expected string") {
        return Some(format!("panicked with another message than expected: {short}"));
    }
    Some(short)
}

/// Each path in backquotes keeps its last two segments and loses its generic arguments:
/// `tokio::sync::mpsc::Sender<i32>` becomes `mpsc::Sender`. Types from different tests then
/// read the same, so the report can count how often each API is missing.
pub fn shorten_paths(message: &str) -> String {
    let mut out = String::new();
    for (index, part) in message.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd parts are the ones inside backquotes.
        if index % 2 == 1 {
            out.push_str(&shorten_code(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// `shorten_paths` for the text inside one pair of backquotes.
fn shorten_code(code: &str) -> String {
    let without_generics = drop_generics(code);
    let mut out = String::new();
    let mut path = String::new();
    for character in without_generics.chars() {
        if character.is_alphanumeric() || character == '_' || character == ':' {
            path.push(character);
        } else {
            out.push_str(&last_two_segments(&path));
            path.clear();
            out.push(character);
        }
    }
    out.push_str(&last_two_segments(&path));
    out
}

/// `a::b::c::D` to `c::D`.
fn last_two_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split("::").collect();
    let keep = segments.len().saturating_sub(2);
    segments[keep..].join("::")
}

/// Removes everything between matching `<` and `>`, brackets included.
fn drop_generics(code: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for character in code.chars() {
        match character {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(character),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_method_names_the_method_and_the_short_type() {
        let message = "no method named `reserve_many` found for struct \
                       `tokio::sync::mpsc::Sender<i32>` in the current scope";
        assert_eq!(
            compile_reason(message, None, None),
            "missing API: no method named `reserve_many` found for struct `mpsc::Sender`"
        );
    }

    #[test]
    fn the_flavor_error_of_our_attribute_means_several_threads() {
        let message = "Clockwork has one flavor, \"current_thread\" (found \"multi_thread\")";
        assert_eq!(
            compile_reason(message, None, None),
            "needs several threads: flavor = \"multi_thread\""
        );
    }

    #[test]
    fn the_local_flavor_is_a_missing_api_not_a_thread_count() {
        let message = "Clockwork has one flavor, \"current_thread\" (found \"local\"): every task";
        assert_eq!(compile_reason(message, None, None), "missing API: flavor = \"local\"");
    }

    #[test]
    fn a_vague_message_takes_its_label() {
        let reason =
            compile_reason("mismatched types", Some("expected `Foo<u8>`, found `()`"), None);
        assert_eq!(reason, "missing API: mismatched types: expected `Foo`, found `()`");
    }

    #[test]
    fn the_panic_line_is_the_line_after_panicked_at() {
        let output = "running 1 test\nthread 'x' panicked at tests/a.rs:3:5:\nboom here\nnote: ...";
        assert_eq!(panic_line(output).as_deref(), Some("boom here"));
        assert_eq!(panic_line("test x ... ok"), None);
    }

    #[test]
    fn a_should_panic_test_that_did_not_panic_says_so() {
        let output = "note: test did not panic as expected at tests/a.rs:3:4";
        assert_eq!(
            panic_line(output).as_deref(),
            Some("did not panic, as `#[should_panic]` expects")
        );
    }

    #[test]
    fn a_macro_that_refuses_the_syntax_is_named() {
        let reason = compile_reason("no rules expected `;`", None, Some("tokio::join"));
        assert_eq!(reason, "missing API: `join!` syntax: no rules expected `;`");
    }
}
