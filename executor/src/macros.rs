//! `join!`, `try_join!` and `select!`: waiting for several futures at once, by hand; and
//! `pin!`, which they all need in some form.
//!
//! Each macro expands to one `poll_fn` whose closure polls every branch in turn. A branch is a
//! pinned `Option<Future>` on the caller's stack (see `support::poll_slot`): polled while it
//! is `Some`, emptied when it finishes. `join!` waits until every slot is empty; `select!`
//! stops at the first branch that finishes, and the other branches, still in their slots, are
//! dropped at the end of the macro's block. That drop *is* cancellation: a losing future is
//! never polled again, and whatever it held is released by its destructor.
//!
//! These are `macro_rules!`, so they count branches with a fixed list of names: up to eight
//! branches (`select!`) or futures (`join!`, `try_join!`). Nest them for more.

#[doc(hidden)]
pub mod support;

// ANCHOR: pin
/// Pins each named local variable where it stands, shadowing it with a `Pin<&mut T>`, as
/// `tokio::pin!`.
///
/// A future must be pinned before it can be polled through `&mut`, which is what
/// `select!` in a loop and `Future::poll` by hand need. Pinning on the stack is safe as long
/// as nobody can reach the value by its old name afterwards, and shadowing makes sure of it:
/// the value moves into a hidden place that `std::pin::pin!` borrows, and the only name left
/// is the pinned reference. Two forms:
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// // 1. Pin variables that already exist.
/// let sleep = clockwork::time::sleep(std::time::Duration::from_millis(1));
/// clockwork::pin!(sleep);
/// (&mut sleep).await; // `sleep` is a `Pin<&mut Sleep>` now
///
/// // 2. Declare and pin in one step.
/// clockwork::pin! {
///     let answer = async { 42 };
/// }
/// assert_eq!(answer.as_mut().await, 42);
/// # });
/// ```
#[macro_export]
macro_rules! pin {
    ($($name:ident),* $(,)?) => {
        $(
            // The value moves into a temporary that lives as long as this block does; the
            // old name is shadowed, so the value can no longer be moved out of its place.
            #[allow(unused_mut)]
            let mut $name = $crate::macros::support::pin!($name);
        )*
    };
    ($(let $name:ident = $init:expr;)*) => {
        $(
            let $name = $init;
            $crate::pin!($name);
        )*
    };
}
// ANCHOR_END: pin

// ANCHOR: join
/// Waits for every future and returns their outputs as a tuple, as `tokio::join!`.
///
/// All futures run concurrently on the current task (none is spawned). Up to eight futures.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (a, b) = clockwork::join!(async { 1 }, async { "two" });
/// assert_eq!((a, b), (1, "two"));
/// # });
/// ```
#[macro_export]
macro_rules! join {
    ($($future:expr),+ $(,)?) => {
        $crate::__join_zip!(
            [] [$($future,)+]
            [(0 f0 o0) (1 f1 o1) (2 f2 o2) (3 f3 o3) (4 f4 o4) (5 f5 o5) (6 f6 o6) (7 f7 o7)]
        )
    };
}
// ANCHOR_END: join

/// Pairs each future with a slot name and an output name, then expands `join!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __join_zip {
    ([$($done:tt)*] [$future:expr, $($rest:expr,)*] [($i:tt $slot:ident $out:ident) $($names:tt)*]) => {
        $crate::__join_zip!([$($done)* ($future, $slot, $out)] [$($rest,)*] [$($names)*])
    };
    ([$($done:tt)*] [$future:expr, $($rest:expr,)*] []) => {
        ::std::compile_error!("clockwork's join! and try_join! take at most eight futures")
    };
    ([$(($future:expr, $slot:ident, $out:ident))*] [] [$($unused:tt)*]) => {{
        $(let mut $slot = $crate::macros::support::pin!(Some($future));)*
        $(let mut $out = None;)*
        $crate::macros::support::poll_fn(|cx| {
            // Poll every future that has not finished yet; keep each output as it arrives.
            $(
                if let ::std::task::Poll::Ready(output) =
                    $crate::macros::support::poll_slot($slot.as_mut(), cx)
                {
                    $out = Some(output);
                }
            )*
            let all_done = true $(&& $out.is_some())*;
            if !all_done {
                return ::std::task::Poll::Pending;
            }
            ::std::task::Poll::Ready(($($out.take().expect("each output is taken once"),)*))
        })
        .await
    }};
}

/// Waits for every future, or returns the first `Err`, as `tokio::try_join!`.
///
/// On the first error the other futures are dropped (cancelled). Up to eight futures.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let ok: Result<(i32, i32), &str> = clockwork::try_join!(async { Ok(1) }, async { Ok(2) });
/// assert_eq!(ok, Ok((1, 2)));
/// let failed: Result<(i32, i32), &str> =
///     clockwork::try_join!(async { Ok(1) }, async { Err("no") });
/// assert_eq!(failed, Err("no"));
/// # });
/// ```
#[macro_export]
macro_rules! try_join {
    ($($future:expr),+ $(,)?) => {
        $crate::__try_join_zip!(
            [] [$($future,)+]
            [(0 f0 o0) (1 f1 o1) (2 f2 o2) (3 f3 o3) (4 f4 o4) (5 f5 o5) (6 f6 o6) (7 f7 o7)]
        )
    };
}

/// Pairs each future with a slot name and an output name, then expands `try_join!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __try_join_zip {
    ([$($done:tt)*] [$future:expr, $($rest:expr,)*] [($i:tt $slot:ident $out:ident) $($names:tt)*]) => {
        $crate::__try_join_zip!([$($done)* ($future, $slot, $out)] [$($rest,)*] [$($names)*])
    };
    ([$($done:tt)*] [$future:expr, $($rest:expr,)*] []) => {
        ::std::compile_error!("clockwork's join! and try_join! take at most eight futures")
    };
    ([$(($future:expr, $slot:ident, $out:ident))*] [] [$($unused:tt)*]) => {{
        $(let mut $slot = $crate::macros::support::pin!(Some($future));)*
        $(let mut $out = None;)*
        $crate::macros::support::poll_fn(|cx| {
            // Poll every unfinished future; the first `Err` ends the whole join.
            $(
                if let ::std::task::Poll::Ready(result) =
                    $crate::macros::support::poll_slot($slot.as_mut(), cx)
                {
                    match result {
                        ::std::result::Result::Ok(value) => $out = Some(value),
                        ::std::result::Result::Err(error) => {
                            return ::std::task::Poll::Ready(::std::result::Result::Err(error));
                        }
                    }
                }
            )*
            let all_done = true $(&& $out.is_some())*;
            if !all_done {
                return ::std::task::Poll::Pending;
            }
            let outputs = ($($out.take().expect("each output is taken once"),)*);
            ::std::task::Poll::Ready(::std::result::Result::Ok(outputs))
        })
        .await
    }};
}

mod select;
