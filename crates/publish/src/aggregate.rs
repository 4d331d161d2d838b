//! From participants to outputs: the frequency tables, the duration rows (with their
//! pooling), and the cross-tables (with their merged levels), each cell a cell of the
//! audit [`Model`] so that the disclosure rules and the audit see every link.

use crate::audit::{key, Key, Model};
use crate::microdata::{Microdata, Participant, DURATION_MONTH};
use crate::spec::{BlockKind, Spec};
use std::collections::BTreeMap;

/// Counts the participants in a population.
pub fn count_in(participants: &[Participant], key: &Key) -> u64 {
    participants
        .iter()
        .filter(|p| key.iter().all(|(var, set)| set.contains(p.get(var))))
        .count() as u64
}

/// A row of a table: cell index per column id.
#[derive(Debug, Clone)]
pub struct RowOut {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Column id → cell.
    pub cells: BTreeMap<String, usize>,
}

/// A block of a table.
#[derive(Debug, Clone)]
pub struct BlockOut {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Kind.
    pub kind: BlockKind,
    /// Rows.
    pub rows: Vec<RowOut>,
    /// The block's population per column (printed as a total row when the spec says so).
    pub total: RowOut,
    /// Whether the total row is printed.
    pub total_printed: bool,
}

/// A table.
#[derive(Debug, Clone)]
pub struct TableOut {
    /// Id.
    pub id: String,
    /// Number.
    pub table: String,
    /// Title.
    pub title: String,
    /// Columns (id, label) in order.
    pub columns: Vec<(String, String)>,
    /// Blocks.
    pub blocks: Vec<BlockOut>,
}

/// One published step of the duration rows.
#[derive(Debug, Clone)]
pub struct StepOut {
    /// First month (since entry) of the step.
    pub from: u32,
    /// Last month.
    pub to: u32,
    /// Group id → cell of its outflows in the step.
    pub events: BTreeMap<String, usize>,
    /// Cell of the censorings in the step.
    pub censored: usize,
}

/// A cohort's duration rows.
#[derive(Debug, Clone)]
pub struct DurationCohort {
    /// Cohort column id.
    pub cohort: String,
    /// Group id → the causes it holds in this cohort (after merging small groups).
    pub groups: BTreeMap<String, Vec<String>>,
    /// Groups merged into the fallback: (group, its cohort total was small).
    pub merged_groups: Vec<String>,
    /// Steps.
    pub steps: Vec<StepOut>,
}

/// A level of a cross-table.
#[derive(Debug, Clone)]
pub struct LevelOut {
    /// Level ids joined by `+` when merged.
    pub id: String,
    /// Values of the covariate.
    pub values: Vec<String>,
    /// Cohort → (successes cell, trials cell).
    pub cells: BTreeMap<String, (usize, usize)>,
}

/// A cross-table.
#[derive(Debug, Clone)]
pub struct CrossTableOut {
    /// Id.
    pub id: String,
    /// The cohort (column id) of this cross-table.
    pub cohort: String,
    /// Label.
    pub label: String,
    /// Covariate.
    pub by: String,
    /// Levels after merging.
    pub levels: Vec<LevelOut>,
    /// Merges done: the level ids joined.
    pub merges: Vec<String>,
    /// Individuals in the cross-table.
    pub n: u64,
    /// Residual degrees of freedom of the logit of the outcome on the covariate
    /// (individuals − parameters).
    pub residual_df: i64,
}

/// Everything the package prints, as cells of the model.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// Frequency tables.
    pub tables: Vec<TableOut>,
    /// Duration rows per cohort.
    pub duration: Vec<DurationCohort>,
    /// Cross-tables.
    pub cross_tables: Vec<CrossTableOut>,
    /// Cell → where it is printed (`table.block.row.column`, ...).
    pub locations: BTreeMap<usize, Vec<String>>,
}

fn one(v: &str) -> Vec<String> {
    vec![v.to_string()]
}

struct Builder<'a> {
    spec: &'a Spec,
    data: &'a Microdata,
    model: Model,
    k: u64,
    locations: BTreeMap<usize, Vec<String>>,
}

