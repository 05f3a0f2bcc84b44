//! The attribute macros `#[clockwork::main]` and `#[clockwork::test]` (work in progress).
