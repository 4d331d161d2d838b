//! The risk-set table every survival estimator builds on.
//!
//! One row per distinct time at which something happens (an event of any cause or a
//! censoring) among rows with a positive count, with the number at risk just before
//! that time, the events per cause and the censorings. Ties are kept exactly: a
//! censoring at the time of an event is still at risk for that event, as in R's
//! `survfit`.

/// Risk sets and counts at each distinct time of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTable {
    /// Distinct times, ascending.
    pub time: Vec<f64>,
    /// Number at risk just before each time.
    pub n_risk: Vec<f64>,
    /// Events of each cause at each time: `n_event[c][i]` for cause `causes[c]`.
    pub n_event: Vec<Vec<f64>>,
    /// Censorings at each time.
    pub n_censor: Vec<f64>,
    /// The causes that `n_event` is indexed by, ascending.
    pub causes: Vec<u32>,
}

/// The rows of one group arranged once for [`EventTable::fill`]: in ascending time
/// (ties in the order given), in blocks of equal time, each with the column it counts
/// in. Sorting happens here, once; a fill is one pass over the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    /// Row indices in ascending time, rows with count 0 included.
    order: Vec<usize>,
    /// Per position in `order`: the cause's position for an event, the number of
    /// causes for a censoring, one more for an event of a cause not tabulated.
    slot: Vec<u32>,
    /// Where each block of equal time starts in `order`, and the end.
    block_start: Vec<usize>,
    /// The time of each block.
    block_time: Vec<f64>,
    causes: Vec<u32>,
}

impl TableLayout {
    /// Arranges `rows` of the data (`time`, `status`) with a column for each of
    /// `causes`.
    pub fn new(time: &[f64], status: &[u32], rows: &[usize], causes: &[u32]) -> Self {
        let mut order = rows.to_vec();
        // Stable: tied rows keep their order, so sums run as in the data.
        crate::order::rows_by_time(&mut order, time);
        let n_causes = causes.len() as u32;
        let slot = order
            .iter()
            .map(|&i| match status[i] {
                0 => n_causes,
                s => causes
                    .iter()
                    .position(|&c| c == s)
                    .map_or(n_causes + 1, |k| k as u32),
            })
            .collect();
        let mut block_start = Vec::new();
        let mut block_time = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            if block_time.last() != Some(&time[i]) {
                block_start.push(k);
                block_time.push(time[i]);
            }
        }
        block_start.push(order.len());
        TableLayout {
            order,
            slot,
            block_start,
            block_time,
            causes: causes.to_vec(),
        }
    }

    /// The rows, in the order the table sums them.
    pub fn rows(&self) -> &[usize] {
        &self.order
    }
}

impl EventTable {
    /// Builds the table of the given rows. `causes` lists the causes to tabulate (pass
    /// the causes of the whole data set so that every group has the same columns);
    /// events of a cause not listed are an error of the caller and are ignored.
    pub fn new(
        time: &[f64],
        status: &[u32],
        count: &[f64],
        rows: &[usize],
        causes: &[u32],
    ) -> Self {
        let layout = TableLayout::new(time, status, rows, causes);
        let mut table = EventTable::empty(causes);
        table.fill(&layout, count);
        table
    }

    /// A table without rows, with a column for each of `causes`; [`EventTable::fill`]
    /// fills it.
    pub fn empty(causes: &[u32]) -> Self {
        EventTable {
            time: Vec::new(),
            n_risk: Vec::new(),
            n_event: vec![Vec::new(); causes.len()],
            n_censor: Vec::new(),
            causes: causes.to_vec(),
        }
    }

