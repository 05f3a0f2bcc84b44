//! The `tracing` feature: the spans and events that console-subscriber reads, captured by a
//! `tracing-subscriber` layer and asserted as ordered logs (paused time, so every run is the
//! same).
//!
//! Each line of a log is one thing the layer saw: `new` (a span was created, with the fields
//! console-subscriber reads), `enter`, `exit`, `close`, or an `event` with its target. Spans are
//! named by what they stand for (`task:sleeper`, `block_on`, `Sleep`, `op:Sleep::new_timeout`,
//! `op.poll`), and a waker event's `task.id` (a span id) by the span it points at, so that a
//! waker event about the wrong span shows.

use std::collections::HashMap;
use std::fmt;
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::task;
use clockwork::time::sleep;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

#[test]
fn a_spawn_is_a_span_with_tokios_fields() {
    let (log, spans) = capture(|| {
        runtime().block_on(async {
            task::Builder::new().name("answer").spawn(async { 42 }).unwrap().await.unwrap()
        })
    });
    let spawn_line = line!() - 3;
    let task = spans.iter().find(|span| span.label == "task:answer").expect("a span for the task");
    assert_eq!(task.name, "runtime.spawn");
    assert_eq!(task.target, "clockwork::task");
    let fields: HashMap<&str, &str> =
        task.fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    assert_eq!(fields["kind"], "task");
    assert_eq!(fields["task.name"], "answer");
    assert!(fields["task.id"].parse::<u64>().is_ok(), "task.id is a number: {fields:?}");
    assert_eq!(fields["loc.file"], file!());
    assert_eq!(fields["loc.line"], spawn_line.to_string());
    // The column of `spawn`, where `#[track_caller]` points for a method call.
    assert_eq!(fields["loc.col"], "49");
    // The block_on future is a span of its own kind, which the console exempts from warnings.
    let block_on = spans.iter().find(|span| span.label == "block_on").expect("a block_on span");
    assert_eq!(block_on.name, "runtime.spawn");
    assert!(block_on.fields.iter().all(|(name, _)| name != "task.id"), "block_on is no task");
    // Every span was closed once the runtime was gone.
    for span in &spans {
        assert!(
            log.contains(&format!("close {}", span.label)),
            "{} was closed: {log:#?}",
            span.label
        );
    }
}

#[test]
fn a_poll_enters_the_span_and_a_timer_wakes_it() {
    let (log, _) = capture(|| {
        runtime().block_on(async {
            let sleeper = task::Builder::new()
                .name("sleeper")
                .spawn(async { sleep(Duration::from_millis(10)).await })
                .unwrap();
            sleeper.await.unwrap();
        })
    });
    // Only what concerns the tasks: the timer's own spans are the next test's subject.
    let log = without_timer_spans(&log);
    let expected = [
        // The block_on future runs in a span of kind block_on, and spawns the sleeper.
        "new block_on kind=block_on task.name=",
        "enter block_on",
        "new task:sleeper kind=task task.name=sleeper",
        "exit block_on",
        // First poll, inside the task's span. The sleep files a clone of the waker in the wheel.
        "enter task:sleeper",
        "event runtime::waker op=waker.clone task.id=task:sleeper",
        "exit task:sleeper",
        // The wheel fires the waker by value, outside any poll: a wake that is no self-wake.
        "event runtime::waker op=waker.wake task.id=task:sleeper",
        // Second poll: the sleep is over and the task completes; its span closes with it.
        "enter task:sleeper",
        "exit task:sleeper",
        "close task:sleeper",
        // The block_on future finds the JoinHandle ready (tracing's `Instrumented` enters the
        // span again to drop the future), and its span closes.
        "enter block_on",
        "exit block_on",
        "enter block_on",
        "exit block_on",
        "close block_on",
    ];
    assert_eq!(log, expected);
}

