//! Every live task of a runtime, so that shutdown can reach (and drop) them all.
//!
//! A task that waits on a timer or a socket is referenced only by a waker stored somewhere
//! else; without this table, dropping the runtime could not find it. The table is the
//! workspace's one slab (`clockwork-slab`), so insert and remove are O(1) and allocate only when
//! the slab grows. Each task remembers its index in its header; the tracer uses the same index
//! for the times it keeps per task.

use std::sync::atomic::Ordering;

use clockwork_slab::Slab;

use crate::task::raw::TaskRef;

/// The live tasks of one runtime.
#[derive(Debug, Default)]
pub(crate) struct TaskTable {
    slab: Slab<TaskRef>,
}

impl TaskTable {
    /// Files `task`, and notes its index in its header.
    pub(crate) fn insert(&mut self, task: TaskRef) {
        let key = self.slab.insert(task);
        let task = self.slab.get(key).expect("a value is found under the key its insert gave");
        task.header().stats.table_index.store(key.index(), Ordering::Relaxed);
    }

    /// Takes `task` out of the table. The caller drops the returned reference *after* releasing
    /// its borrow of the table, because freeing a task can run arbitrary `Drop` code.
    pub(crate) fn remove(&mut self, task: &TaskRef) -> Option<TaskRef> {
        let index = task.header().stats.table_index.load(Ordering::Relaxed);
        // The index is the task's own while it is in the table; after `take_all` (shutdown) the
        // entry may be vacant or hold another task, and then there is nothing to remove.
        let filed = self.slab.key_at(index).and_then(|key| self.slab.get(key));
        if !filed.is_some_and(|filed| filed.same_task(task)) {
            return None;
        }
        Some(self.slab.remove_at(index))
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
