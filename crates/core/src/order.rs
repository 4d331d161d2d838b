//! The module's sorts and ordered collections. Each `sort_by` with a closure of its own,
//! each element type sorted and each `collect` into a `BTreeMap` or `BTreeSet` (which
//! sorts its items first) is a copy of the standard library's sort in the WebAssembly
//! module (about 3.5 KB each, measured with `scripts/wasm-size.mjs`), so every sort of
//! the engine, the API and the report goes through [`indices_by`]: one copy.

use crate::survival::natural_order;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts indices stably by `compare` of the items they name: the one sort of the module.
pub fn indices_by(indices: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    indices.sort_by(|&a, &b| compare(a, b));
}

/// Sorts items stably by `compare`, through their indices ([`indices_by`]); the same
/// order as `items.sort_by(compare)` (and as `sort_unstable_by` wherever equal items
/// are indistinguishable, as numbers and strings are).
pub fn sort_by<T: Clone>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    indices_by(&mut order, &|a, b| compare(&items[a], &items[b]));
    let sorted: Vec<T> = order.iter().map(|&i| items[i].clone()).collect();
    items.clone_from_slice(&sorted);
}

/// Sorts row indices by `time[row]`, stably: tied rows keep their order.
pub fn rows_by_time(rows: &mut [usize], time: &[f64]) {
    indices_by(rows, &|a, b| time[a].total_cmp(&time[b]));
}

/// Sorts labels in their natural order ([`natural_order`]), stably.
pub fn labels_naturally(labels: &mut [&str]) {
    sort_by(labels, |a, b| natural_order(a, b));
}

/// A map of the pairs, inserted one by one (a later pair replaces an earlier one with
/// the same key, as `collect` does), without `collect`'s sort.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// A set of the items, inserted one by one, without `collect`'s sort.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tied_times_keep_their_row_order() {
        let time = [3.0, 1.0, 3.0, 1.0, 2.0];
        let mut rows = vec![0, 1, 2, 3, 4];
        rows_by_time(&mut rows, &time);
        assert_eq!(rows, vec![1, 3, 4, 0, 2]);
    }

    #[test]
    fn numeric_labels_sort_as_numbers() {
        let mut labels = vec!["10", "b", "2", "a"];
        labels_naturally(&mut labels);
        assert_eq!(labels, vec!["2", "10", "a", "b"]);
    }

    #[test]
    fn sorting_through_indices_is_the_standard_stable_sort() {
        // Ties on the first element keep their order, as with `sort_by`.
        let pairs = [
            (2.0, 'a'),
            (1.0, 'b'),
            (2.0, 'c'),
            (-0.0, 'd'),
            (0.0, 'e'),
            (1.0, 'f'),
        ];
        let compare = |x: &(f64, char), y: &(f64, char)| x.0.total_cmp(&y.0);
        let mut ours = pairs.to_vec();
        sort_by(&mut ours, compare);
        let mut standard = pairs.to_vec();
        standard.sort_by(compare);
        assert_eq!(ours, standard);
        assert_eq!(ours.iter().map(|p| p.1).collect::<String>(), "debfac");
    }

    #[test]
    fn maps_and_sets_equal_their_collected_forms() {
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4)];
        assert_eq!(map_of(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(map_of(pairs)["b"], 3);
        let items = ["x", "a", "x", "m"];
        assert_eq!(set_of(items), items.into_iter().collect::<BTreeSet<_>>());
    }
}
