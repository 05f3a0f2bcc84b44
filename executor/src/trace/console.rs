//! tokio's instrumentation, so that tokio-console can watch a Clockwork program.
//!
//! Compiled only with the `tracing` feature. tokio-console does not talk to a runtime: it talks
//! to `console-subscriber`, a `tracing` layer that turns spans and events of an agreed shape into
//! its task list. This file emits that shape. Its specification is console-subscriber's source
//! (`lib.rs`, `ConsoleLayer::register_callsite` and `on_event`; `visitors.rs`, which names every
//! field it reads), and the reference is what tokio emits under `--cfg tokio_unstable`:
//!
//! ```text
//!   what it is            what console-subscriber gets                  who emits it
//!   a task                span "runtime.spawn": kind, task.name,         TaskSpans::spawned
//!                         task.id, loc.file, loc.line, loc.col           (from Tracer::spawned)
//!   one poll of it        that span, entered, then exited                TaskSpans::poll_*
//!                                                                        (from Tracer::poll_*)
//!   one of its wakers     event, target "runtime::waker": op =           waker_op (from
//!                         "waker.clone" | "waker.wake" |                 Schedule::waker_op,
//!                         "waker.wake_by_ref" | "waker.drop",            for Arc<Shared>)
//!                         task.id = the id of the task's span
//!   the block_on future   span "runtime.spawn", kind = "block_on"        block_on
//!                                                                        (Runtime::block_on)
//!   a Sleep               span "runtime.resource": concrete_type =       TimerSpans::new
//!                         "Sleep", kind = "timer", loc.*                 (sleep, sleep_until)
//!   what made the Sleep   span "runtime.resource.async_op", inside it:   TimerSpans::new, reset
//!                         source = "Sleep::new_timeout" | "Sleep::reset"
//!   its polls             span "runtime.resource.async_op.poll"; the     TimerSpans::enter
//!                         three entered around each poll; event          (Sleep::poll)
//!                         "runtime::resource::poll_op": op_name =
//!                         "poll_elapsed", is_ready
//!   its duration          event "runtime::resource::state_update":       TimerSpans::filed
//!                         duration (ms), duration.unit = "ms",
//!                         duration.op = "override"
//! ```
//!
//! The console works out everything else itself. A wake is a *self-wake* when the woken task's
//! span is entered on the thread that wakes it (the run loop enters it around each poll). A task
//! has *lost its waker* when its wakers' clones minus drops (a `waker.wake` counts as a drop: it
//! consumes the waker) reach zero while it is neither running, woken nor finished. It *never
//! yielded* when its first poll has run for a second. That is why every clone and drop must be
//! reported, from whatever thread it happens on: the count would drift otherwise.
//!
//! Who calls what keeps the one-way layout (ARCHITECTURE.md): the run loop's `Tracer` creates,
//! enters and closes the task spans; the task cell only tells its scheduler what its wakers do
//! (`Schedule::waker_op`), and the runtime's scheduler calls [`waker_op`] here. The span of a
//! task is kept here, by the task's index in the task table, and only its id (a number) in the
//! task's header, where a waker on any thread can read it.

use std::cell::RefCell;
use std::future::Future;
use std::panic::Location;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tracing::instrument::{Instrument, Instrumented};
use tracing::{Dispatch, Id, Span};

use crate::task::raw::Header;
use crate::task::stats::WakerOp;

/// The `runtime.spawn` spans of one runtime's live tasks, by index in the task table. Only the
/// runtime thread touches them.
#[derive(Debug, Default)]
pub(crate) struct TaskSpans {
    spans: RefCell<Vec<Option<Span>>>,
}

