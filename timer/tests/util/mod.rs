//! Helpers shared by the wheel's integration tests: wakers that say who they are when woken.

// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

/// A shared log of the ids of woken wakers, in the order they were woken.
#[derive(Debug, Default, Clone)]
pub struct WakeLog {
    ids: Arc<Mutex<Vec<u64>>>,
}

impl WakeLog {
    /// A waker that appends `id` to this log when woken.
    pub fn waker(&self, id: u64) -> Waker {
        let tagged = TaggedWaker { id, log: self.clone() };
        Waker::from(Arc::new(tagged))
    }

    /// Takes the ids woken so far, leaving the log empty.
    pub fn take(&self) -> Vec<u64> {
        let mut ids = self.ids.lock().expect("no test panics while holding the log");
        std::mem::take(&mut *ids)
    }
}

#[derive(Debug)]
struct TaggedWaker {
    id: u64,
    log: WakeLog,
}

impl Wake for TaggedWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut ids = self.log.ids.lock().expect("no test panics while holding the log");
        ids.push(self.id);
    }
}

/// Wakes every waker in `fired`, emptying it: what the executor does after the wheel's borrow ends.
pub fn wake_all(fired: &mut Vec<Waker>) {
    fired.drain(..).for_each(Waker::wake);
}
