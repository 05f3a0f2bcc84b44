//! Which ready task runs next: first come, first served, or an order chosen by a seed.
//!
//! The run queue is FIFO: the task woken first is polled first. That is one order among many,
//! and a bug may hide in another. Between two `.await`s a task runs alone, but which task runs
//! after an `.await` is the runtime's choice; a program that is only correct in FIFO order has
//! a bug that another runtime (or tokio, with its LIFO slot) may show. A seeded order makes
//! that choice differently, and the same way every time for the same seed:
//!
//! - [`Builder::rng_seed`] picks every next task at random among the ready ones;
//! - [`explore`] runs a test under many seeds, each allowing only a few *deviations* from FIFO
//!   (a decision where a task other than the oldest ready one runs), fewest first, so that the
//!   failing order it reports is as close to FIFO as it could find.
//!
//! A seed is one `u64`: its top byte is the number of deviations allowed (0 for no limit: every
//! choice is random), the rest feeds the generator. With paused time and no real I/O, a seed
//! fixes the whole run: the same seed gives the same polls in the same order.
//!
//! [`Builder::rng_seed`]: crate::runtime::Builder::rng_seed
//! [`explore`]: fn@crate::runtime::explore

use std::collections::VecDeque;

/// Bits of a seed below the deviation limit.
const LIMIT_SHIFT: u32 = 56;

/// The chance that a bounded order deviates at a decision, as one in this many: rare enough
/// that a few deviations spread over a run instead of all landing on its first decisions.
const ONE_DEVIATION_IN: u64 = 8;

/// A seeded order: a small generator, and how many deviations are still allowed.
#[derive(Debug, Clone)]
pub(crate) struct SeededOrder {
    state: u64,
    /// `None`: no limit; every pick is random.
    deviations_left: Option<u8>,
    /// Decisions so far where a task other than the oldest ready one was picked.
    deviations: u32,
}

impl SeededOrder {
    pub(crate) fn new(seed: u64) -> SeededOrder {
        let limit = (seed >> LIMIT_SHIFT) as u8;
        let deviations_left = (limit > 0).then_some(limit);
        // The generator must not start at zero (xorshift would stay there): mix the seed first.
        let state = splitmix(seed) | 1;
        // `select!` picks its first branch with a generator of its own: seed it too.
        crate::macros::support::seed_random_start(state);
        SeededOrder { state, deviations_left, deviations: 0 }
    }

    /// The seed for `runs`'th run of an exploration allowing `limit` deviations (0: no limit).
    pub(crate) fn seed_for(run: u64, limit: u8) -> u64 {
        (u64::from(limit) << LIMIT_SHIFT) | (splitmix(run) >> (64 - LIMIT_SHIFT))
    }

    /// The deviation limit a seed carries (0: none).
    pub(crate) fn limit_of(seed: u64) -> u8 {
        (seed >> LIMIT_SHIFT) as u8
    }

    /// How many times this order has left FIFO so far.
    pub(crate) fn deviations(&self) -> u32 {
        self.deviations
    }

    /// Takes the next task to poll out of `queue`.
    pub(crate) fn pop<T>(&mut self, queue: &mut VecDeque<T>) -> Option<T> {
        let len = queue.len() as u64;
        if len < 2 {
            return queue.pop_front();
        }
        let index = match self.deviations_left {
            None => self.next() % len,
            Some(0) => 0,
            Some(left) => {
                if self.next() % ONE_DEVIATION_IN == 0 {
                    self.deviations_left = Some(left - 1);
                    1 + self.next() % (len - 1)
                } else {
                    0
                }
            }
        };
        if index != 0 {
            self.deviations += 1;
        }
        queue.remove(index as usize)
    }

    /// Marsaglia's xorshift64: small, fast, and the same everywhere.
    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }
}

/// Spreads the bits of `x` (splitmix64's finaliser), so that nearby seeds start far apart.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order_of(seed: u64, tasks: u32) -> Vec<u32> {
        let mut order = SeededOrder::new(seed);
        let mut queue: VecDeque<u32> = (0..tasks).collect();
        std::iter::from_fn(|| order.pop(&mut queue)).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_order_and_others_differ() {
        assert_eq!(order_of(7, 20), order_of(7, 20));
        let orders: std::collections::HashSet<Vec<u32>> =
            (0..20).map(|s| order_of(s, 20)).collect();
        assert!(orders.len() > 15, "twenty seeds, only {} orders", orders.len());
    }

    #[test]
    fn a_bounded_seed_deviates_at_most_its_limit() {
        for run in 0..200 {
            let seed = SeededOrder::seed_for(run, 2);
            assert_eq!(SeededOrder::limit_of(seed), 2);
            let mut order = SeededOrder::new(seed);
            let mut queue: VecDeque<u32> = (0..50).collect();
            while order.pop(&mut queue).is_some() {}
            assert!(order.deviations() <= 2, "seed {seed:#x}: {} deviations", order.deviations());
        }
    }

    #[test]
    fn some_bounded_seeds_deviate_and_a_limit_of_zero_is_random() {
        let deviating = (0..100)
            .filter(|&run| {
                let mut order = SeededOrder::new(SeededOrder::seed_for(run, 1));
                let mut queue: VecDeque<u32> = (0..30).collect();
                while order.pop(&mut queue).is_some() {}
                order.deviations() == 1
            })
            .count();
        assert!(deviating > 50, "only {deviating} of 100 seeds deviated");
        assert_ne!(order_of(SeededOrder::seed_for(3, 0), 30), (0..30).collect::<Vec<_>>());
    }
}
