//! Every live task of a runtime, so that shutdown can reach (and drop) them all.
//!
//! A task that waits on a timer or a socket is referenced only by a waker stored somewhere
//! else; without this table, dropping the runtime could not find it. The table is the
//! workspace's one slab (`clockwork-slab`), so insert and remove are O(1) and allocate only when
//! the slab grows. Each task remembers its key in its header.

use std::sync::atomic::Ordering;

use clockwork_slab::{Key, Slab};

use crate::task::raw::TaskRef;

/// The live tasks of one runtime.
#[derive(Debug, Default)]
pub(crate) struct TaskTable {
    slab: Slab<TaskRef>,
}

impl TaskTable {
    /// Files `task`, and notes its key in its header.
    pub(crate) fn insert(&mut self, task: TaskRef) {
        let key = self.slab.insert(task);
        let task = self.slab.get(key).expect("a value is found under the key its insert gave");
        task.header().stats.table_key.store(key.to_u64(), Ordering::Relaxed);
    }

    /// Takes `task` out of the table. The caller drops the returned reference *after* releasing
    /// its borrow of the table, because freeing a task can run arbitrary `Drop` code.
    pub(crate) fn remove(&mut self, task: &TaskRef) -> Option<TaskRef> {
        let key = Key::from_u64(task.header().stats.table_key.load(Ordering::Relaxed));
        self.slab.remove(key)
    }

    /// Empties the table, returning every task in it.
    pub(crate) fn take_all(&mut self) -> Vec<TaskRef> {
        self.slab.take_all()
    }

    /// The live tasks, in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &TaskRef> {
        self.slab.iter().map(|(_, task)| task)
    }

    pub(crate) fn len(&self) -> usize {
        self.slab.len()
    }
}
