//! `__numbered!`: gives each branch of `join!`, `try_join!` and `select!` a number and names.
//!
//! A `macro_rules!` macro cannot count, nor make up a fresh name per branch. The old way was a
//! fixed list of names zipped with the branches one at a time, which capped the macros at the
//! list's length and cost a level of macro recursion per branch. This helper does the counting
//! in one step and hands the result back to a `macro_rules!` macro, which writes the code:
//!
//! ```text
//! __numbered! { $crate::__join_expand; [slot out]; [false]; (fut_a) (fut_b) }
//!     ──► $crate::__join_expand! { false [ (0 slot0 out0 (fut_a)) (1 slot1 out1 (fut_b)) ] }
//! ```
//!
//! The names are made with `Span::mixed_site()`, the hygiene of `macro_rules!` locals: the
//! caller's code can neither see nor shadow them.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Token, bracketed, parenthesized};

/// The parsed input: `callback; [name prefixes]; [arguments]; (item) (item) ...`.
pub(crate) struct Numbered {
    /// The macro to call, as written (it may start with `$crate`, which `syn::Path` refuses).
    callback: TokenStream,
    prefixes: Vec<Ident>,
    arguments: TokenStream,
    items: Vec<TokenStream>,
}

impl Parse for Numbered {
    fn parse(input: ParseStream<'_>) -> syn::Result<Numbered> {
        let mut callback = TokenStream::new();
        while !input.peek(Token![;]) {
            callback.extend([input.parse::<TokenTree>()?]);
        }
        input.parse::<Token![;]>()?;
        let prefixes_input;
        bracketed!(prefixes_input in input);
        let mut prefixes = Vec::new();
        while !prefixes_input.is_empty() {
            prefixes.push(prefixes_input.parse()?);
        }
        input.parse::<Token![;]>()?;
        let arguments_input;
        bracketed!(arguments_input in input);
        let arguments = arguments_input.parse()?;
        input.parse::<Token![;]>()?;
        let mut items = Vec::new();
        while !input.is_empty() {
            let item;
            parenthesized!(item in input);
            items.push(item.parse()?);
        }
        Ok(Numbered { callback, prefixes, arguments, items })
    }
}

impl Numbered {
    /// `callback! { arguments [ (0 a0 b0 (item)) (1 a1 b1 (item)) ... ] }`.
    pub(crate) fn expand(&self) -> TokenStream {
        let entries = self.items.iter().enumerate().map(|(index, item)| self.entry(index, item));
        let numbered: TokenStream = entries.collect();
        let callback = &self.callback;
        let arguments = &self.arguments;
        let list = Group::new(Delimiter::Bracket, numbered);
        let bang = Punct::new('!', Spacing::Alone);
        quote!(#callback #bang { #arguments #list })
    }

    /// One entry: `(index name_index... (item))`.
    fn entry(&self, index: usize, item: &TokenStream) -> TokenTree {
        let literal = Literal::usize_unsuffixed(index);
        let names = self
            .prefixes
            .iter()
            .map(|prefix| Ident::new(&format!("{prefix}{index}"), Span::mixed_site()));
        let item = Group::new(Delimiter::Parenthesis, item.clone());
        TokenTree::Group(Group::new(Delimiter::Parenthesis, quote!(#literal #(#names)* #item)))
    }
}