    /// Refills the table from the rows of `layout` with the counts `count` (indexed
    /// by row, as the data), reusing its buffers: after the first fill it allocates
    /// nothing (with more than two causes, one small scratch vector per fill), so the
    /// bootstrap refills one table per resample. Rows with count 0,
    /// and times at which every row has count 0, leave no trace.
    ///
    /// One pass over the rows. Counts are whole numbers (below 2^53, as
    /// `SurvivalData` validates them), so every sum here is exact and the number at
    /// risk, the total less those who left before, is the same in any order.
    pub fn fill(&mut self, layout: &TableLayout, count: &[f64]) {
        let n_causes = layout.causes.len();
        if self.causes != layout.causes {
            self.causes.clone_from(&layout.causes);
        }
        // Sized for every block, written by index and cut to the blocks with
        // individuals at the end. The loops below index slices taken once, never a
        // `Vec` or an iterator adapter: the module is built for size (opt-level "z"),
        // which calls such helpers instead of inlining them, once per row.
        let blocks = layout.block_time.len();
        self.time.resize(blocks, 0.0);
        self.n_risk.resize(blocks, 0.0);
        self.n_censor.resize(blocks, 0.0);
        self.n_event.resize(n_causes, Vec::new());
        for column in &mut self.n_event {
            column.resize(blocks, 0.0);
        }
        // Per block, each row's count goes to its slot (cause k at k, censorings at
        // `n_causes`, events of unlisted causes at `n_causes + 1`) and to those
        // leaving. The slots live on the stack for up to two causes (Kaplan–Meier,
        // two competing causes), which allocates nothing.
        const ON_STACK: usize = 4;
        let width = n_causes + 2;
        let mut stack = [0.0; ON_STACK];
        let mut heap = Vec::new();
        let slots: &mut [f64] = if width <= ON_STACK {
            &mut stack[..width]
        } else {
            heap.resize(width, 0.0);
            &mut heap
        };
        let (order, slot_of) = (layout.order.as_slice(), layout.slot.as_slice());
        let (block_start, block_time) =
            (layout.block_start.as_slice(), layout.block_time.as_slice());
        let time = self.time.as_mut_slice();
        let n_risk = self.n_risk.as_mut_slice();
        let n_censor = self.n_censor.as_mut_slice();
        let n_event = self.n_event.as_mut_slice();
        let mut left = 0.0;
        let mut kept = 0;
        let mut row = 0;
        for b in 0..blocks {
            let end = block_start[b + 1];
            let mut leaving = 0.0;
            while row < end {
                let c = count[order[row]];
                slots[slot_of[row] as usize] += c;
                leaving += c;
                row += 1;
            }
            // Written at `kept` whatever the block holds, and kept when it has
            // individuals: a block whose rows all have count 0 is overwritten by the
            // next and leaves no trace. No branch on the counts, which resampling
            // makes unpredictable.
            for k in 0..n_causes {
                n_event[k].as_mut_slice()[kept] = slots[k];
            }
            time[kept] = block_time[b];
            // Those who left before t, turned into the number at risk below.
            n_risk[kept] = left;
            n_censor[kept] = slots[n_causes];
            left += leaving;
            kept += usize::from(leaving > 0.0);
            for sum in slots.iter_mut() {
                *sum = 0.0;
            }
        }
        for n in &mut n_risk[..kept] {
            *n = left - *n;
        }
        self.time.truncate(kept);
        self.n_risk.truncate(kept);
        self.n_censor.truncate(kept);
        for column in &mut self.n_event {
            column.truncate(kept);
        }
    }

    /// The product-limit pass every survival estimate shares: S(t) just after each
    /// time into `survival` and, when asked, the Aalen–Johansen cumulative incidence
    /// of each cause into `cif` (`cif[k][i]` for cause `causes[k]`). Buffers are
    /// cleared and refilled, never reallocated once large enough.
    ///
    /// As R's `survfit`/`survfitci`: at a time with events, `CIF_k += S(t−) d_k/n`,
    /// then `S *= 1 − d/n`; ties are one step. Kaplan–Meier, the cumulative incidence
    /// and the bootstrap all call this, so their numbers agree bit for bit.
    pub fn product_limit(&self, survival: &mut Vec<f64>, mut cif: Option<&mut Vec<Vec<f64>>>) {
        let n = self.len();
        survival.resize(n, 0.0);
        if let Some(cif) = cif.as_deref_mut() {
            cif.resize(self.causes.len(), Vec::new());
            for column in cif.iter_mut() {
                column.resize(n, 0.0);
            }
        }
        // Slices taken once (see `fill`).
        let survival = survival.as_mut_slice();
        let mut cif = cif.map(|cif| cif.as_mut_slice());
        let n_risk = self.n_risk.as_slice();
        let n_event = self.n_event.as_slice();
        // Every kept time has someone at risk, so at a time without events the
        // steps below add exactly 0 to each CIF and multiply S by exactly 1: no
        // branch on the counts, which resampling makes unpredictable.
        let mut s = 1.0;
        for i in 0..n {
            let at_risk = n_risk[i];
            if let Some(cif) = cif.as_deref_mut() {
                for (column, events) in cif.iter_mut().zip(n_event) {
                    let column = column.as_mut_slice();
                    let before = if i == 0 { 0.0 } else { column[i - 1] };
                    column[i] = before + s * (events.as_slice()[i] / at_risk);
                }
            }
            let mut d = 0.0;
            for column in n_event {
                d += column.as_slice()[i];
            }
            s *= 1.0 - d / at_risk;
            survival[i] = s;
        }
    }

    /// Number of distinct times.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Events of any cause at row `i`.
    pub fn n_event_any(&self, i: usize) -> f64 {
        self.n_event.iter().map(|column| column[i]).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand computation: times 1,1(censored),2,2,3(censored) with counts 1,1,2,1,1.
    #[test]
    fn tied_event_and_censoring_share_a_row() {
        let time = [1.0, 1.0, 2.0, 2.0, 3.0];
        let status = [1, 0, 1, 2, 0];
        let count = [1.0, 1.0, 2.0, 1.0, 1.0];
        let table = EventTable::new(&time, &status, &count, &[0, 1, 2, 3, 4], &[1, 2]);
        assert_eq!(table.time, vec![1.0, 2.0, 3.0]);
        assert_eq!(table.n_risk, vec![6.0, 4.0, 1.0]);
        assert_eq!(
            table.n_event,
            vec![vec![1.0, 2.0, 0.0], vec![0.0, 1.0, 0.0]]
        );
        assert_eq!(table.n_censor, vec![1.0, 0.0, 1.0]);
    }

    #[test]
    fn zero_count_rows_leave_no_trace() {
        let table = EventTable::new(&[1.0, 5.0], &[1, 1], &[2.0, 0.0], &[0, 1], &[1]);
        assert_eq!(table.time, vec![1.0]);
        assert_eq!(table.n_risk, vec![2.0]);
    }
}
