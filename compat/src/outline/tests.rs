//! The outline finds the item around an offset, and cutting keeps lines and offsets.

use std::collections::BTreeSet;

use super::{Outline, tidy};

const FILE: &str = "use tokio::sync::{Mutex, SetOnce};
use std::time::Duration;

mod support {
    pub(crate) mod mpsc_stream;
}

#[tokio::test]
async fn uses_set_once() {
    let cell = SetOnce::<u8>::new();
}

test!(broadcast, set_broadcast(true));
test!(IPv4 multicast_loop_v4, set_multicast_loop_v4(false));

mod nested {
    /// A doc comment, removed with its function.
    #[test]
    fn inner() {}
}
";

fn keys(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|key| key.to_string()).collect()
}

#[test]
fn an_offset_inside_a_test_maps_to_the_test_not_to_the_file() {
    let outline = Outline::parse(FILE).unwrap();
    let offset = FILE.find("SetOnce::<u8>").unwrap();
    let item = outline.innermost(offset).unwrap();
    assert_eq!(item.key, "fn uses_set_once");
}

#[test]
fn an_offset_inside_an_inline_module_maps_to_the_function_in_it() {
    let outline = Outline::parse(FILE).unwrap();
    let offset = FILE.find("fn inner").unwrap();
    assert_eq!(outline.innermost(offset).unwrap().key, "fn nested::inner");
}

#[test]
fn a_use_leaf_is_its_own_item() {
    let outline = Outline::parse(FILE).unwrap();
    let offset = FILE.find("SetOnce}").unwrap();
    let item = outline.innermost(offset).unwrap();
    assert_eq!(item.key, "use tokio::sync::SetOnce");
    assert_eq!(item.name.as_deref(), Some("SetOnce"));
}

#[test]
fn a_file_module_is_found_by_its_file_name() {
    let outline = Outline::parse(FILE).unwrap();
    assert_eq!(outline.file_module("mpsc_stream").unwrap().key, "mod support::mpsc_stream");
}

#[test]
fn cutting_keeps_every_line_and_offset() {
    let outline = Outline::parse(FILE).unwrap();
    let cut = outline.cut(FILE, &keys(&["fn uses_set_once", "fn nested::inner"]));
    assert_eq!(cut.len(), FILE.len());
    assert_eq!(cut.lines().count(), FILE.lines().count());
    assert!(!cut.contains("uses_set_once"), "{cut}");
    assert!(!cut.contains("doc comment"), "the doc comment goes with its function: {cut}");
    assert!(cut.contains("mod nested {"), "{cut}");
    syn::parse_file(&cut).expect("the cut file still parses");
}

#[test]
fn cutting_a_use_leaf_keeps_its_siblings_and_parses() {
    let outline = Outline::parse(FILE).unwrap();
    let cut = outline.cut(FILE, &keys(&["use tokio::sync::SetOnce", "use tokio::sync::Mutex"]));
    assert!(cut.starts_with("use tokio::sync::{"), "{cut}");
    assert!(!cut.contains("Mutex"), "{cut}");
    syn::parse_file(&cut).expect("an empty group still parses");
}

#[test]
fn tidy_closes_up_generic_brackets_and_paths() {
    assert_eq!(tidy("AsyncRead for Mock < T >"), "AsyncRead for Mock<T>");
    assert_eq!(tidy("tokio :: sync :: Mutex"), "tokio::sync::Mutex");
}

#[test]
fn a_macro_call_that_writes_a_test_is_named_by_its_first_argument() {
    let outline = Outline::parse(FILE).unwrap();
    let offset = FILE.find("set_broadcast").unwrap();
    assert_eq!(outline.innermost(offset).unwrap().key, "macro call broadcast");
}

#[test]
fn a_marker_before_the_test_name_is_skipped() {
    let outline = Outline::parse(FILE).unwrap();
    let offset = FILE.find("set_multicast_loop_v4").unwrap();
    assert_eq!(outline.innermost(offset).unwrap().key, "macro call multicast_loop_v4");
}