#[test]
fn a_sleep_is_a_timer_resource() {
    let (log, spans) = capture(|| {
        runtime().block_on(async {
            let sleeper = task::Builder::new()
                .name("sleeper")
                .spawn(async { sleep(Duration::from_millis(250)).await })
                .unwrap();
            sleeper.await.unwrap();
        })
    });
    let sleep_line = line!() - 5;
    let resource = spans.iter().find(|span| span.label == "Sleep").expect("a span for the sleep");
    assert_eq!(resource.name, "runtime.resource");
    let loc_line = sleep_line.to_string();
    let fields = [
        ("concrete_type", "Sleep"),
        ("kind", "timer"),
        ("loc.file", file!()),
        ("loc.line", loc_line.as_str()),
        ("loc.col", "32"),
    ];
    let fields = fields.map(|(name, value)| (name.to_string(), value.to_string()));
    assert_eq!(resource.fields, fields);

    // Only the sleeper's first poll, where the sleep is created, filed and found pending.
    let first_poll: Vec<&str> = log
        .iter()
        .map(String::as_str)
        .skip_while(|line| *line != "enter task:sleeper")
        .take_while(|line| *line != "exit task:sleeper")
        .collect();
    let expected = [
        "enter task:sleeper",
        // `sleep()` opens the resource, and inside it the operation that made it, and that
        // operation's poll span (console-subscriber files an operation under the resource
        // that is entered when it is created).
        "new Sleep concrete_type=Sleep kind=timer",
        "enter Sleep",
        "new op:Sleep::new_timeout source=Sleep::new_timeout",
        "enter op:Sleep::new_timeout",
        "new op.poll",
        "exit op:Sleep::new_timeout",
        "exit Sleep",
        // The poll enters all three, innermost last.
        "enter Sleep",
        "enter op:Sleep::new_timeout",
        "enter op.poll",
        // Filing the timer sets the resource's duration, in ms...
        "event runtime::resource::state_update duration=250 duration.unit=ms duration.op=override",
        "event runtime::waker op=waker.clone task.id=task:sleeper",
        // ...and the poll ends pending, which names the task that polls the timer.
        "event runtime::resource::poll_op op_name=poll_elapsed is_ready=false",
        "exit op.poll",
        "exit op:Sleep::new_timeout",
        "exit Sleep",
    ];
    assert_eq!(first_poll, expected);
    // The second poll finds the sleep over.
    assert!(
        log.contains(&"event runtime::resource::poll_op op_name=poll_elapsed is_ready=true".into())
    );
}

#[test]
fn a_wake_during_the_poll_is_inside_the_span() {
    let (log, _) = capture(|| {
        runtime().block_on(async {
            let yielder = task::Builder::new()
                .name("yielder")
                .spawn(async {
                    // Keeps a clone of its waker for one poll, then drops it.
                    let mut kept = None;
                    poll_fn(|cx| match kept.take() {
                        None => {
                            kept = Some(cx.waker().clone());
                            cx.waker().wake_by_ref();
                            Poll::Pending
                        }
                        Some(waker) => {
                            drop(waker);
                            Poll::Ready(())
                        }
                    })
                    .await;
                })
                .unwrap();
            yielder.await.unwrap();
        })
    });
    let log = without_timer_spans(&log);
    let polls: Vec<&str> = log
        .iter()
        .map(String::as_str)
        .skip_while(|line| *line != "enter task:yielder")
        .take_while(|line| *line != "close task:yielder")
        .collect();
    let expected = [
        "enter task:yielder",
        // Both happen while the task's span is entered: the console counts a self-wake.
        "event runtime::waker op=waker.clone task.id=task:yielder",
        "event runtime::waker op=waker.wake_by_ref task.id=task:yielder",
        "exit task:yielder",
        // Requeued by its own wake, the task runs again and drops the clone: no waker is left
        // behind, and the span closes with the task.
        "enter task:yielder",
        "event runtime::waker op=waker.drop task.id=task:yielder",
        "exit task:yielder",
    ];
    assert_eq!(polls, expected);
}

#[test]
fn an_aborted_task_closes_its_span_and_its_wakers_go_quiet() {
    let (log, _) = capture(|| {
        runtime().block_on(async {
            let (tx, rx) = std::sync::mpsc::channel();
            let stuck = task::Builder::new()
                .name("stuck")
                .spawn(poll_fn(move |cx| {
                    // Hands a clone of its waker out of the runtime, and never finishes.
                    let _ = tx.send(cx.waker().clone());
                    Poll::<()>::Pending
                }))
                .unwrap();
            task::yield_now().await;
            stuck.abort();
            let _ = stuck.await;
            // The task is gone: dropping the waker it handed out says nothing more about it.
            drop(rx.recv().unwrap());
        })
    });
    let log = without_timer_spans(&log);
    let about_stuck: Vec<&str> =
        log.iter().map(String::as_str).filter(|line| line.contains("stuck")).collect();
    let expected = [
        "new task:stuck kind=task task.name=stuck",
        "enter task:stuck",
        "event runtime::waker op=waker.clone task.id=task:stuck",
        "exit task:stuck",
        // The abort polls it once more, to cancel it, and the span closes.
        "enter task:stuck",
        "exit task:stuck",
        "close task:stuck",
    ];
    assert_eq!(about_stuck, expected);
}

