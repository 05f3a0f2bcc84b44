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
//!     clockwork::runtime::Builder::new_multi_thread()
//!         .enable_all()
//!         .build()
//!         .expect("...")
//!         .block_on(async { body })
//! }
//! ```
//!
//! `#[clockwork::test]` does the same and adds `#[test]`. Both go on any `async fn`, as tokio's
//! do. The arguments are tokio's (`flavor`, `worker_threads`, `start_paused`, `name`, `crate`;
//! see `args.rs`): the flavour picks the builder (`new_multi_thread` for `main` by default,
//! `new_current_thread` for tests, `build_local` for `"local"`), and the others become builder
//! calls. `crate = "path"` is rarely needed: without it, the expansion names Clockwork the way
//! the user's `Cargo.toml` imports it, so a program that renamed the dependency to `tokio`
//! works unchanged (see `krate.rs`).
//!
//! The crate also holds two helpers for the `macro_rules!` macros of `clockwork::macros`:
//! `__select_clean_pattern` and `__numbered` (in `numbered.rs`).

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::ItemFn;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

mod args;
mod krate;
mod numbered;

/// For `join!`, `try_join!` and `select!` only: numbers their branches and names each one's
/// variables, then calls back the `macro_rules!` macro that writes the code (see
/// `numbered.rs`).
#[doc(hidden)]
#[proc_macro]
pub fn __numbered(input: TokenStream) -> TokenStream {
    match syn::parse::<numbered::Numbered>(input) {
        Ok(numbered) => numbered.expand().into(),
        Err(error) => error.to_compile_error().into(),
    }
}

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

fn expand(args: TokenStream2, item: TokenStream2, is_test: bool) -> syn::Result<TokenStream2> {
    let args = args::parse(args, is_test)?;
    let mut function: ItemFn = syn::parse2(item)?;
    if function.sig.asyncness.take().is_none() {
        let message = "the `async` keyword is missing from the function declaration";
        return Err(syn::Error::new(function.sig.fn_token.span(), message));
    }

    // Only look in Cargo.toml when the user did not say where Clockwork is.
    let krate = args.krate.clone().unwrap_or_else(krate::clockwork_path);
    let runtime = args.runtime(&krate);
    let test_attribute = if is_test { quote!(#[::core::prelude::v1::test]) } else { quote!() };
    let attributes = &function.attrs;
    let visibility = &function.vis;
    let signature = &function.sig;
    let body = &function.block;
    if let Some(runs) = args.explore {
        // Each run needs a fresh future: the body becomes a closure that makes one.
        return Ok(quote! {
            #test_attribute
            #(#attributes)*
            #visibility #signature {
                #krate::runtime::explore(#runs, || async move #body)
            }
        });
    }
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
