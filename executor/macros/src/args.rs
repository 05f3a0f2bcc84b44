//! The arguments of `#[clockwork::main]` and `#[clockwork::test]`: tokio's, with tokio's rules.
//!
//! | argument | values | goes with |
//! |---|---|---|
//! | `flavor` | `"current_thread"`, `"multi_thread"`, `"local"` | (default: `multi_thread` for `main`, `current_thread` for `test`, as tokio) |
//! | `worker_threads` | a number above 0 | `multi_thread` only |
//! | `start_paused` | `true`, `false` | `current_thread` and `local` only |
//! | `name` | a string | any flavour |
//! | `crate` | a path, as a string | any flavour |
//! | `explore` | a number of runs | `#[clockwork::test]` only; Clockwork's own (see `runtime::explore`) |
//!
//! Every flavour runs on one thread in Clockwork (see `Builder::new_multi_thread`). The
//! combinations tokio refuses are refused with tokio's reasons, so that a program that compiles
//! here compiles on tokio too. Tokio's `unhandled_panic` needs its unstable features, and
//! Clockwork does not have it.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, MetaNameValue, Token};

/// The runtime the attribute builds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
    Local,
}

/// The arguments, checked.
pub(crate) struct Args {
    pub(crate) flavor: Flavor,
    pub(crate) worker_threads: Option<usize>,
    pub(crate) start_paused: Option<bool>,
    pub(crate) name: Option<String>,
    /// The path given with `crate = "path"`, if any; it wins over what `Cargo.toml` says.
    pub(crate) krate: Option<syn::Path>,
    /// `explore = N`: run the test under N seeded orders of polls (`runtime::explore`).
    pub(crate) explore: Option<u32>,
}

/// The arguments as written, before the checks that relate them.
#[derive(Default)]
struct Written {
    flavor: Option<Flavor>,
    worker_threads: Option<(usize, Span)>,
    start_paused: Option<(bool, Span)>,
    name: Option<String>,
    krate: Option<syn::Path>,
    explore: Option<(u32, Span)>,
}

/// Parses and checks the attribute's arguments; `is_test` picks the default flavour.
pub(crate) fn parse(args: TokenStream, is_test: bool) -> syn::Result<Args> {
    let written = parse_written(args)?;
    let default = if is_test { Flavor::CurrentThread } else { Flavor::MultiThread };
    let flavor = written.flavor.unwrap_or(default);
    let macro_name = if is_test { "clockwork::test" } else { "clockwork::main" };
    if let Some((_, span)) = written.worker_threads.filter(|_| flavor != Flavor::MultiThread) {
        let message = format!(
            "The `worker_threads` option requires the `multi_thread` runtime flavor. Use \
             `#[{macro_name}(flavor = \"multi_thread\")]`"
        );
        return Err(syn::Error::new(span, message));
    }
    if let Some((_, span)) = written.start_paused.filter(|_| flavor == Flavor::MultiThread) {
        let message = format!(
            "The `start_paused` option requires the `current_thread` runtime flavor. Use \
             `#[{macro_name}(flavor = \"current_thread\")]`"
        );
        return Err(syn::Error::new(span, message));
    }
    if let Some((_, span)) = written.explore {
        if !is_test {
            let message = "`explore` is for #[clockwork::test]: it runs a test under many orders";
            return Err(syn::Error::new(span, message));
        }
        if written.flavor.is_some() || written.start_paused.is_some() {
            let message = "`explore` runs each run on a fresh current-thread runtime with paused                            time: leave out `flavor` and `start_paused`";
            return Err(syn::Error::new(span, message));
        }
    }
    Ok(Args {
        flavor,
        worker_threads: written.worker_threads.map(|(threads, _)| threads),
        start_paused: written.start_paused.map(|(paused, _)| paused),
        name: written.name,
        krate: written.krate,
        explore: written.explore.map(|(runs, _)| runs),
    })
}

