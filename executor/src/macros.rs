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
//! These are `macro_rules!`, which cannot count nor make up names; a small procedural helper,
//! `__numbered!` (in `clockwork-macros`), gives each branch its number and the names of its
//! variables, then hands back to the `macro_rules!` macro that writes the code. There is no
//! limit on the number of branches but the compiler's; tokio promises 64, and so do we.

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
/// All futures run concurrently on the current task (none is spawned). Each time the task is
/// polled, a different future is polled first, so that none can starve the others; with
/// `biased;` as the first argument they are always polled in the order written. Each argument
/// may be anything that implements [`IntoFuture`](std::future::IntoFuture).
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (a, b) = clockwork::join!(async { 1 }, async { "two" });
/// assert_eq!((a, b), (1, "two"));
/// let in_order = clockwork::join!(biased; async { 3 }, async { 4 });
/// assert_eq!(in_order, (3, 4));
/// # });
/// ```
#[macro_export]
macro_rules! join {
    (biased; $($future:expr),* $(,)?) => {
        $crate::__numbered!($crate::__join_expand; [slot out]; [true]; $(($future))*)
    };
    ($($future:expr),* $(,)?) => {
        $crate::__numbered!($crate::__join_expand; [slot out]; [false]; $(($future))*)
    };
}
// ANCHOR_END: join

/// Writes `join!` for its numbered futures: `(index slot out (future))` each.
#[doc(hidden)]
#[macro_export]
macro_rules! __join_expand {
    ($biased:tt []) => { () };
    ($biased:tt [$(($index:tt $slot:ident $out:ident ($future:expr)))+]) => {{
        // 1. Each future in a pinned slot on this stack, each output in a variable.
        $(
            let mut $slot =
                $crate::macros::support::pin!($crate::macros::support::slot($future));
        )+
        $(let mut $out = ::std::option::Option::None;)+
        // 2. The future polled first this time; it moves on by one each poll unless `biased;`.
        let mut first = 0;
        $crate::macros::support::poll_fn(|cx| {
            let count = $crate::macros::support::count(&[$($index),+]);
            let start = $crate::macros::support::next_start(&mut first, count, $biased);
            // 3. Poll every future that has not finished yet; keep each output as it arrives.
            for offset in 0..count {
                let index = $crate::macros::support::nth_branch(start, offset, count);
                $(
                    if index == $index {
                        if let ::std::task::Poll::Ready(output) =
                            $crate::macros::support::poll_slot($slot.as_mut(), cx)
                        {
                            $out = ::std::option::Option::Some(output);
                        }
                    }
                )+
            }
            let all_done = true $(&& $out.is_some())+;
            if !all_done {
                return ::std::task::Poll::Pending;
            }
            ::std::task::Poll::Ready(($($out.take().expect("each output is taken once"),)+))
        })
        .await
    }};
}

/// Waits for every future, or returns the first `Err`, as `tokio::try_join!`.
///
/// On the first error the other futures are dropped (cancelled). The polling order is
/// `join!`'s, `biased;` included.
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
    (biased; $($future:expr),* $(,)?) => {
        $crate::__numbered!($crate::__try_join_expand; [slot out]; [true]; $(($future))*)
    };
    ($($future:expr),* $(,)?) => {
        $crate::__numbered!($crate::__try_join_expand; [slot out]; [false]; $(($future))*)
    };
}

/// Writes `try_join!` for its numbered futures: `(index slot out (future))` each.
#[doc(hidden)]
#[macro_export]
macro_rules! __try_join_expand {
    ($biased:tt []) => { ::std::result::Result::<(), ()>::Ok(()) };
    ($biased:tt [$(($index:tt $slot:ident $out:ident ($future:expr)))+]) => {{
        $(
            let mut $slot =
                $crate::macros::support::pin!($crate::macros::support::slot($future));
        )+
        $(let mut $out = ::std::option::Option::None;)+
        let mut first = 0;
        $crate::macros::support::poll_fn(|cx| {
            let count = $crate::macros::support::count(&[$($index),+]);
            let start = $crate::macros::support::next_start(&mut first, count, $biased);
            // Poll every unfinished future; the first `Err` ends the whole join.
            for offset in 0..count {
                let index = $crate::macros::support::nth_branch(start, offset, count);
                $(
                    if index == $index {
                        if let ::std::task::Poll::Ready(result) =
                            $crate::macros::support::poll_slot($slot.as_mut(), cx)
                        {
                            match result {
                                ::std::result::Result::Ok(value) => {
                                    $out = ::std::option::Option::Some(value)
                                }
                                ::std::result::Result::Err(error) => {
                                    return ::std::task::Poll::Ready(
                                        ::std::result::Result::Err(error),
                                    );
                                }
                            }
                        }
                    }
                )+
            }
            let all_done = true $(&& $out.is_some())+;
            if !all_done {
                return ::std::task::Poll::Pending;
            }
            let outputs = ($($out.take().expect("each output is taken once"),)+);
            ::std::task::Poll::Ready(::std::result::Result::Ok(outputs))
        })
        .await
    }};
}

mod select;
