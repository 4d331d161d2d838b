//! The crate's stable sorts of row indices by time and of labels in their natural
//! order. Each `sort_by` with a closure of its own is a copy of the standard library's
//! sort in the WebAssembly module (about 3.8 KB each, measured with
//! `scripts/wasm-size.mjs`), so these sorts go through the two functions here.

use crate::survival::natural_order;

/// Sorts row indices by `time[row]`, stably: tied rows keep their order.
pub fn rows_by_time(rows: &mut [usize], time: &[f64]) {
    rows.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
}

/// Sorts labels in their natural order ([`natural_order`]), stably.
pub fn labels_naturally(labels: &mut [&str]) {
    labels.sort_by(|a, b| natural_order(a, b));
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
}