// === The capturing layer ===

/// A current-thread runtime on paused time.
fn runtime() -> clockwork::runtime::Runtime {
    Builder::new_current_thread().enable_all().start_paused(true).build().unwrap()
}

/// Runs `f` with a subscriber that records everything into a log; returns the log and the
/// spans that were created.
fn capture<R>(f: impl FnOnce() -> R) -> (Vec<String>, Vec<SpanSeen>) {
    let layer = Capture::default();
    let seen = layer.seen.clone();
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, f);
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    (seen.log, seen.spans.into_values().collect())
}

/// The log without the lines about a sleep's own spans and events.
fn without_timer_spans(log: &[String]) -> Vec<String> {
    let is_timer = |line: &&String| {
        line.contains(" Sleep")
            || line.contains(" op:")
            || line.contains(" op.poll")
            || line.contains("runtime::resource")
    };
    log.iter().filter(|line| !is_timer(line)).cloned().collect()
}

/// One span, as the layer saw it created.
#[derive(Debug, Clone)]
struct SpanSeen {
    name: String,
    target: String,
    /// Its fields in the order they were recorded, values as text.
    fields: Vec<(String, String)>,
    /// How the log names it.
    label: String,
}

#[derive(Debug, Default)]
struct Seen {
    log: Vec<String>,
    spans: HashMap<u64, SpanSeen>,
}

/// A layer that writes one line per span change and event.
#[derive(Debug, Default, Clone)]
struct Capture {
    seen: Arc<Mutex<Seen>>,
}

impl Capture {
    fn label_of(&self, id: &Id) -> String {
        let seen = self.seen.lock().unwrap();
        seen.spans.get(&id.into_u64()).map_or_else(|| "?".into(), |span| span.label.clone())
    }

    fn push(&self, line: String) {
        self.seen.lock().unwrap().log.push(line);
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let fields = fields.0;
        let field = |name: &str| {
            fields.iter().find(|(field, _)| field == name).map_or("", |(_, value)| value.as_str())
        };
        let meta = attrs.metadata();
        let label = match (meta.name(), field("kind")) {
            ("runtime.spawn", "block_on") => "block_on".to_string(),
            ("runtime.spawn", _) => format!("task:{}", field("task.name")),
            ("runtime.resource", _) => field("concrete_type").to_string(),
            ("runtime.resource.async_op", _) => format!("op:{}", field("source")),
            ("runtime.resource.async_op.poll", _) => "op.poll".to_string(),
            (name, _) => name.to_string(),
        };
        // Locations and ids differ from run to run of the code; the tests check them apart.
        let shown: Vec<String> = fields
            .iter()
            .filter(|(name, _)| !name.starts_with("loc.") && name != "task.id")
            .map(|(name, value)| format!(" {name}={value}"))
            .collect();
        let span = SpanSeen {
            name: meta.name().into(),
            target: meta.target().into(),
            fields: fields.clone(),
            label: label.clone(),
        };
        self.seen.lock().unwrap().spans.insert(id.into_u64(), span);
        self.push(format!("new {label}{}", shown.concat()));
    }

    fn on_enter(&self, id: &Id, _: Context<'_, S>) {
        self.push(format!("enter {}", self.label_of(id)));
    }

    fn on_exit(&self, id: &Id, _: Context<'_, S>) {
        self.push(format!("exit {}", self.label_of(id)));
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        self.push(format!("close {}", self.label_of(&id)));
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = format!("event {}", event.metadata().target());
        for (name, value) in fields.0 {
            // A waker event names its task by the id of the task's span.
            let value = match (name.as_str(), value.parse::<u64>()) {
                ("task.id", Ok(span_id)) => self.label_of(&Id::from_u64(span_id)),
                _ => value,
            };
            line.push_str(&format!(" {name}={value}"));
        }
        self.push(line);
    }
}

/// Collects fields as text, in the order they are recorded.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().into(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().into(), value.into()));
    }
}
