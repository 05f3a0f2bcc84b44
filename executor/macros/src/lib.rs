//! `#[clockwork::main]` and `#[clockwork::test]`: run an `async fn` on a Clockwork runtime.
//!
//! Both attributes rewrite
//!
//! ```text
//! #[clockwork::main]
//! async fn main() -> R { body }
//! ```
//!
//! into
//!
//! ```text
//! fn main() -> R {
//!     clockwork::runtime::Builder::new_current_thread()
//!         .enable_all()
//!         .build()
//!         .expect("...")
//!         .block_on(async { body })
//! }
//! ```
//!
//! `#[clockwork::test]` does the same and adds `#[test]`. Arguments:
//!
//! - `flavor = "current_thread"`: accepted (it is the only flavour).
//! - `start_paused = true`: starts the runtime with time paused (see `clockwork::time`).
//! - `crate = "path"`: where to find Clockwork. Rarely needed: without it, the expansion
//!   names Clockwork the way the user's `Cargo.toml` imports it, so a program that renamed the
//!   dependency to `tokio` works unchanged (see `krate.rs`).
//!
//! Anything else (such as tokio's `worker_threads`) is a compile error that says why.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Expr, ExprLit, ItemFn, Lit, MetaNameValue, Token};

mod krate;

/// For `select!` only: the same pattern with every binding's `mut` and `ref` removed.
///
/// `select!` first tests a branch's output against its pattern *by reference*, so that an
/// output that does not match can be dropped and the branch disabled. A binding such as
/// `Some(mut v)` cannot bind through a reference, so the test uses this cleaned copy, which binds
/// nothing it keeps; the handler then matches the moved output with the pattern as written.
#[doc(hidden)]
#[proc_macro]
pub fn __select_clean_pattern(input: TokenStream) -> TokenStream {
    let input = TokenStream2::from(input);
    // A `$pattern:pat` arrives wrapped in an invisible group; look inside it.
    let input = match input.clone().into_iter().collect::<Vec<_>>().as_slice() {
        [proc_macro2::TokenTree::Group(group)]
            if group.delimiter() == proc_macro2::Delimiter::None =>
        {
            group.stream()
        }
        _ => input,
    };
    let mut pattern = match syn::Pat::parse_multi.parse2(input) {
        Ok(pattern) => pattern,
        Err(error) => return error.to_compile_error().into(),
    };
    CleanBindings.visit_pat_mut(&mut pattern);
    quote!(#pattern).into()
}

/// Removes `mut` and `ref` from every binding of a pattern.
struct CleanBindings;

impl VisitMut for CleanBindings {
    fn visit_pat_ident_mut(&mut self, binding: &mut syn::PatIdent) {
        binding.by_ref = None;
        binding.mutability = None;
        syn::visit_mut::visit_pat_ident_mut(self, binding);
    }
}

/// Runs `async fn main` on a Clockwork runtime.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand(args.into(), item.into(), false).unwrap_or_else(|error| error.to_compile_error()).into()
}

/// Runs an `async fn` test on a fresh Clockwork runtime.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    expand(args.into(), item.into(), true).unwrap_or_else(|error| error.to_compile_error()).into()
}

/// The arguments the attributes understand.
struct Args {
    start_paused: bool,
    /// The path given with `crate = "path"`, if any; it wins over what `Cargo.toml` says.
    krate: Option<syn::Path>,
}

fn parse_args(args: TokenStream2) -> syn::Result<Args> {
    let mut parsed = Args { start_paused: false, krate: None };
    let pairs = Punctuated::<MetaNameValue, Token![,]>::parse_terminated.parse2(args)?;
    for pair in pairs {
        let name = pair.path.get_ident().map(|ident| ident.to_string()).unwrap_or_default();
        match name.as_str() {
            "flavor" => {
                let flavor = string_value(&pair.value)?;
                if flavor != "current_thread" {
                    let message = format!(
                        "Clockwork has one flavor, \"current_thread\" (found \"{flavor}\"): \
                         every task runs on the thread that calls block_on"
                    );
                    return Err(syn::Error::new(pair.value.span(), message));
                }
            }
            "start_paused" => parsed.start_paused = bool_value(&pair.value)?,
            "crate" => parsed.krate = Some(syn::parse_str(&string_value(&pair.value)?)?),
            "worker_threads" => {
                let message = "Clockwork is single-threaded, so it has no worker_threads: \
                               remove the argument";
                return Err(syn::Error::new(pair.path.span(), message));
            }
            _ => {
                let message = "unknown argument; #[clockwork::main] and #[clockwork::test] \
                               accept flavor = \"current_thread\", start_paused = true|false \
                               and crate = \"path\"";
                return Err(syn::Error::new(pair.path.span(), message));
            }
        }
    }
    Ok(parsed)
}

fn string_value(value: &Expr) -> syn::Result<String> {
    match value {
        Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) => Ok(text.value()),
        _ => Err(syn::Error::new(value.span(), "expected a string literal")),
    }
}

fn bool_value(value: &Expr) -> syn::Result<bool> {
    match value {
        Expr::Lit(ExprLit { lit: Lit::Bool(flag), .. }) => Ok(flag.value),
        _ => Err(syn::Error::new(value.span(), "expected `true` or `false`")),
    }
}

fn expand(args: TokenStream2, item: TokenStream2, is_test: bool) -> syn::Result<TokenStream2> {
    let args = parse_args(args)?;
    let mut function: ItemFn = syn::parse2(item)?;
    if function.sig.asyncness.take().is_none() {
        let message = "the `async` keyword is missing from the function declaration";
        return Err(syn::Error::new(function.sig.fn_token.span(), message));
    }
    if !is_test && function.sig.ident != "main" {
        let message =
            "#[clockwork::main] goes on `async fn main`; use #[clockwork::test] for tests";
        return Err(syn::Error::new(function.sig.ident.span(), message));
    }

    // Only look in Cargo.toml when the user did not say where Clockwork is.
    let krate = args.krate.unwrap_or_else(krate::clockwork_path);
    // Only mention `start_paused` when it was asked for, so the common case compiles against
    // any runtime build.
    let start_paused = if args.start_paused { quote!(.start_paused(true)) } else { quote!() };
    let body = &function.block;
    let span = Span::call_site();
    let runtime = quote_spanned! {span=>
        #krate::runtime::Builder::new_current_thread()
            .enable_all()
            #start_paused
            .build()
            .expect("failed to build the Clockwork runtime")
    };
    let test_attribute = if is_test { quote!(#[::core::prelude::v1::test]) } else { quote!() };
    let attributes = &function.attrs;
    let visibility = &function.vis;
    let signature = &function.sig;
    Ok(quote! {
        #test_attribute
        #(#attributes)*
        #visibility #signature {
            let body = async move #body;
            #runtime.block_on(body)
        }
    })
}

#[cfg(test)]
mod tests;
