//! `select!`: wait for the first of several branches, then drop the rest.
//!
//! The macro works in four passes:
//!
//! 1. `select!` reads an optional `biased;`.
//! 2. `__select_parse!` reads the branches one at a time into a uniform list
//!    `(pattern) (future) (condition) {handler}`, and the `else` handler aside.
//! 3. `__numbered!` (a procedural helper, see `macros.rs`) gives each branch a number and the
//!    names of its variables.
//! 4. `__select_expand!` writes the code: a pinned slot per branch, one `poll_fn` that polls
//!    the slots starting at a varying branch, and a `match` that runs the winner's handler
//!    after every slot (and so every losing future) has been dropped.

// ANCHOR: select
/// Waits on several branches at once and runs the handler of the first to complete, as
/// `tokio::select!`.
///
/// Each branch is `pattern = future (, if condition)? => handler`. Then:
///
/// 1. Every `condition` is evaluated; a branch whose condition is false is disabled (its
///    future is still created, as in tokio, but dropped at once and never polled).
/// 2. The futures are polled in turn, starting from a branch picked at random (or from the
///    first, with `biased;` as the first line).
/// 3. When a future completes and its output matches `pattern`, every other future is dropped
///    (cancelled) and that branch's handler runs with the pattern's bindings. An output that
///    does not match disables its branch, and the others go on.
/// 4. When every branch is disabled, the `else` handler runs; without an `else`, `select!`
///    panics.
///
/// Handlers run outside the polling code, so `return`, `break`, `continue` and `?` in a
/// handler act on the code around `select!`. A branch's future may be anything that implements
/// [`IntoFuture`](std::future::IntoFuture). Tokio promises 64 branches; so does Clockwork.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, mut rx) = clockwork::sync::mpsc::unbounded_channel::<i32>();
/// tx.send(7).unwrap();
/// let idle = std::future::pending::<()>();
/// let got = clockwork::select! {
///     Some(n) = rx.recv() => n,
///     _ = idle => 0,
/// };
/// assert_eq!(got, 7);
/// # });
/// ```
#[macro_export]
macro_rules! select {
    (biased; $($branches:tt)*) => {
        $crate::__select_parse!(true [] [] $($branches)*)
    };
    ($($branches:tt)*) => {
        $crate::__select_parse!(false [] [] $($branches)*)
    };
}
// ANCHOR_END: select

/// Reads `select!` branches into `(pattern) (future) (condition) {handler}` entries.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_parse {
    // All branches read: none at all, only an `else`, or some to number and expand.
    ($biased:tt [] []) => {
        ::std::compile_error!("select! needs at least one branch")
    };
    ($biased:tt [] [$($else:tt)+]) => {
        $crate::__select_else!($($else)+)
    };
    ($biased:tt [$($done:tt)+] [$($else:tt)*]) => {
        $crate::__numbered!(
            $crate::__select_expand; [slot init enabled]; [$biased [$($else)*]]; $($done)+
        )
    };
    // The `else` branch, with a block or an expression as its handler.
    ($biased:tt [$($done:tt)*] [] else => $handler:block $(, $($rest:tt)*)?) => {
        $crate::__select_parse!($biased [$($done)*] [{ $handler }] $($($rest)*)?)
    };
    ($biased:tt [$($done:tt)*] [] else => $handler:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!($biased [$($done)*] [{ $handler }] $($($rest)*)?)
    };
    // A branch with a condition; the handler a block (comma optional) or an expression.
    ($biased:tt [$($done:tt)*] [$($else:tt)*]
        $pattern:pat = $future:expr, if $condition:expr => $handler:block, $($rest:tt)*) => {
        $crate::__select_parse!($biased
            [$($done)* (($pattern) ($future) ($condition) { $handler })] [$($else)*] $($rest)*)
    };
    ($biased:tt [$($done:tt)*] [$($else:tt)*]
        $pattern:pat = $future:expr, if $condition:expr => $handler:block $($rest:tt)*) => {
        $crate::__select_parse!($biased
            [$($done)* (($pattern) ($future) ($condition) { $handler })] [$($else)*] $($rest)*)
    };
    ($biased:tt [$($done:tt)*] [$($else:tt)*]
        $pattern:pat = $future:expr, if $condition:expr => $handler:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!($biased
            [$($done)* (($pattern) ($future) ($condition) { $handler })] [$($else)*]
            $($($rest)*)?)
    };
    // A branch without a condition.
    ($biased:tt [$($done:tt)*] [$($else:tt)*]
        $pattern:pat = $future:expr => $handler:block, $($rest:tt)*) => {
        $crate::__select_parse!($biased
            [$($done)* (($pattern) ($future) (true) { $handler })] [$($else)*] $($rest)*)
    };
    ($biased:tt [$($done:tt)*] [$($else:tt)*]
        $pattern:pat = $future:expr => $handler:block $($rest:tt)*) => {
        $crate::__select_parse!($biased
            [$($done)* (($pattern) ($future) (true) { $handler })] [$($else)*] $($rest)*)
    };
    ($biased:tt [$($done:tt)*] [$($else:tt)*]
        $pattern:pat = $future:expr => $handler:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!($biased
            [$($done)* (($pattern) ($future) (true) { $handler })] [$($else)*]
            $($($rest)*)?)
    };
}