impl Builder<'_> {
    fn cell(&mut self, k: &Key) -> Option<usize> {
        let k = self.model.normalise(k)?;
        let data = self.data;
        Some(self.model.cell(k, |k| count_in(&data.participants, k)))
    }

    fn partition(
        &mut self,
        parent: &Key,
        variable: &str,
        groups: &[Vec<String>],
    ) -> Vec<Option<usize>> {
        let data = self.data;
        self.model.partition(parent, variable, groups, &|k: &Key| {
            count_in(&data.participants, k)
        })
    }

    fn print(&mut self, cell: usize, at: String, zero_disclosive: bool) {
        self.model.output(cell, zero_disclosive);
        self.locations.entry(cell).or_default().push(at);
    }

    fn cohort_groups(&self) -> Vec<Vec<String>> {
        self.spec.cohorts.iter().map(|c| one(&c.column)).collect()
    }

    /// Columns: (id, label, filter).
    fn columns(&self, subset: &[crate::spec::SubsetColumn]) -> Vec<(String, String, Key)> {
        let mut cols: Vec<(String, String, Key)> = self
            .spec
            .cohorts
            .iter()
            .map(|c| {
                (
                    c.column.clone(),
                    c.label.clone(),
                    key([("cohort", one(&c.column))]),
                )
            })
            .collect();
        cols.push((
            self.spec.all_column.id.clone(),
            self.spec.all_column.label.clone(),
            Key::new(),
        ));
        for s in subset {
            cols.push((
                s.id.clone(),
                s.label.clone(),
                key([(s.variable.as_str(), s.values.clone())]),
            ));
        }
        cols
    }

    /// Links a row's population across columns: cohorts add up to all, a subset
    /// column is part of all.
    fn link_columns(&mut self, row_key: &Key, subset: &[crate::spec::SubsetColumn]) {
        let cohorts = self.cohort_groups();
        self.partition(row_key, "cohort", &cohorts);
        for s in subset {
            self.partition(row_key, &s.variable, std::slice::from_ref(&s.values));
        }
    }

    fn tables(&mut self) -> Vec<TableOut> {
        let spec = self.spec;
        let mut out = Vec::new();
        for t in &spec.tables {
            let columns = self.columns(&t.subset_columns);
            let mut blocks = Vec::new();
            for b in &t.blocks {
                // The block's population (before the column filter).
                let base: Key = match &b.within {
                    Some(w) => {
                        let (block, row) = w.split_once('.').expect("checked by the spec");
                        let bb = t.blocks.iter().find(|x| x.id == block).expect("checked");
                        let rr = bb.rows.iter().find(|r| r.id == row).expect("checked");
                        key([(
                            bb.variable.as_deref().expect("partition"),
                            rr.values.clone(),
                        )])
                    }
                    None => Key::new(),
                };
                let mut rows: Vec<RowOut> = b
                    .rows
                    .iter()
                    .map(|r| RowOut {
                        id: r.id.clone(),
                        label: r.label.clone(),
                        cells: BTreeMap::new(),
                    })
                    .collect();
                let mut total = RowOut {
                    id: "total".into(),
                    label: "Totaal".into(),
                    cells: BTreeMap::new(),
                };
                let mut row_keys: Vec<Option<Key>> = vec![None; b.rows.len()];
                for (col, _, filter) in &columns {
                    let Some(pop) = self.model.and(&base, filter) else {
                        continue;
                    };
                    let Some(pc) = self.cell(&pop) else { continue };
                    total.cells.insert(col.clone(), pc);
                    if b.total {
                        self.print(
                            pc,
                            format!("{}.{}.total.{col}", t.id, b.id),
                            b.zeros_disclosive,
                        );
                    }
                    match b.kind {
                        BlockKind::Partition => {
                            let var = b.variable.as_deref().expect("checked");
                            let groups: Vec<Vec<String>> =
                                b.rows.iter().map(|r| r.values.clone()).collect();
                            let cells = self.partition(&pop, var, &groups);
                            for (i, c) in cells.into_iter().enumerate() {
                                let rk = self.model.and(&base, &key([(var, groups[i].clone())]));
                                row_keys[i] = rk;
                                if let Some(c) = c {
                                    rows[i].cells.insert(col.clone(), c);
                                    self.print(
                                        c,
                                        format!("{}.{}.{}.{col}", t.id, b.id, b.rows[i].id),
                                        b.zeros_disclosive,
                                    );
                                }
                            }
                        }
                        BlockKind::Multiple => {
                            let mut none_key = pop.clone();
                            for (i, r) in b.rows.iter().enumerate() {
                                let cell = match &r.flag {
                                    Some(f) => {
                                        let c = self.partition(&pop, f, &[one("1")]);
                                        row_keys[i] =
                                            self.model.and(&base, &key([(f.as_str(), one("1"))]));
                                        c[0]
                                    }
                                    None => {
                                        // No flag: the chain pop ∧ f1=0 ∧ f2=0 ∧ ... of partitions.
                                        let mut none_base = base.clone();
                                        for f in b.rows.iter().filter_map(|r| r.flag.as_ref()) {
                                            let next = self.partition(&none_key, f, &[one("0")]);
                                            match (
                                                next[0],
                                                self.model
                                                    .and(&none_key, &key([(f.as_str(), one("0"))])),
                                            ) {
                                                (Some(_), Some(nk)) => none_key = nk,
                                                _ => break,
                                            }
                                            if let Some(nb) = self
                                                .model
                                                .and(&none_base, &key([(f.as_str(), one("0"))]))
                                            {
                                                none_base = nb;
                                            }
                                        }
                                        row_keys[i] = Some(none_base);
                                        self.cell(&none_key)
                                    }
                                };
                                if let Some(c) = cell {
                                    rows[i].cells.insert(col.clone(), c);
                                    self.print(
                                        c,
                                        format!("{}.{}.{}.{col}", t.id, b.id, r.id),
                                        b.zeros_disclosive,
                                    );
                                }
                            }
                        }
                    }
                }
                for rk in row_keys.iter().flatten() {
                    self.link_columns(rk, &t.subset_columns);
                }
                self.link_columns(&base, &t.subset_columns);
                blocks.push(BlockOut {
                    id: b.id.clone(),
                    label: b.label.clone(),
                    kind: b.kind,
                    rows,
                    total,
                    total_printed: b.total,
                });
            }
            out.push(TableOut {
                id: t.id.clone(),
                table: t.table.clone(),
                title: t.title.clone(),
                columns: columns
                    .into_iter()
                    .map(|(id, label, _)| (id, label))
                    .collect(),
                blocks,
            });
        }
        out
    }

    fn duration(&mut self) -> Vec<DurationCohort> {
        let spec = self.spec;
        let k = self.k;
        let max = self.data.max_month;
        let mut out = Vec::new();
        for c in &spec.cohorts {
            let ck = key([("cohort", one(&c.column))]);
            // Groups whose cohort total is small go to the fallback group.
            let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let mut merged = Vec::new();
            let known_moment: Vec<String> = (0..=max).map(|m| m.to_string()).collect();
            for g in &spec.duration.groups {
                let n = count_in(
                    &self.data.participants,
                    &key([
                        ("cohort", one(&c.column)),
                        ("cause", g.causes.clone()),
                        (DURATION_MONTH, known_moment.clone()),
                    ]),
                );
                let target = if n > 0 && n < k && g.id != spec.duration.fallback_group {
                    merged.push(g.id.clone());
                    spec.duration.fallback_group.clone()
                } else {
                    g.id.clone()
                };
                groups
                    .entry(target)
                    .or_default()
                    .extend(g.causes.iter().cloned());
            }
            // Per month: leavers per category (groups, then censored).
            let categories: Vec<Vec<String>> = groups
                .values()
                .cloned()
                .chain(std::iter::once(one("none")))
                .collect();
            let per_month: Vec<Vec<u64>> = (0..=max)
                .map(|m| {
                    categories
                        .iter()
                        .map(|cat| {
                            count_in(
                                &self.data.participants,
                                &key([
                                    ("cohort", one(&c.column)),
                                    ("cause", cat.clone()),
                                    (DURATION_MONTH, one(&m.to_string())),
                                ]),
                            )
                        })
                        .collect()
                })
                .collect();
            let ranges = pool_months(&per_month, k);
            let month_sets: Vec<Vec<String>> = ranges
                .iter()
                .map(|&(a, b)| (a..=b).map(|m| m.to_string()).collect())
                .collect();
            let mut dm_groups = month_sets.clone();
            dm_groups.push(one("unknown"));
            self.partition(&ck, DURATION_MONTH, &dm_groups);
            let mut steps = Vec::new();
            for (&(from, to), months) in ranges.iter().zip(&month_sets) {
                let sk = self
                    .model
                    .and(&ck, &key([(DURATION_MONTH, months.clone())]))
                    .expect("a cohort's months");
                let cells = self.partition(&sk, "cause", &categories);
                let mut events = BTreeMap::new();
                for ((gid, causes), cell) in groups.iter().zip(&cells) {
                    if let Some(cell) = cell {
                        events.insert(gid.clone(), *cell);
                        self.print(
                            *cell,
                            format!("duration.{}.{from}-{to}.{gid}", c.column),
                            false,
                        );
                        if causes.len() > 1 {
                            let singles: Vec<Vec<String>> = causes.iter().map(|x| one(x)).collect();
                            let gk = self
                                .model
                                .and(&sk, &key([("cause", causes.clone())]))
                                .expect("cell exists");
                            self.partition(&gk, "cause", &singles);
                        }
                    }
                }
                let censored = cells.last().copied().flatten().unwrap_or_else(|| {
                    let nk = self
                        .model
                        .and(&sk, &key([("cause", one("none"))]))
                        .expect("none");
                    self.cell(&nk).expect("normalised")
                });
                self.print(
                    censored,
                    format!("duration.{}.{from}-{to}.censored", c.column),
                    false,
                );
                steps.push(StepOut {
                    from,
                    to,
                    events,
                    censored,
                });
            }
            // Each cause and each group over the steps: links to table 3.2.
            let mut by_cause: Vec<Vec<String>> = spec.causes.iter().map(|x| one(x)).collect();
            by_cause.push(one("unknown"));
            by_cause.push(one("none"));
            by_cause.extend(groups.values().filter(|g| g.len() > 1).cloned());
            for cause in by_cause {
                let k2 = self.model.and(&ck, &key([("cause", cause.clone())]));
                if let Some(k2) = k2 {
                    self.partition(&k2, DURATION_MONTH, &dm_groups);
                    if cause.len() > 1 {
                        let singles: Vec<Vec<String>> = cause.iter().map(|x| one(x)).collect();
                        self.partition(&k2, "cause", &singles);
                    }
                }
            }
            out.push(DurationCohort {
                cohort: c.column.clone(),
                groups,
                merged_groups: merged,
                steps,
            });
        }
        out
    }

    fn cross_tables(&mut self) -> Vec<CrossTableOut> {
        let spec = self.spec;
        let k = self.k;
        let mut out = Vec::new();
        // Each cohort's cross-table is merged on its own (table 3.5 fits a model per
        // cohort): a small cohort does not coarsen the other's levels.
        for (x, cohort) in spec
            .cross_tables
            .iter()
            .flat_map(|x| spec.cohorts.iter().map(move |c| (x, c.column.clone())))
        {
            let outcome_values = vec![x.success.clone(), x.failure.clone()];
            let cohorts: Vec<String> = vec![cohort.clone()];
            let stats = |values: &[String]| -> Vec<(u64, u64)> {
                cohorts
                    .iter()
                    .map(|c| {
                        let s = count_in(
                            &self.data.participants,
                            &key([
                                ("cohort", one(c)),
                                (x.outcome.as_str(), one(&x.success)),
                                (x.by.as_str(), values.to_vec()),
                            ]),
                        );
                        let n = count_in(
                            &self.data.participants,
                            &key([
                                ("cohort", one(c)),
                                (x.outcome.as_str(), outcome_values.clone()),
                                (x.by.as_str(), values.to_vec()),
                            ]),
                        );
                        (s, n)
                    })
                    .collect()
            };
            let small = |v: u64| v > 0 && v < k;
            let bad =
                |st: &[(u64, u64)]| st.iter().any(|&(s, n)| n < k || small(s) || small(n - s));
            // Merge levels until every cell has at least k
            // trials and no successes or failures in 1..k−1; the worst level first,
            // joined to its smaller neighbour.
            let mut levels: Vec<(String, Vec<String>)> = x
                .levels
                .iter()
                .map(|l| (l.id.clone(), l.values.clone()))
                .collect();
            let mut merges = Vec::new();
            while levels.len() > 1 {
                let st: Vec<Vec<(u64, u64)>> = levels.iter().map(|(_, v)| stats(v)).collect();
                let trials = |i: usize| st[i].iter().map(|p| p.1).sum::<u64>();
                let Some(worst) = (0..levels.len())
                    .filter(|&i| bad(&st[i]))
                    .min_by_key(|&i| (trials(i), i))
                else {
                    break;
                };
                let other = if worst == 0 {
                    1
                } else if worst + 1 == levels.len() || trials(worst - 1) <= trials(worst + 1) {
                    worst - 1
                } else {
                    worst + 1
                };
                let (a, b) = (worst.min(other), worst.max(other));
                let (bid, bvals) = levels.remove(b);
                let (aid, avals) = &mut levels[a];
                *aid = format!("{aid}+{bid}");
                avals.extend(bvals);
                merges.push(aid.clone());
            }
            let mut level_out = Vec::new();
            let mut n = 0;
            for (id, values) in &levels {
                let mut cells = BTreeMap::new();
                for c in &cohorts {
                    let pk = key([
                        ("cohort", one(c)),
                        (x.outcome.as_str(), outcome_values.clone()),
                    ]);
                    let groups: Vec<Vec<String>> = levels.iter().map(|(_, v)| v.clone()).collect();
                    self.partition(&pk, &x.by, &groups);
                    let tk = key([
                        ("cohort", one(c)),
                        (x.outcome.as_str(), outcome_values.clone()),
                        (x.by.as_str(), values.clone()),
                    ]);
                    let Some(trials) = self.cell(&tk) else {
                        continue;
                    };
                    let sk = key([
                        ("cohort", one(c)),
                        (x.outcome.as_str(), one(&x.success)),
                        (x.by.as_str(), values.clone()),
                    ]);
                    let parts =
                        self.partition(&tk, &x.outcome, &[one(&x.success), one(&x.failure)]);
                    let Some(successes) = parts[0].or_else(|| self.cell(&sk)) else {
                        continue;
                    };
                    n += self.model.cells[trials].value;
                    if values.len() > 1 {
                        let singles: Vec<Vec<String>> = values.iter().map(|v| one(v)).collect();
                        self.partition(&tk, &x.by, &singles);
                        let sk2 = self.model.and(&sk, &Key::new());
                        if let Some(sk2) = sk2 {
                            self.partition(&sk2, &x.by, &singles);
                        }
                    }
                    // The covariate's cells over all outcome values (table 3.1's rows).
                    for v in values {
                        let vk = key([("cohort", one(c)), (x.by.as_str(), one(v))]);
                        self.partition(&vk, &x.outcome, &[one(&x.success), one(&x.failure)]);
                    }
                    self.print(trials, format!("{}.{id}.{c}.trials", x.id), false);
                    self.print(successes, format!("{}.{id}.{c}.successes", x.id), false);
                    cells.insert(c.clone(), (successes, trials));
                }
                level_out.push(LevelOut {
                    id: id.clone(),
                    values: values.clone(),
                    cells,
                });
            }
            // Intercept and one coefficient per level beyond the first.
            let parameters = levels.len() as i64;
            out.push(CrossTableOut {
                id: x.id.clone(),
                cohort,
                label: x.label.clone(),
                by: x.by.clone(),
                levels: level_out,
                merges,
                n,
                residual_df: n as i64 - parameters,
            });
        }
        out
    }
}

