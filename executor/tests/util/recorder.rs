//! Records a runtime's events through `Builder::on_event`, for the trace tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use clockwork::runtime::{Builder, Runtime};
use clockwork::task::Id;
use clockwork::trace::{Event, EventKind, Warning};

/// Every event of one runtime, in order.
#[derive(Clone, Default)]
pub struct Recorder {
    events: Arc<Mutex<Vec<Event>>>,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// A builder with paused time, warnings off, and this recorder listening.
    pub fn builder(&self) -> Builder {
        let events = self.events.clone();
        let mut builder = Builder::new_current_thread();
        builder.enable_all();
        builder
            .start_paused(true)
            .warnings(false)
            .on_event(move |event| events.lock().unwrap().push(event.clone()));
        builder
    }

    /// A runtime from [`Recorder::builder`].
    pub fn runtime(&self) -> Runtime {
        self.builder().build().unwrap()
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// The events as short lines without times, tasks called by their names (ids differ from
    /// run to run, because other tests spawn tasks in the same process).
    pub fn log(&self) -> Vec<String> {
        let events = self.events();
        let mut names: HashMap<Id, String> = HashMap::new();
        let mut lines = Vec::new();
        for event in &events {
            let name = |id: &Id| names.get(id).cloned().unwrap_or_else(|| format!("{id:?}"));
            let line = match &event.kind {
                EventKind::Spawn { task, name: task_name, .. } => {
                    let task_name = task_name.clone().unwrap_or_else(|| format!("{task:?}"));
                    names.insert(*task, task_name.clone());
                    format!("spawn {task_name}")
                }
                EventKind::PollStart { task, queue_len } => {
                    format!("start {} (queue {queue_len})", name(task))
                }
                EventKind::PollEnd { task, result, .. } => {
                    format!("poll {} -> {result:?}", name(task))
                }
                EventKind::BlockOnPoll { ready, .. } => format!("main -> ready={ready}"),
                EventKind::Wake { task, by, queued, .. } => {
                    let by = match by {
                        clockwork::trace::WokenBy::Task(id) => name(id),
                        other => other.to_string(),
                    };
                    format!("wake {} by {by} queued={queued}", name(task))
                }
                EventKind::Park { timeout, reason } => format!("park {reason:?} {timeout:?}"),
                EventKind::Unpark { io_events, timers_fired, .. } => {
                    format!("unpark io={io_events} timers={timers_fired}")
                }
                EventKind::TimerFired { count, clock_ms } => {
                    format!("timer {count} at {clock_ms}ms")
                }
                EventKind::IoReady { count } => format!("io {count}"),
                EventKind::Warning { task, warning, .. } => {
                    let about = task.as_ref().map_or("the block_on future".to_string(), name);
                    format!("warn {about} {warning:?}")
                }
                other => format!("{other:?}"),
            };
            lines.push(line);
        }
        lines
    }

    /// The warnings given, as (task name, warning).
    pub fn warnings(&self) -> Vec<(String, Warning)> {
        let log_names = self.names();
        self.events()
            .iter()
            .filter_map(|event| match &event.kind {
                EventKind::Warning { task, warning, .. } => {
                    // The block_on future is not a task: it has no name in the log.
                    let name = match task {
                        Some(task) => log_names.get(task).cloned().unwrap_or_default(),
                        None => "the block_on future".to_string(),
                    };
                    Some((name, *warning))
                }
                _ => None,
            })
            .collect()
    }

    fn names(&self) -> HashMap<Id, String> {
        self.events()
            .iter()
            .filter_map(|event| match &event.kind {
                EventKind::Spawn { task, name, .. } => Some((*task, name.clone()?)),
                _ => None,
            })
            .collect()
    }
}