/// Writes the `select!` code for its numbered branches:
/// `(index slot init enabled ((pattern) (future) (condition) {handler}))` each.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_expand {
    ($biased:tt [$($else:tt)*] [$((
        $index:tt $slot:ident $init:ident $enabled:ident
        (($pattern:pat) ($future:expr) ($condition:expr) $handler:tt)
    ))+]) => {{
        // Which branch won, with its output; `AllDisabled` sends us to `else`.
        enum __SelectWinner<$($slot,)+> {
            $($slot($slot),)+
            AllDisabled,
        }
        // `mut`, for patterns that bind by `ref mut`.
        #[allow(unused_mut)]
        let mut winner = {
            // 1. Conditions first, then the futures, each pinned in a slot on this stack. A
            //    future's temporaries (`&mut make_future()`) live as long as its `let`.
            $(let $enabled: bool = $condition;)+
            $(let $init = $future;)+
            $(let mut $slot = $crate::macros::support::pin!($crate::macros::support::slot($init));)+
            $(if !$enabled { $slot.set(::std::option::Option::None); })+
            $crate::macros::support::poll_fn(|cx| {
                // 2. A task that spent its budget yields here, even if a branch is ready.
                ::std::task::ready!($crate::macros::support::poll_budget_available(cx));
                // Start at a varying branch unless `biased;`, so no branch always wins ties.
                // (Counted here, not outside, so that the count takes no room in the future.)
                let count = $crate::macros::support::count(&[$($index),+]);
                let start = if $biased { 0 } else { $crate::macros::support::random_start(count) };
                for offset in 0..count {
                    let branch = $crate::macros::support::nth_branch(start, offset, count);
                    $(
                        #[allow(unreachable_code)]
                        if branch == $index {
                            // The `continue` arm also lets a future whose output type is
                            // otherwise unknown (it only ever panics) default to `()`.
                            let output =
                                match $crate::macros::support::poll_slot($slot.as_mut(), cx) {
                                    ::std::task::Poll::Ready(output) => output,
                                    ::std::task::Poll::Pending => continue,
                                };
                            // 3. An output that does not match the pattern disables the branch
                            // (its slot is already empty); the others go on. The test binds
                            // through a reference, so it uses the pattern with `mut` and `ref`
                            // removed from its bindings.
                            #[allow(unreachable_patterns, unused_variables)]
                            match &output {
                                $crate::__select_clean_pattern!($pattern) => {
                                    return ::std::task::Poll::Ready(
                                        __SelectWinner::$slot(output),
                                    );
                                }
                                _ => {}
                            }
                        }
                    )+
                }
                let any_enabled = false $(|| $slot.is_some())+;
                if any_enabled {
                    ::std::task::Poll::Pending
                } else {
                    ::std::task::Poll::Ready(__SelectWinner::AllDisabled)
                }
            })
            .await
            // The slots go out of scope here: every losing future is dropped, before any
            // handler runs.
        };
        #[allow(unreachable_patterns, unreachable_code)]
        match winner {
            $(__SelectWinner::$slot($pattern) => $handler,)+
            __SelectWinner::AllDisabled => $crate::__select_else!($($else)*),
            _ => ::std::unreachable!("the winning output was checked against its pattern"),
        }
    }};
}

/// The `else` handler, or the panic tokio also raises when there is none.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_else {
    () => {
        ::std::panic!("all branches are disabled and there is no else branch")
    };
    ($handler:tt) => {
        $handler
    };
}