/// Pools consecutive months (0..=max) into steps: a step closes when at least `k`
/// leave the risk set in it and no category (cause group, censored) has 1..k−1 in
/// it; a remainder that does not qualify joins the steps before it. Returns
/// inclusive month ranges covering every month.
pub fn pool_months(per_month: &[Vec<u64>], k: u64) -> Vec<(u32, u32)> {
    let ok = |counts: &[u64]| {
        let leaving: u64 = counts.iter().sum();
        leaving >= k && counts.iter().all(|&c| c == 0 || c >= k)
    };
    let add = |acc: &mut Vec<u64>, x: &[u64]| {
        if acc.is_empty() {
            acc.resize(x.len(), 0);
        }
        for (a, b) in acc.iter_mut().zip(x) {
            *a += b;
        }
    };
    let mut steps: Vec<((u32, u32), Vec<u64>)> = Vec::new();
    let mut open: Option<(u32, Vec<u64>)> = None;
    for (m, counts) in per_month.iter().enumerate() {
        let m = m as u32;
        let (start, mut acc) = open.take().unwrap_or((m, Vec::new()));
        add(&mut acc, counts);
        if ok(&acc) {
            steps.push(((start, m), acc));
        } else {
            open = Some((start, acc));
        }
    }
    if let Some((start, acc)) = open {
        let end = per_month.len().saturating_sub(1) as u32;
        match steps.last_mut() {
            Some(last) => {
                last.0 .1 = end;
                let mut a = last.1.clone();
                add(&mut a, &acc);
                last.1 = a;
            }
            None => steps.push(((start, end), acc)),
        }
    }
    // The joined remainder can make the last step fail: join backwards until it holds.
    while steps.len() > 1 && !ok(&steps[steps.len() - 1].1) {
        let (range, acc) = steps.pop().expect("two steps");
        let last = steps.last_mut().expect("one step left");
        last.0 .1 = range.1;
        let mut a = last.1.clone();
        add(&mut a, &acc);
        last.1 = a;
    }
    steps.into_iter().map(|(r, _)| r).collect()
}

