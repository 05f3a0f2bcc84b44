//! Every combination of when the `JoinHandle` is dropped, when the task is aborted, and where a
//! panic happens (in the spirit of tokio's `task_combinations.rs`). Whatever the combination, the
//! future is dropped exactly once, the output at most once, the handle reports what happened,
//! and no panic escapes into the runtime.

mod util;

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use clockwork::task::yield_now;
use util::{DropCounter, DropToken, INTENTIONAL, WakerSlot, quiet_intentional_panics, rt};

#[derive(Clone, Copy, Debug, PartialEq)]
enum DropHandle {
    BeforeFirstPoll,
    WhilePending,
    AfterComplete,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Abort {
    No,
    BeforeFirstPoll,
    WhilePending,
    AfterComplete,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum PanicAt {
    Nowhere,
    /// The second poll panics instead of returning `Ready`.
    Poll,
    /// The future's `Drop` panics.
    FutureDrop,
    /// The output's `Drop` panics.
    OutputDrop,
}

/// Pending on its first poll (keeping its waker in `slot`), `Ready` on its second.
struct Combo {
    slot: WakerSlot,
    polls: u32,
    panic_at: PanicAt,
    output_drops: DropCounter,
    _future_drop: DropToken,
}

struct Output {
    panic_on_drop: bool,
    _token: DropToken,
}

impl Drop for Output {
    fn drop(&mut self) {
        if self.panic_on_drop {
            panic!("{INTENTIONAL} in the output's drop");
        }
    }
}

impl Future for Combo {
    type Output = Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Output> {
        self.polls += 1;
        if self.polls == 1 {
            self.slot.store(cx.waker());
            return Poll::Pending;
        }
        if self.panic_at == PanicAt::Poll {
            panic!("{INTENTIONAL} in poll");
        }
        Poll::Ready(Output {
            panic_on_drop: self.panic_at == PanicAt::OutputDrop,
            _token: self.output_drops.token(),
        })
    }
}

impl Drop for Combo {
    fn drop(&mut self) {
        if self.panic_at == PanicAt::FutureDrop {
            panic!("{INTENTIONAL} in the future's drop");
        }
    }
}

/// What the `JoinHandle` should report when awaited.
#[derive(Debug, PartialEq)]
enum Expect {
    Output,
    Cancelled,
    Panic,
}

/// The abort only happens if the handle still exists at that point (at one point, the abort
/// comes before the drop).
fn effective_abort(abort: Abort, drop_at: DropHandle) -> Abort {
    let abort_point = match abort {
        Abort::No => return Abort::No,
        Abort::BeforeFirstPoll => 0,
        Abort::WhilePending => 1,
        Abort::AfterComplete => 2,
    };
    let drop_point = match drop_at {
        DropHandle::BeforeFirstPoll => 0,
        DropHandle::WhilePending => 1,
        DropHandle::AfterComplete => 2,
        DropHandle::Never => 3,
    };
    if abort_point <= drop_point { abort } else { Abort::No }
}

fn expected(abort: Abort, panic_at: PanicAt) -> Expect {
    let aborted_early = matches!(abort, Abort::BeforeFirstPoll | Abort::WhilePending);
    match (aborted_early, panic_at) {
        // Dropping the future panicked: that panic is the task's result, as in tokio.
        (_, PanicAt::FutureDrop) => Expect::Panic,
        (true, _) => Expect::Cancelled,
        (false, PanicAt::Poll) => Expect::Panic,
        (false, _) => Expect::Output,
    }
}

fn run_combination(drop_at: DropHandle, abort: Abort, panic_at: PanicAt) {
    let future_drops = DropCounter::new();
    let output_drops = DropCounter::new();
    let slot = WakerSlot::new();
    let combo = Combo {
        slot: slot.clone(),
        polls: 0,
        panic_at,
        output_drops: output_drops.clone(),
        _future_drop: future_drops.token(),
    };
    let runtime = rt();
    runtime.block_on(async {
        let mut handle = Some(clockwork::spawn(combo));
        let step = |at_abort: Abort, at_drop: DropHandle, handle: &mut Option<_>| {
            if abort == at_abort {
                handle.as_ref().map(clockwork::task::JoinHandle::abort);
            }
            if drop_at == at_drop {
                drop(handle.take());
            }
        };
        step(Abort::BeforeFirstPoll, DropHandle::BeforeFirstPoll, &mut handle);
        yield_now().await; // the task's first poll (unless aborted)
        step(Abort::WhilePending, DropHandle::WhilePending, &mut handle);
        slot.wake();
        yield_now().await; // the task's second poll
        yield_now().await;
        step(Abort::AfterComplete, DropHandle::AfterComplete, &mut handle);

        if let Some(handle) = handle {
            let result = handle.await;
            let what = match &result {
                Ok(_) => Expect::Output,
                Err(error) if error.is_cancelled() => Expect::Cancelled,
                Err(error) => {
                    assert!(error.is_panic());
                    Expect::Panic
                }
            };
            assert_eq!(what, expected(effective_abort(abort, drop_at), panic_at));
            // Dropping the output here may panic (PanicAt::OutputDrop): that panic is ours.
            let dropped = panic::catch_unwind(AssertUnwindSafe(move || drop(result)));
            assert_eq!(dropped.is_err(), what == Expect::Output && panic_at == PanicAt::OutputDrop);
        }
    });
    drop(runtime);
    let abort = effective_abort(abort, drop_at);
    assert_eq!(future_drops.count(), 1, "the future is dropped exactly once");
    let produced_output = expected(abort, panic_at) == Expect::Output
        || (panic_at == PanicAt::FutureDrop
            && !matches!(abort, Abort::BeforeFirstPoll | Abort::WhilePending));
    assert_eq!(
        output_drops.count(),
        usize::from(produced_output),
        "the output is dropped once if made"
    );
}

#[test]
fn all_combinations() {
    quiet_intentional_panics();
    let drops = [
        DropHandle::BeforeFirstPoll,
        DropHandle::WhilePending,
        DropHandle::AfterComplete,
        DropHandle::Never,
    ];
    let aborts = [Abort::No, Abort::BeforeFirstPoll, Abort::WhilePending, Abort::AfterComplete];
    let panics = [PanicAt::Nowhere, PanicAt::Poll, PanicAt::FutureDrop, PanicAt::OutputDrop];
    let mut ran = 0;
    for drop_at in drops {
        for abort in aborts {
            for panic_at in panics {
                let result = panic::catch_unwind(|| run_combination(drop_at, abort, panic_at));
                assert!(
                    result.is_ok(),
                    "combination failed: {drop_at:?} x {abort:?} x {panic_at:?}"
                );
                ran += 1;
            }
        }
    }
    assert_eq!(ran, 64);
}