impl TaskSpans {
    /// A task was spawned: opens its span, and notes the span's id in the task's header.
    pub(crate) fn spawned(&self, header: &Header) {
        let meta = &header.meta;
        let span = tracing::trace_span!(
            target: "clockwork::task",
            parent: None,
            "runtime.spawn",
            kind = %"task",
            task.name = %meta.name().unwrap_or_default(),
            task.id = meta.id.as_u64(),
            loc.file = meta.location.file(),
            loc.line = meta.location.line(),
            loc.col = meta.location.column(),
        );
        // Without a subscriber that wants it, the span is disabled and has no id: nothing to keep.
        let Some(id) = span.id() else { return };
        header.stats.span_id.store(id.into_u64(), Ordering::Relaxed);
        let index = index_of(header);
        let previous = {
            let mut spans = self.spans.borrow_mut();
            if spans.len() <= index {
                spans.resize(index + 1, None);
            }
            spans[index].replace(span)
        };
        // The index may have held a task that ended at shutdown: its span closes now, after the
        // borrow (closing a span runs the subscriber's code).
        drop(previous);
    }

    /// Before a poll: enters the task's span, so that the console times the poll, and so that a
    /// wake during it counts as a self-wake.
    #[inline]
    pub(crate) fn poll_started(&self, header: &Header) {
        // A task without a span (nobody listened when it was spawned) costs one load.
        if !has_span(header) {
            return;
        }
        if let Some((id, dispatch)) = self.subscriber_of(header) {
            dispatch.enter(&id);
        }
    }

    /// After a poll: exits the span; when the task completed, closes it too.
    #[inline]
    pub(crate) fn poll_ended(&self, header: &Header, completed: bool) {
        if !has_span(header) {
            return;
        }
        if let Some((id, dispatch)) = self.subscriber_of(header) {
            dispatch.exit(&id);
        }
        if completed {
            self.close(header);
        }
    }

    /// The task completed, or the runtime shuts down and is about to drop it: its span closes.
    /// (A task spawned during the shutdown is cancelled before it is filed, so it never gets one.)
    pub(crate) fn close(&self, header: &Header) {
        let span = self.spans.borrow_mut().get_mut(index_of(header)).and_then(Option::take);
        // Forget the id first: a subscriber may give a closed span's id to a new span, and this
        // task's waker events must not be counted on that one. Dropping the last handle to the
        // span closes it in the subscriber.
        header.stats.span_id.store(0, Ordering::Relaxed);
        drop(span);
    }

    /// The id of the task's span and its subscriber, taken out of the table so that no borrow
    /// of it is held while the subscriber's code runs.
    fn subscriber_of(&self, header: &Header) -> Option<(Id, Dispatch)> {
        let spans = self.spans.borrow();
        let span = spans.get(index_of(header))?.as_ref()?;
        span.with_subscriber(|(id, dispatch)| (id.clone(), dispatch.clone()))
    }
}

/// True when the task has a span: its id is noted in the header from the spawn until the span
/// closes, and is 0 otherwise.
#[inline]
fn has_span(header: &Header) -> bool {
    header.stats.span_id.load(Ordering::Relaxed) != 0
}

/// The task's index in the task table, which is where its span is kept.
fn index_of(header: &Header) -> usize {
    header.stats.table_index.load(Ordering::Relaxed) as usize
}

/// A waker of `header`'s task was cloned, woken or dropped, on any thread: one
/// `runtime::waker` event, about the task's span.
#[inline]
pub(crate) fn waker_op(header: &Header, op: WakerOp) {
    let span_id = header.stats.span_id.load(Ordering::Relaxed);
    if span_id == 0 {
        return;
    }
    let op = match op {
        WakerOp::Clone => "waker.clone",
        WakerOp::Wake => "waker.wake",
        WakerOp::WakeByRef => "waker.wake_by_ref",
        WakerOp::Drop => "waker.drop",
    };
    tracing::trace!(target: "runtime::waker", op, task.id = span_id);
}

/// The `block_on` future, inside a `runtime.spawn` span of kind `block_on` that `tracing`'s own
/// `Instrumented` enters around each poll. It is no task of the runtime, so it has no task id;
/// the console exempts this kind from its warnings (its waker is the runtime's, not a task's).
pub(crate) fn block_on<F: Future>(future: F, location: &Location<'_>) -> Instrumented<F> {
    let span = tracing::trace_span!(
        target: "clockwork::runtime",
        parent: None,
        "runtime.spawn",
        kind = %"block_on",
        task.name = %"",
        loc.file = location.file(),
        loc.line = location.line(),
        loc.col = location.column(),
    );
    future.instrument(span)
}

