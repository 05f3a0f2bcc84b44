//! Choosing and watching the next task: a seeded order (`runtime/order.rs`) and the step mode
//! (`step.rs`), behind one `Option` of the run loop, so that a runtime with neither pays one
//! check per poll.

use std::cell::RefCell;

use crate::runtime::core::{Config, Core};
use crate::runtime::order::SeededOrder;
use crate::task::raw::TaskRef;

use super::step::Stepper;

/// What a runtime does instead of plain FIFO, without watching: both parts are optional.
#[derive(Debug)]
pub(crate) struct Steer {
    /// `Some`: a seed picks the next task among the ready ones.
    order: Option<RefCell<SeededOrder>>,
    /// `Some`: stop before every poll and wait for a key.
    step: Option<Stepper>,
}

impl Steer {
    /// `None` unless the config asks for a seed or for stepping.
    pub(crate) fn new(config: &Config) -> Option<Box<Steer>> {
        let order = config.seed.map(|seed| RefCell::new(SeededOrder::new(seed)));
        let step = config.step.then(Stepper::new);
        (order.is_some() || step.is_some()).then(|| Box::new(Steer { order, step }))
    }

    /// Takes the next task out of the run queue: the oldest, or the seed's pick; in step mode,
    /// first shows it and waits for the user. Never inlined, to keep the run loop's own code
    /// as it was without it (callgrind: inlined, the plain FIFO loop cost more).
    #[inline(never)]
    pub(crate) fn next_task(&self, core: &Core) -> Option<TaskRef> {
        let task = match &self.order {
            None => core.run_queue.borrow_mut().pop_front(),
            Some(order) => order.borrow_mut().pop(&mut core.run_queue.borrow_mut()),
        }?;
        if let Some(step) = &self.step {
            step.before_poll(core, &task);
        }
        Some(task)
    }

    pub(crate) fn deviations(&self) -> Option<u32> {
        self.order.as_ref().map(|order| order.borrow().deviations())
    }

    pub(crate) fn block_on_started(&self) {
        if let Some(step) = &self.step {
            step.block_on_started();
        }
    }

    pub(crate) fn parking(&self) {
        if let Some(step) = &self.step {
            step.parking();
        }
    }
}
