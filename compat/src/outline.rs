//! A test file's items and their byte ranges, and how to cut items out of the file.
//!
//! The compiler reports an error at a byte offset; to remove the test that caused it we need
//! the item around that offset. `Outline::parse` reads the file with `syn` and lists every
//! item (inside inline `mod` blocks too) with a *key* that names it (`fn sync::try_send`,
//! `use tokio::sync::SetOnce`, `impl AsyncRead for Mock`) and the bytes it covers, attributes
//! and doc comments included.
//!
//! `cut` removes items by key. It replaces their bytes with spaces and keeps every newline,
//! so the pruned file has the same lines and byte offsets as tokio's: an error in the pruned
//! file points into the original outline, and a panic's `file:line` into tokio's source.
//!
//! A `use` with a group (`use tokio::sync::{Mutex, SetOnce};`) is cut one leaf at a time,
//! with its comma, so that one missing name does not take the other imports with it.

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;

/// One removable piece of a file.
#[derive(Debug, Clone)]
pub struct Item {
    /// What a removal record calls it: a kind, then the path (`fn spawn_local::basic`).
    pub key: String,
    /// The name other code uses to refer to it, if any (`basic`, `SetOnce`).
    pub name: Option<String>,
    /// For `mod name;` without a body: the file it loads (`name`), so an error in
    /// `tests/support/name.rs` can be charged to this item.
    pub file_module: Option<String>,
    /// The bytes an error must fall in to be this item's.
    pub span: Range<usize>,
    /// The bytes removed with the item (a `use` leaf's also take its comma).
    pub cut: Range<usize>,
}

/// Every item of one file.
#[derive(Debug)]
pub struct Outline {
    pub items: Vec<Item>,
}

impl Outline {
    /// Lists the items of a file.
    pub fn parse(text: &str) -> syn::Result<Outline> {
        let file = syn::parse_file(text)?;
        let mut walker = Walker { text, items: Vec::new() };
        walker.items_in(&file.items, "");
        Ok(Outline { items: walker.items })
    }

    /// The smallest item whose bytes contain `offset`: a test function rather than the
    /// `mod` around it, a `use` leaf rather than the whole `use`.
    pub fn innermost(&self, offset: usize) -> Option<&Item> {
        let around = self.items.iter().filter(|item| item.span.contains(&offset));
        around.min_by_key(|item| item.span.len())
    }

    /// The `mod name;` item that loads `name.rs`.
    pub fn file_module(&self, name: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.file_module.as_deref() == Some(name))
    }

    /// The file with every item whose key is in `keys` blanked out.
    pub fn cut(&self, text: &str, keys: &BTreeSet<String>) -> String {
        let ranges: Vec<Range<usize>> = self
            .items
            .iter()
            .filter(|item| keys.contains(&item.key))
            .map(|item| item.cut.clone())
            .collect();
        blank(text, &ranges)
    }
}

/// Replaces every byte in `ranges` with a space, except newlines, so lines stay where they
/// were. A multi-byte character becomes as many spaces as it had bytes.
fn blank(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    for (offset, character) in text.char_indices() {
        let removed = ranges.iter().any(|range| range.contains(&offset));
        if removed && character != '\n' {
            out.extend(std::iter::repeat_n(' ', character.len_utf8()));
        } else {
            out.push(character);
        }
    }
    out
}

/// Walks the syntax tree and collects items.
struct Walker<'a> {
    text: &'a str,
    items: Vec<Item>,
}

