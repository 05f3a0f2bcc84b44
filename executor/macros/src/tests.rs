//! The attribute's expansion and its errors, tested on token streams (no compiler run needed).

use quote::quote;

use super::expand;

fn error_of(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
    is_test: bool,
) -> String {
    match expand(args, item, is_test) {
        Ok(tokens) => panic!("expected an error, got {tokens}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn main_expands_to_a_runtime_and_block_on() {
    let expanded = expand(
        quote!(),
        quote!(
            async fn main() {
                work().await
            }
        ),
        false,
    )
    .unwrap();
    let text = expanded.to_string();
    assert!(text.contains("fn main ()"), "{text}");
    assert!(text.contains("new_multi_thread"), "main defaults to tokio's flavour: {text}");
    assert!(text.contains("block_on"), "{text}");
    assert!(!text.contains("async fn"), "the function is no longer async: {text}");
    assert!(!text.contains("start_paused"), "only when asked for: {text}");
}

#[test]
fn test_adds_the_test_attribute_and_start_paused() {
    let expanded = expand(
        quote!(start_paused = true),
        quote!(
            async fn it_works() {}
        ),
        true,
    )
    .unwrap();
    let text = expanded.to_string();
    assert!(text.contains("test"), "{text}");
    assert!(text.contains("start_paused (true)"), "{text}");
}

/// The builder calls of an expansion with these arguments, as text.
fn expansion_of(args: proc_macro2::TokenStream, is_test: bool) -> String {
    let item = quote!(
        async fn start() {}
    );
    expand(args, item, is_test).unwrap().to_string()
}

#[test]
fn each_flavor_picks_its_builder() {
    let test = expansion_of(quote!(), true);
    assert!(test.contains("new_current_thread ()"), "tests default to current_thread: {test}");
    let multi = expansion_of(quote!(flavor = "multi_thread", worker_threads = 4), true);
    assert!(multi.contains("new_multi_thread ()"), "{multi}");
    assert!(multi.contains("worker_threads (4usize)"), "{multi}");
    let local = expansion_of(quote!(flavor = "local"), true);
    assert!(local.contains("new_current_thread ()"), "{local}");
    assert!(local.contains("build_local"), "{local}");
    let named = expansion_of(quote!(name = "api"), false);
    assert!(named.contains(". name (\"api\")"), "{named}");
}

#[test]
fn worker_threads_needs_the_multi_thread_flavor() {
    let error = error_of(
        quote!(worker_threads = 4),
        quote!(
            async fn it_works() {}
        ),
        true,
    );
    assert!(error.contains("requires the `multi_thread` runtime flavor"), "{error}");
}

#[test]
fn start_paused_is_refused_on_multi_thread_as_tokio_does() {
    let error = error_of(
        quote!(start_paused = true),
        quote!(
            async fn main() {}
        ),
        false,
    );
    assert!(error.contains("requires the `current_thread` runtime flavor"), "{error}");
}

#[test]
fn an_unknown_flavor_lists_the_known_ones() {
    let error = error_of(
        quote!(flavor = "threaded"),
        quote!(
            async fn main() {}
        ),
        false,
    );
    assert!(error.contains("`current_thread`, `local`, and `multi_thread`"), "{error}");
}

#[test]
fn an_unknown_argument_lists_the_known_ones() {
    let error = error_of(
        quote!(threads = 2),
        quote!(
            async fn main() {}
        ),
        false,
    );
    assert!(error.contains("start_paused, name and crate"), "{error}");
}

#[test]
fn a_function_that_is_not_async_is_refused() {
    let error = error_of(
        quote!(),
        quote!(
            fn main() {}
        ),
        false,
    );
    assert!(error.contains("`async` keyword is missing"), "{error}");
}

#[test]
fn main_goes_on_any_async_fn_as_in_tokio() {
    let expanded = expansion_of(quote!(flavor = "current_thread"), false);
    assert!(expanded.contains("fn start ()"), "{expanded}");
    assert!(!expanded.contains("v1 :: test"), "main adds no test attribute: {expanded}");
}

// === Where the expansion finds Clockwork ===

/// The path `path_for` picks, as text, for one finding of `proc-macro-crate`.
fn path_text(
    found: Result<proc_macro_crate::FoundCrate, proc_macro_crate::Error>,
    compiling: Option<&str>,
) -> String {
    let path = crate::krate::path_for(found, compiling);
    quote!(#path).to_string()
}

#[test]
fn a_dependency_renamed_to_tokio_is_reached_as_tokio() {
    let found = Ok(proc_macro_crate::FoundCrate::Name("tokio".to_string()));
    assert_eq!(path_text(found, Some("my_app")), ":: tokio");
}

#[test]
fn a_dependency_under_its_own_name_is_reached_as_clockwork() {
    let found = Ok(proc_macro_crate::FoundCrate::Name("clockwork".to_string()));
    assert_eq!(path_text(found, Some("my_app")), ":: clockwork");
}

#[test]
fn inside_the_clockwork_library_the_path_is_crate() {
    let found = Ok(proc_macro_crate::FoundCrate::Itself);
    assert_eq!(path_text(found, Some("clockwork")), "crate");
}

#[test]
fn an_example_of_the_clockwork_package_sees_the_library_as_clockwork() {
    // `executor/examples/stepping.rs` is its own crate, named `stepping`.
    let found = Ok(proc_macro_crate::FoundCrate::Itself);
    assert_eq!(path_text(found, Some("stepping")), ":: clockwork");
}

#[test]
fn without_a_manifest_entry_the_conventional_name_is_used() {
    let found = Err(proc_macro_crate::Error::CargoManifestDirNotSet);
    assert_eq!(path_text(found, None), ":: clockwork");
}

#[test]
fn the_crate_argument_wins_over_the_manifest() {
    let expanded = expand(
        quote!(crate = "renamed::inner"),
        quote!(
            async fn main() {}
        ),
        false,
    )
    .unwrap();
    let text = expanded.to_string();
    assert!(text.contains("renamed :: inner :: runtime :: Builder"), "{text}");
}
