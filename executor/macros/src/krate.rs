//! Where is Clockwork? The path the attributes' expansion starts with.
//!
//! A `macro_rules!` macro can say `$crate` and always reach the crate that defined it, whatever
//! the user called that crate. A procedural macro has no such word: it writes tokens, and the
//! tokens must name the runtime the way the *user's* crate imports it. A program that depends on
//! Clockwork with
//!
//! ```toml
//! tokio = { package = "clockwork", path = "..." }
//! ```
//!
//! knows it as `tokio`, so an expansion that says `::clockwork::runtime::Builder` fails with
//! "could not find `clockwork` in the list of imported crates".
//!
//! So at expansion time we read the user's `Cargo.toml` (the `proc-macro-crate` crate does
//! this: it finds the manifest through `CARGO_MANIFEST_DIR`) and look for the dependency whose
//! package is `clockwork`. Three answers are possible:
//!
//! 1. It is imported under some name (`clockwork`, `tokio`, anything): we write `::name`.
//! 2. The crate being compiled *is* the `clockwork` package. Inside its library that means
//!    `crate`; in the package's examples and binaries, which are separate crates that see the
//!    library as an ordinary dependency, it means `::clockwork`.
//! 3. No manifest names it (the attribute arrived through a re-export, or the code is built
//!    without Cargo): we fall back to `::clockwork`, and the user can say `crate = "path"`.

use proc_macro_crate::{Error, FoundCrate, crate_name};

/// The package name the attributes look for in the user's `Cargo.toml`.
const PACKAGE: &str = "clockwork";

/// The path to Clockwork as the crate being compiled sees it (see the module docs).
pub(crate) fn clockwork_path() -> syn::Path {
    let found = crate_name(PACKAGE);
    let compiling = std::env::var("CARGO_CRATE_NAME").ok();
    path_for(found, compiling.as_deref())
}

/// Turns what `proc-macro-crate` found into a path; `compiling` is the name of the crate being
/// compiled right now (Cargo's `CARGO_CRATE_NAME`), which tells the library from its examples.
///
/// A separate function, free of the environment, so the unit tests can try every case.
pub(crate) fn path_for(found: Result<FoundCrate, Error>, compiling: Option<&str>) -> syn::Path {
    match found {
        // Case 1: the user's crate imports Clockwork as `name`.
        Ok(FoundCrate::Name(name)) => {
            let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
            syn::parse_quote!(::#ident)
        }
        // Case 2: we are inside the clockwork package; only its library may say `crate`.
        Ok(FoundCrate::Itself) if compiling == Some(PACKAGE) => syn::parse_quote!(crate),
        Ok(FoundCrate::Itself) => syn::parse_quote!(::clockwork),
        // Case 3: nothing to go on; the conventional name is the best guess.
        Err(_) => syn::parse_quote!(::clockwork),
    }
}
