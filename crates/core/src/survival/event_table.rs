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
    /// Per position in `order`, with at most two causes: 1 in the register its row
    /// counts in (cause 0, cause 1, censored) and 0 in the others, all 0 for an
    /// event of a cause not tabulated; empty with more causes.
    one_hot: Vec<[f64; REGISTERS]>,
    /// Where each block of equal time starts in `order`, and the end.
    block_start: Vec<usize>,
    /// The time of each block.
    block_time: Vec<f64>,
    causes: Vec<u32>,
}

/// The most causes whose sums [`EventTable::fill`] keeps in registers.
const REGISTER_CAUSES: usize = 2;
/// Those registers: the events of each cause, then the censorings.
const REGISTERS: usize = REGISTER_CAUSES + 1;
const CENSORED: usize = REGISTER_CAUSES;

impl TableLayout {
    /// Arranges `rows` of the data (`time`, `status`) with a column for each of
    /// `causes`.
    pub fn new(time: &[f64], status: &[u32], rows: &[usize], causes: &[u32]) -> Self {
        let mut order = rows.to_vec();
        // Stable: tied rows keep their order, so sums run as in the data.
        crate::order::rows_by_time(&mut order, time);
        let n_causes = causes.len() as u32;
        let slot: Vec<u32> = order
            .iter()
            .map(|&i| match status[i] {
                0 => n_causes,
                s => causes
                    .iter()
                    .position(|&c| c == s)
                    .map_or(n_causes + 1, |k| k as u32),
            })
            .collect();
        let one_hot = if causes.len() <= REGISTER_CAUSES {
            slot.iter()
                .map(|&s| {
                    let mut weights = [0.0; REGISTERS];
                    if s == n_causes {
                        weights[CENSORED] = 1.0;
                    } else if s < n_causes {
                        weights[s as usize] = 1.0;
                    }
                    weights
                })
                .collect()
        } else {
            Vec::new()
        };
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
            one_hot,
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
        // Each block is written at the number of blocks kept so far whatever it holds,
        // and kept when it has individuals: a block whose rows all have count 0 is
        // overwritten by the next and leaves no trace. No branch on the counts, which
        // resampling makes unpredictable.
        let (left, kept) = if n_causes <= REGISTER_CAUSES {
            self.fill_registers(layout, count)
        } else {
            self.fill_slots(layout, count)
        };
        // `n_risk` holds those who left before each time: turned into those at risk.
        let n_risk = self.n_risk.as_mut_slice();
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

    /// [`EventTable::fill`] with at most two causes (Kaplan–Meier, two competing
    /// causes): a block's sums are registers, each row adding its count times its
    /// weights (1 for the sum it counts in, 0 for the others), which leaves every sum
    /// exactly as it is, and nothing waits on memory or branches on the data. Every
    /// slice is cut to the blocks once, so one bound covers them. Returns the
    /// individuals and the blocks kept.
    fn fill_registers(&mut self, layout: &TableLayout, count: &[f64]) -> (f64, usize) {
        let blocks = layout.block_time.len();
        let n_causes = layout.causes.len();
        let (first, second): (&mut [f64], &mut [f64]) = match self.n_event.as_mut_slice() {
            [a, b] => (&mut a[..blocks], &mut b[..blocks]),
            [a] => (&mut a[..blocks], &mut []),
            _ => (&mut [], &mut []),
        };
        let time = &mut self.time[..blocks];
        let n_risk = &mut self.n_risk[..blocks];
        let n_censor = &mut self.n_censor[..blocks];
        let block_time = &layout.block_time[..blocks];
        let block_start = &layout.block_start[..blocks + 1];
        let order = layout.order.as_slice();
        let one_hot = &layout.one_hot[..order.len()];
        let (mut left, mut kept, mut row) = (0.0, 0, 0);
        for b in 0..blocks {
            let end = block_start[b + 1];
            let (mut events_0, mut events_1, mut censored, mut leaving) = (0.0, 0.0, 0.0, 0.0);
            while row < end {
                let c = count[order[row]];
                let weights = one_hot[row];
                events_0 += c * weights[0];
                events_1 += c * weights[1];
                censored += c * weights[CENSORED];
                leaving += c;
                row += 1;
            }
            if n_causes > 0 {
                first[kept] = events_0;
            }
            if n_causes > 1 {
                second[kept] = events_1;
            }
            time[kept] = block_time[b];
            n_risk[kept] = left;
            n_censor[kept] = censored;
            left += leaving;
            kept += usize::from(leaving > 0.0);
        }
        (left, kept)
    }

    /// [`EventTable::fill`] with more than two causes: a block's sums are a vector
    /// indexed by the rows' slots.
    fn fill_slots(&mut self, layout: &TableLayout, count: &[f64]) -> (f64, usize) {
        let n_causes = layout.causes.len();
        let mut slots = vec![0.0; n_causes + 2];
        let (mut left, mut kept, mut row) = (0.0, 0, 0);
        for (b, &t) in layout.block_time.iter().enumerate() {
            let end = layout.block_start[b + 1];
            slots.fill(0.0);
            let mut leaving = 0.0;
            while row < end {
                let c = count[layout.order[row]];
                slots[layout.slot[row] as usize] += c;
                leaving += c;
                row += 1;
            }
            for (column, &events) in self.n_event.iter_mut().zip(&slots) {
                column[kept] = events;
            }
            self.time[kept] = t;
            self.n_risk[kept] = left;
            self.n_censor[kept] = slots[n_causes];
            left += leaving;
            kept += usize::from(leaving > 0.0);
        }
        (left, kept)
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

    // Two causes are summed in registers, three or more in a vector: the same rows
    // with a third cause tabulated (and one not tabulated) give the same columns.
    #[test]
    fn registers_and_slots_give_the_same_table() {
        let time = [1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0];
        let status = [1, 0, 1, 2, 4, 0, 2, 3];
        let count = [1.0, 2.0, 0.0, 1.0, 3.0, 1.0, 2.0, 0.0];
        let rows: Vec<usize> = (0..time.len()).collect();
        let two = EventTable::new(&time, &status, &count, &rows, &[1, 2]);
        let three = EventTable::new(&time, &status, &count, &rows, &[1, 2, 3]);
        assert_eq!(two.time, vec![1.0, 2.0, 3.0, 4.0]);
        // Hand computation: 10 individuals; the cause-4 events at 2 leave uncounted.
        assert_eq!(two.n_risk, vec![10.0, 7.0, 3.0, 2.0]);
        assert_eq!(two.n_censor, vec![2.0, 0.0, 1.0, 0.0]);
        assert_eq!(
            two.n_event,
            vec![vec![1.0, 0.0, 0.0, 0.0], vec![0.0, 1.0, 0.0, 2.0]]
        );
        assert_eq!(three.time, two.time);
        assert_eq!(three.n_risk, two.n_risk);
        assert_eq!(three.n_censor, two.n_censor);
        assert_eq!(three.n_event[..2], two.n_event[..]);
        assert_eq!(three.n_event[2], vec![0.0; 4]);
    }

    #[test]
    fn zero_count_rows_leave_no_trace() {
        let table = EventTable::new(&[1.0, 5.0], &[1, 1], &[2.0, 0.0], &[0, 1], &[1]);
        assert_eq!(table.time, vec![1.0]);
        assert_eq!(table.n_risk, vec![2.0]);
    }
}
