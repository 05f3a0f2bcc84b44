//! Every live task of a runtime, so that shutdown can reach (and drop) them all.
//!
//! A task that waits on a timer or a socket is referenced only by a waker stored somewhere
//! else; without this table, dropping the runtime could not find it. The table is a slab: a
//! `Vec` of slots and a free list, so insert and remove are O(1) and allocate only when the
//! vector grows. Each task remembers its slot index in its header.

use std::mem;
use std::sync::atomic::Ordering;

use crate::task::raw::TaskRef;

/// The live tasks of one runtime, indexed by slot.
#[derive(Debug, Default)]
pub(crate) struct TaskTable {
    slots: Vec<Option<TaskRef>>,
    free: Vec<usize>,
    len: usize,
}

impl TaskTable {
    /// Files `task` in a free slot.
    pub(crate) fn insert(&mut self, task: TaskRef) {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        task.header().table_index.store(index, Ordering::Relaxed);
        debug_assert!(self.slots[index].is_none(), "a free slot holds no task");
        self.slots[index] = Some(task);
        self.len += 1;
    }

    /// Takes `task` out of the table. The caller drops the returned reference *after* releasing
    /// its borrow of the table, because freeing a task can run arbitrary `Drop` code.
    pub(crate) fn remove(&mut self, task: &TaskRef) -> Option<TaskRef> {
        let index = task.header().table_index.load(Ordering::Relaxed);
        let removed = self.slots.get_mut(index)?.take()?;
        self.free.push(index);
        self.len -= 1;
        Some(removed)
    }

    /// Empties the table, returning every task in it.
    pub(crate) fn take_all(&mut self) -> Vec<TaskRef> {
        self.free.clear();
        self.len = 0;
        mem::take(&mut self.slots).into_iter().flatten().collect()
    }

    /// The live tasks, in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &TaskRef> {
        self.slots.iter().flatten()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}