/// Reads each `name = value` pair.
fn parse_written(args: TokenStream) -> syn::Result<Written> {
    let mut written = Written::default();
    let pairs = Punctuated::<MetaNameValue, Token![,]>::parse_terminated.parse2(args)?;
    for pair in pairs {
        let name = pair.path.get_ident().map(|ident| ident.to_string()).unwrap_or_default();
        let value = &pair.value;
        match name.as_str() {
            "flavor" => written.flavor = Some(flavor_value(value)?),
            "worker_threads" => {
                written.worker_threads = Some((threads_value(value)?, value.span()))
            }
            "start_paused" => written.start_paused = Some((bool_value(value)?, value.span())),
            "name" => written.name = Some(string_value(value)?),
            "crate" => written.krate = Some(syn::parse_str(&string_value(value)?)?),
            "explore" => written.explore = Some((runs_value(value)?, value.span())),
            "unhandled_panic" => {
                let message = "Clockwork has no `unhandled_panic` (tokio's needs its unstable \
                               features): remove the argument";
                return Err(syn::Error::new(pair.path.span(), message));
            }
            _ => {
                let message = "unknown argument; #[clockwork::main] and #[clockwork::test] \
                               accept flavor, worker_threads, start_paused, name and crate \
                               (and #[clockwork::test], explore)";
                return Err(syn::Error::new(pair.path.span(), message));
            }
        }
    }
    Ok(written)
}

fn flavor_value(value: &Expr) -> syn::Result<Flavor> {
    match string_value(value)?.as_str() {
        "current_thread" => Ok(Flavor::CurrentThread),
        "multi_thread" => Ok(Flavor::MultiThread),
        "local" => Ok(Flavor::Local),
        other => {
            let message = format!(
                "No such runtime flavor `{other}`. The runtime flavors are `current_thread`, \
                 `local`, and `multi_thread`."
            );
            Err(syn::Error::new(value.span(), message))
        }
    }
}

fn threads_value(value: &Expr) -> syn::Result<usize> {
    let threads = match value {
        Expr::Lit(ExprLit { lit: Lit::Int(number), .. }) => number.base10_parse::<usize>()?,
        _ => return Err(syn::Error::new(value.span(), "expected a number of threads")),
    };
    if threads == 0 {
        return Err(syn::Error::new(value.span(), "`worker_threads` may not be 0."));
    }
    Ok(threads)
}

fn runs_value(value: &Expr) -> syn::Result<u32> {
    let runs = match value {
        Expr::Lit(ExprLit { lit: Lit::Int(number), .. }) => number.base10_parse::<u32>()?,
        _ => return Err(syn::Error::new(value.span(), "expected a number of runs")),
    };
    if runs == 0 {
        return Err(syn::Error::new(value.span(), "`explore` needs at least one run"));
    }
    Ok(runs)
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

impl Args {
    /// The expression that builds the runtime, starting with the path to Clockwork.
    pub(crate) fn runtime(&self, krate: &syn::Path) -> TokenStream {
        let constructor = match self.flavor {
            Flavor::CurrentThread | Flavor::Local => quote!(new_current_thread),
            Flavor::MultiThread => quote!(new_multi_thread),
        };
        // Each knob is mentioned only when it was asked for, so the common case compiles
        // against any runtime build.
        let worker_threads = self.worker_threads.map(|threads| quote!(.worker_threads(#threads)));
        let start_paused = self.start_paused.map(|paused| quote!(.start_paused(#paused)));
        let name = self.name.as_ref().map(|name| quote!(.name(#name)));
        let build = match self.flavor {
            Flavor::Local => quote!(build_local(::core::default::Default::default())),
            Flavor::CurrentThread | Flavor::MultiThread => quote!(build()),
        };
        quote! {
            #krate::runtime::Builder::#constructor()
                #worker_threads
                .enable_all()
                #start_paused
                #name
                .#build
                .expect("failed to build the Clockwork runtime")
        }
    }
}