/// The spans of one `Sleep`: the timer as a resource, the operation that created it (an
/// "async op" in the console's words), and that operation's polls.
#[derive(Debug)]
pub(crate) struct TimerSpans {
    resource: Span,
    async_op: Span,
    async_op_poll: Span,
}

impl TimerSpans {
    /// Opens the spans of a `Sleep` created at the caller's location.
    #[track_caller]
    pub(crate) fn new() -> TimerSpans {
        let location = Location::caller();
        let resource = tracing::trace_span!(
            target: "clockwork::time",
            parent: None,
            "runtime.resource",
            concrete_type = "Sleep",
            kind = "timer",
            loc.file = location.file(),
            loc.line = location.line(),
            loc.col = location.column(),
        );
        // The console files an async op under the resource span that is *entered* when the op's
        // span is created (not under its parent), so the resource is entered here.
        let (async_op, async_op_poll) = resource.in_scope(|| {
            let async_op = tracing::trace_span!(
                target: "clockwork::time",
                "runtime.resource.async_op",
                source = "Sleep::new_timeout",
            );
            let poll = async_op.in_scope(|| {
                tracing::trace_span!(target: "clockwork::time", "runtime.resource.async_op.poll")
            });
            (async_op, poll)
        });
        TimerSpans { resource, async_op, async_op_poll }
    }

    /// The `Sleep` was reset to fire after `duration`: a new operation, `Sleep::reset`, in the
    /// same resource, as in tokio.
    pub(crate) fn reset(&mut self, duration: Duration) {
        let _resource = self.resource.enter();
        self.async_op = tracing::trace_span!(
            target: "clockwork::time",
            "runtime.resource.async_op",
            source = "Sleep::reset",
        );
        let _async_op = self.async_op.enter();
        self.async_op_poll =
            tracing::trace_span!(target: "clockwork::time", "runtime.resource.async_op.poll");
        self.filed(duration);
    }

    /// Enters the three spans for one poll of the `Sleep`; they are exited when the guard drops.
    pub(crate) fn enter(&self) -> Entered {
        Entered { spans: [&self.resource, &self.async_op, &self.async_op_poll].map(enter) }
    }

    /// The timer was filed (or moved) to fire after `duration`: the resource's `duration`
    /// attribute, which the console shows in its resource list. Called with the resource span
    /// entered.
    pub(crate) fn filed(&self, duration: Duration) {
        // Whole milliseconds, rounded up as tokio's ticks are: a 100 ms sleep filed a few
        // microseconds after it was made still shows 100 ms.
        let duration_ms = duration.as_micros().div_ceil(1000) as u64;
        tracing::trace!(
            target: "runtime::resource::state_update",
            duration = duration_ms,
            duration.unit = "ms",
            duration.op = "override",
        );
    }
}

/// The spans of one poll of a `Sleep`, entered by hand and exited, innermost first, on drop.
///
/// Each is kept as its id and subscriber rather than as a borrowed guard, so that the `Sleep`
/// stays free to be borrowed mutably while its spans are entered.
#[derive(Debug)]
pub(crate) struct Entered {
    spans: [Option<(Id, Dispatch)>; 3],
}

impl Entered {
    /// The poll ends `ready` or not: tokio's `runtime::resource::poll_op` event, which tells
    /// the console which task polls this timer.
    pub(crate) fn polled(&self, ready: bool) {
        tracing::trace!(
            target: "runtime::resource::poll_op",
            op_name = "poll_elapsed",
            is_ready = ready,
        );
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        for (id, dispatch) in self.spans.iter().rev().flatten() {
            dispatch.exit(id);
        }
    }
}

/// Enters `span` in its subscriber, returning what is needed to exit it.
fn enter(span: &Span) -> Option<(Id, Dispatch)> {
    span.with_subscriber(|(id, dispatch)| {
        dispatch.enter(id);
        (id.clone(), dispatch.clone())
    })
}