/// Builds every output and the model behind them.
pub fn build(spec: &Spec, data: &Microdata, k: u64) -> (Model, Outputs) {
    let mut domains = spec.domains();
    let mut months: Vec<String> = (0..=data.max_month).map(|m| m.to_string()).collect();
    months.push("unknown".to_string());
    domains.insert(DURATION_MONTH.to_string(), months);
    let mut b = Builder {
        spec,
        data,
        model: Model::new(domains),
        k,
        locations: BTreeMap::new(),
    };
    let tables = b.tables();
    let duration = b.duration();
    let cross_tables = b.cross_tables();
    (
        b.model,
        Outputs {
            tables,
            duration,
            cross_tables,
            locations: b.locations,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::pool_months;

    #[test]
    fn pooling_closes_a_step_only_when_every_category_is_zero_or_at_least_k() {
        // Two categories (events, censored), k = 3.
        let months = vec![
            vec![1, 0],
            vec![1, 0],
            vec![1, 1],
            vec![0, 2],
            vec![3, 0],
            vec![1, 0],
        ];
        // [0..3]: 3 events, 3 censored → closes at month 3; [4..4]: 3 events → closes;
        // month 5 alone (1 event) joins the step before: [4..5] with 4 events.
        assert_eq!(pool_months(&months, 3), vec![(0, 3), (4, 5)]);
    }

    #[test]
    fn a_remainder_that_spoils_the_last_step_joins_further_back() {
        // The remainder brings 1 censoring to a step without censorings.
        let months = vec![vec![3, 0], vec![3, 0], vec![0, 1]];
        assert_eq!(pool_months(&months, 3), vec![(0, 2)]);
    }
}
