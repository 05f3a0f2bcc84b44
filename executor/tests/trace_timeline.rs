//! The Chrome trace-event timeline: it parses, every poll slice sits on a named task track,
//! every flow arrow has both ends, and it is written even when the program panicked.

mod util;

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Duration;

use clockwork::runtime::Builder;
use clockwork::task;
use clockwork::time::sleep;
use serde_json::Value;

/// A path in the temp folder that no other test uses.
fn temp_path(test: &str) -> PathBuf {
    std::env::temp_dir().join(format!("clockwork-{test}-{}.json", std::process::id()))
}

/// Reads and parses the timeline, then removes the file.
fn read_timeline(path: &PathBuf) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("the timeline was written");
    let _ = std::fs::remove_file(path);
    let json: Value = serde_json::from_str(&text).expect("the timeline is valid JSON");
    json.as_array().expect("a JSON array of trace events").clone()
}

fn field<'a>(event: &'a Value, name: &str) -> &'a Value {
    &event[name]
}

/// Checks the shape every timeline must have; returns (poll slices, flows).
fn check_timeline(events: &[Value]) -> (usize, usize) {
    // Every track that has a name.
    let named_tracks: HashSet<u64> = events
        .iter()
        .filter(|e| field(e, "ph") == "M" && field(e, "name") == "thread_name")
        .map(|e| field(e, "tid").as_u64().unwrap())
        .collect();
    // Every poll slice sits on a named track.
    let polls: Vec<&Value> =
        events.iter().filter(|e| field(e, "ph") == "X" && field(e, "name") == "poll").collect();
    for poll in &polls {
        let tid = field(poll, "tid").as_u64().unwrap();
        assert!(named_tracks.contains(&tid), "poll slice on an unnamed track: {poll}");
        assert!(field(poll, "dur").as_f64().unwrap() >= 0.0);
    }
    // Every flow has exactly one start and one end.
    let mut flows: HashMap<u64, (usize, usize)> = HashMap::new();
    for event in events {
        let ends = flows.entry(field(event, "id").as_u64().unwrap_or(0)).or_default();
        match field(event, "ph").as_str() {
            Some("s") => ends.0 += 1,
            Some("f") => ends.1 += 1,
            _ => {}
        }
    }
    flows.remove(&0);
    for (id, ends) in &flows {
        assert_eq!(*ends, (1, 1), "flow {id} has one start and one end");
    }
    (polls.len(), flows.len())
}

#[test]
fn the_timeline_has_tracks_slices_and_flows() {
    let path = temp_path("timeline");
    let runtime = Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .warnings(false)
        .trace_path(&path)
        .build()
        .unwrap();
    runtime.block_on(async {
        let sleeper = task::Builder::new()
            .name("sleeper \"quoted\"")
            .spawn(async { sleep(Duration::from_millis(100)).await })
            .unwrap();
        let yielder = task::spawn(async { task::yield_now().await });
        sleeper.await.unwrap();
        yielder.await.unwrap();
    });
    drop(runtime);

    let events = read_timeline(&path);
    let (polls, flows) = check_timeline(&events);
    // The sleeper is polled twice, the yielder twice.
    assert_eq!(polls, 4);
    // The timer's wake of the sleeper and the yielder's self-wake each caused a poll.
    assert_eq!(flows, 2);
    let names: Vec<&str> = events
        .iter()
        .filter(|e| field(e, "name") == "thread_name")
        .map(|e| e["args"]["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.contains("sleeper \"quoted\" (")), "{names:?}");
    let parks = events.iter().filter(|e| field(e, "name") == "park").count();
    assert!(parks >= 1, "the runtime track has park slices");
    assert!(events.iter().any(|e| field(e, "name") == "timers fired" && field(e, "ph") == "i"));
}

#[test]
fn the_timeline_is_written_when_block_on_panics() {
    util::quiet_intentional_panics();
    let path = temp_path("panic");
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .warnings(false)
            .trace_path(&path)
            .build()
            .unwrap();
        runtime.block_on(async {
            let crasher = task::spawn(async { panic!("intentional panic in a task") });
            assert!(crasher.await.unwrap_err().is_panic());
            panic!("intentional panic in block_on");
        })
    }));
    assert!(result.is_err());

    let events = read_timeline(&path);
    check_timeline(&events);
    let panicked = events.iter().any(|e| e["args"]["result"] == "Panicked");
    assert!(panicked, "the task's panic is on the timeline");
}
