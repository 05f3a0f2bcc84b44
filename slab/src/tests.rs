//! The slab against a model: a `HashMap` from live keys to values, plus the set of keys that
//! went stale. Every operation must agree with the model, and no stale key may ever match again.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::{Key, Slab};

#[derive(Debug, Clone)]
enum Op {
    Insert(u32),
    /// Removes the n-th live key (modulo how many there are).
    Remove(usize),
    /// Tries a stale key, if there is one.
    TryStale(usize),
    TakeAll,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<u32>().prop_map(Op::Insert),
        3 => any::<usize>().prop_map(Op::Remove),
        2 => any::<usize>().prop_map(Op::TryStale),
        1 => Just(Op::TakeAll),
    ]
}

proptest! {
    #[test]
    fn agrees_with_a_map(ops in proptest::collection::vec(op(), 1..200)) {
        let mut slab = Slab::new();
        let mut live: HashMap<Key, u32> = HashMap::new();
        let mut stale: HashSet<Key> = HashSet::new();
        for op in ops {
            match op {
                Op::Insert(value) => {
                    let key = slab.insert(value);
                    prop_assert!(!stale.contains(&key), "a new key never equals a stale one");
                    prop_assert!(live.insert(key, value).is_none());
                }
                Op::Remove(n) if !live.is_empty() => {
                    let mut keys: Vec<Key> = live.keys().copied().collect();
                    keys.sort_by_key(|key| key.to_u64());
                    let key = keys[n % keys.len()];
                    prop_assert_eq!(slab.remove(key), live.remove(&key));
                    stale.insert(key);
                }
                Op::Remove(_) => {}
                Op::TryStale(n) if !stale.is_empty() => {
                    let mut keys: Vec<Key> = stale.iter().copied().collect();
                    keys.sort_by_key(|key| key.to_u64());
                    let key = keys[n % keys.len()];
                    prop_assert_eq!(slab.get(key), None);
                    prop_assert_eq!(slab.remove(key), None);
                }
                Op::TryStale(_) => {}
                Op::TakeAll => {
                    let mut taken = slab.take_all();
                    let mut expected: Vec<u32> = live.values().copied().collect();
                    taken.sort_unstable();
                    expected.sort_unstable();
                    prop_assert_eq!(taken, expected);
                    stale.extend(live.drain().map(|(key, _)| key));
                }
            }
            prop_assert_eq!(slab.len(), live.len());
            for (key, value) in &live {
                prop_assert_eq!(slab.get(*key), Some(value));
            }
        }
    }
}

#[test]
fn the_last_vacated_entry_is_reused_first() {
    let mut slab = Slab::new();
    let a = slab.insert('a');
    let b = slab.insert('b');
    slab.remove(a);
    slab.remove(b);
    assert_eq!(slab.insert('c').index(), b.index(), "b was vacated last");
    assert_eq!(slab.insert('d').index(), a.index());
    assert_eq!(slab.insert('e').index(), 2, "no vacant entry left: the Vec grows");
}

#[test]
fn keys_pack_into_a_u64_and_back() {
    let mut slab = Slab::new();
    for _ in 0..3 {
        let key = slab.insert(());
        slab.remove(key);
    }
    let key = slab.insert(());
    assert_eq!(key.generation(), 3);
    assert_eq!(Key::from_u64(key.to_u64()), key);
}

#[test]
#[should_panic(expected = "a linked slab entry is occupied")]
fn at_a_vacant_entry_panics() {
    let mut slab = Slab::new();
    let key = slab.insert(1);
    slab.remove(key);
    slab.at(key.index());
}

#[test]
fn an_entry_costs_its_value_plus_eight_bytes() {
    // A task reference is one pointer, with a niche for `None`: the entry is 8 + 8 bytes.
    assert_eq!(std::mem::size_of::<super::Entry<std::ptr::NonNull<u8>>>(), 16);
}
