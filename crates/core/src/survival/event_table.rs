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
        let mut order: Vec<usize> = rows.iter().copied().filter(|&i| count[i] > 0.0).collect();
        order.sort_by(|&a, &b| time[a].total_cmp(&time[b]));

        let total: f64 = order.iter().map(|&i| count[i]).sum();
        let mut table = EventTable {
            time: Vec::new(),
            n_risk: Vec::new(),
            n_event: vec![Vec::new(); causes.len()],
            n_censor: Vec::new(),
            causes: causes.to_vec(),
        };
        let mut at_risk = total;
        let mut k = 0;
        while k < order.len() {
            let t = time[order[k]];
            let mut events = vec![0.0; causes.len()];
            let mut censored = 0.0;
            let mut leaving = 0.0;
            while k < order.len() && time[order[k]] == t {
                let i = order[k];
                if status[i] == 0 {
                    censored += count[i];
                } else if let Some(c) = causes.iter().position(|&c| c == status[i]) {
                    events[c] += count[i];
                }
                leaving += count[i];
                k += 1;
            }
            table.time.push(t);
            table.n_risk.push(at_risk);
            for (column, e) in table.n_event.iter_mut().zip(events) {
                column.push(e);
            }
            table.n_censor.push(censored);
            at_risk -= leaving;
        }
        table
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