impl Walker<'_> {
    /// Collects `items`, which sit in module `module` (`""` or `"name::"`).
    fn items_in(&mut self, items: &[syn::Item], module: &str) {
        for item in items {
            self.item(item, module);
        }
    }

    fn item(&mut self, item: &syn::Item, module: &str) {
        let span = byte_range(item.span());
        let named = |kind: &str, ident: &syn::Ident| {
            (format!("{kind} {module}{ident}"), Some(ident.to_string()))
        };
        let (key, name) = match item {
            syn::Item::Fn(function) => named("fn", &function.sig.ident),
            syn::Item::Struct(item) => named("struct", &item.ident),
            syn::Item::Enum(item) => named("enum", &item.ident),
            syn::Item::Union(item) => named("union", &item.ident),
            syn::Item::Trait(item) => named("trait", &item.ident),
            syn::Item::Type(item) => named("type", &item.ident),
            syn::Item::Const(item) => named("const", &item.ident),
            syn::Item::Static(item) => named("static", &item.ident),
            syn::Item::Mod(item) => {
                self.module(item, module, span.clone());
                return;
            }
            syn::Item::Use(item) => {
                self.use_item(item, module, span);
                return;
            }
            syn::Item::Impl(item) => (impl_key(item, module), None),
            syn::Item::Macro(item) => match (&item.ident, first_ident(&item.mac.tokens)) {
                (Some(ident), _) => named("macro_rules!", ident),
                // `test!(broadcast, ...)` at the top level: tokio's files use such calls to
                // write one test per line, named by the first argument.
                (None, Some(ident)) => named("macro call", &ident),
                (None, None) => (format!("macro call {module}at byte {}", span.start), None),
            },
            _ => (format!("item {module}at byte {}", span.start), None),
        };
        self.push(Item { key, name, file_module: None, cut: span.clone(), span });
    }

    /// A `mod`: the module itself is an item, and so is everything inside an inline one.
    fn module(&mut self, item: &syn::ItemMod, module: &str, span: Range<usize>) {
        let ident = item.ident.to_string();
        let file_module = item.content.is_none().then(|| ident.clone());
        let key = format!("mod {module}{ident}");
        self.push(Item { key, name: Some(ident.clone()), file_module, cut: span.clone(), span });
        if let Some((_, items)) = &item.content {
            self.items_in(items, &format!("{module}{ident}::"));
        }
    }

    /// A `use`: the whole declaration, and each leaf of its tree.
    fn use_item(&mut self, item: &syn::ItemUse, module: &str, span: Range<usize>) {
        let key = format!("use {module}{}", tidy(&item.tree.to_token_stream().to_string()));
        let whole = Item { key, name: None, file_module: None, cut: span.clone(), span };
        self.push(whole.clone());
        self.use_leaves(&item.tree, module, String::new(), &whole.cut);
    }

    /// Records each leaf of a `use` tree. `cut` is what removing the leaf removes: the
    /// innermost group element holding it, or the whole declaration if it is in no group.
    fn use_leaves(
        &mut self,
        tree: &syn::UseTree,
        module: &str,
        prefix: String,
        cut: &Range<usize>,
    ) {
        let (path, name) = match tree {
            syn::UseTree::Path(path) => {
                let prefix = format!("{prefix}{}::", path.ident);
                return self.use_leaves(&path.tree, module, prefix, cut);
            }
            syn::UseTree::Group(group) => {
                for element in &group.items {
                    let element_cut = with_comma(self.text, byte_range(element.span()));
                    self.use_leaves(element, module, prefix.clone(), &element_cut);
                }
                return;
            }
            syn::UseTree::Name(leaf) => (format!("{prefix}{}", leaf.ident), leaf.ident.to_string()),
            syn::UseTree::Rename(leaf) => {
                (format!("{prefix}{} as {}", leaf.ident, leaf.rename), leaf.rename.to_string())
            }
            syn::UseTree::Glob(_) => (format!("{prefix}*"), "*".to_string()),
        };
        let key = format!("use {module}{path}");
        self.push(Item {
            key,
            name: Some(name),
            file_module: None,
            span: cut.clone(),
            cut: cut.clone(),
        });
    }

    fn push(&mut self, item: Item) {
        debug_assert!(item.span.end <= self.text.len(), "an item lies inside the file");
        self.items.push(item);
    }
}

/// `impl Trait for Type` (or `impl Type`), as a key.
fn impl_key(item: &syn::ItemImpl, module: &str) -> String {
    let self_type = item.self_ty.to_token_stream().to_string();
    let text = match &item.trait_ {
        Some((_, path, _)) => format!("{} for {self_type}", path.to_token_stream()),
        None => self_type,
    };
    format!("impl {module}{}", tidy(&text))
}

/// The name a test-writing macro call gives its test: the first identifier followed by a
/// comma, which skips attributes and markers (`test!(IPv4 multicast_loop_v4, ...)`).
fn first_ident(tokens: &proc_macro2::TokenStream) -> Option<syn::Ident> {
    let trees: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    trees.windows(2).find_map(|pair| match pair {
        [proc_macro2::TokenTree::Ident(ident), proc_macro2::TokenTree::Punct(comma)]
            if comma.as_char() == ',' =>
        {
            Some(ident.clone())
        }
        _ => None,
    })
}

/// The bytes a span covers. `proc-macro2` knows them because of its `span-locations`
/// feature; outside a procedural macro its spans are its own, counted from the file's start.
fn byte_range(span: Span) -> Range<usize> {
    span.byte_range()
}

/// Extends a range over the comma that follows it, if one does (spaces in between).
fn with_comma(text: &str, range: Range<usize>) -> Range<usize> {
    let rest = &text[range.end..];
    let after_spaces = rest.trim_start();
    if after_spaces.starts_with(',') {
        let comma_end = range.end + (rest.len() - after_spaces.len()) + 1;
        return range.start..comma_end;
    }
    range
}

/// Token text as a person would write it: `Sender<T>`, not `Sender < T >`.
pub fn tidy(tokens: &str) -> String {
    let mut text = tokens.to_string();
    for (spaced, tight) in [(" :: ", "::"), (":: ", "::"), (" <", "<"), ("< ", "<"), (" >", ">")] {
        text = text.replace(spaced, tight);
    }
    for (spaced, tight) in [(" ,", ","), ("& ", "&"), (" (", "("), ("( ", "("), (" )", ")")] {
        text = text.replace(spaced, tight);
    }
    text
}

#[cfg(test)]
mod tests;
