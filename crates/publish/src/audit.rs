//! The audit model: every count the package publishes, every count it withholds, and
//! the additivity between them, with each withheld count's feasible range.
//!
//! A count is identified by its population, a [`Key`]: for some variables, the set of
//! values the participants have (a variable left out may take any value). Two outputs
//! with the same key are the same number, so the tables link by construction (table
//! 3.1's cohort total is table 3.4's). A [`Relation`] says that a population is the
//! disjoint union of others (a block's rows add up to its total, cohorts add up to
//! all, a merged level is its levels); the parts the package does not print are
//! hidden cells. The attacker knows every relation and every published value; the
//! audit computes, by linear programming over the non-negative reals (a superset of
//! the integer solutions, as τ-ARGUS and sdcTable do), each withheld cell's smallest
//! and largest value.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use sibstat_core::error::{Code, Error, Result};
use std::collections::{BTreeMap, BTreeSet};

/// A population: variable → allowed values (a full domain is left out).
pub type Key = BTreeMap<String, BTreeSet<String>>;

/// Whether a cell is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Printed with its value.
    Published,
    /// An output withheld by a rule (the reason names it).
    Suppressed(String),
    /// Not an output: a part that only exists in the relations.
    Hidden,
}

/// One count.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Its population.
    pub key: Key,
    /// The true count.
    pub value: u64,
    /// Printed, suppressed or hidden.
    pub status: Status,
    /// Whether some output prints this cell (else it is a hidden part).
    pub is_output: bool,
    /// A zero here is disclosive (declared by the spec).
    pub zero_disclosive: bool,
}

/// `total` = sum of `parts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// Index of the whole.
    pub total: usize,
    /// Indices of the disjoint parts.
    pub parts: Vec<usize>,
}

/// A cell's feasible range from everything published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Smallest value consistent with the published numbers.
    pub lower: f64,
    /// Largest (infinite when unbounded).
    pub upper: f64,
}

/// The model.
#[derive(Debug, Clone)]
pub struct Model {
    domains: BTreeMap<String, Vec<String>>,
    /// Every cell.
    pub cells: Vec<Cell>,
    index: BTreeMap<Key, usize>,
    /// Every relation.
    pub relations: Vec<Relation>,
    relation_set: BTreeSet<(usize, Vec<usize>)>,
}

/// A key from (variable, values) pairs.
pub fn key<'a>(filters: impl IntoIterator<Item = (&'a str, Vec<String>)>) -> Key {
    filters
        .into_iter()
        .map(|(v, values)| (v.to_string(), values.into_iter().collect()))
        .collect()
}

impl Model {
    /// An empty model over the given variable domains.
    pub fn new(domains: BTreeMap<String, Vec<String>>) -> Model {
        Model {
            domains,
            cells: Vec::new(),
            index: BTreeMap::new(),
            relations: Vec::new(),
            relation_set: BTreeSet::new(),
        }
    }

    /// The key with full-domain filters dropped; `None` if some filter is empty.
    pub fn normalise(&self, key: &Key) -> Option<Key> {
        let mut out = Key::new();
        for (var, set) in key {
            let domain = self.domains.get(var);
            let set: BTreeSet<String> = match domain {
                Some(d) => set.iter().filter(|v| d.contains(v)).cloned().collect(),
                None => set.clone(),
            };
            if set.is_empty() {
                return None;
            }
            if domain.is_some_and(|d| d.iter().all(|v| set.contains(v))) {
                continue;
            }
            out.insert(var.clone(), set);
        }
        Some(out)
    }

    /// `a ∧ b` (intersection of the filters), normalised.
    pub fn and(&self, a: &Key, b: &Key) -> Option<Key> {
        let mut out = a.clone();
        for (var, set) in b {
            let merged: BTreeSet<String> = match out.get(var) {
                Some(have) => have.intersection(set).cloned().collect(),
                None => set.clone(),
            };
            out.insert(var.clone(), merged);
        }
        self.normalise(&out)
    }

    /// The cell of a (normalised) key, counted from the participants when new.
    pub fn cell(&mut self, key: Key, count: impl Fn(&Key) -> u64) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let value = count(&key);
        self.cells.push(Cell {
            key: key.clone(),
            value,
            status: Status::Hidden,
            is_output: false,
            zero_disclosive: false,
        });
        self.index.insert(key, self.cells.len() - 1);
        self.cells.len() - 1
    }

    /// Marks a cell as printed by some output.
    pub fn output(&mut self, i: usize, zero_disclosive: bool) {
        let c = &mut self.cells[i];
        if !c.is_output {
            c.is_output = true;
            c.status = Status::Published;
        }
        c.zero_disclosive |= zero_disclosive;
    }

    /// Records `parent` = Σ `parent ∧ group` over the groups of `variable`; the
    /// values of the parent's domain the groups leave out form one more (hidden)
    /// part. Returns the parts' indices in the groups' order (`None` where a group
    /// does not meet the parent).
    pub fn partition(
        &mut self,
        parent: &Key,
        variable: &str,
        groups: &[Vec<String>],
        count: &impl Fn(&Key) -> u64,
    ) -> Vec<Option<usize>> {
        let Some(parent) = self.normalise(parent) else {
            return vec![None; groups.len()];
        };
        let p = self.cell(parent.clone(), count);
        let allowed: Vec<String> = match parent.get(variable) {
            Some(set) => set.iter().cloned().collect(),
            None => self.domains.get(variable).cloned().unwrap_or_default(),
        };
        let mut parts = Vec::new();
        let mut out = Vec::new();
        let mut covered = BTreeSet::new();
        for g in groups {
            let k = key([(variable, g.clone())]);
            match self.and(&parent, &k) {
                Some(child) => {
                    covered.extend(g.iter().filter(|v| allowed.contains(v)).cloned());
                    let c = self.cell(child, count);
                    parts.push(c);
                    out.push(Some(c));
                }
                None => out.push(None),
            }
        }
        let rest: Vec<String> = allowed
            .iter()
            .filter(|v| !covered.contains(*v))
            .cloned()
            .collect();
        if !rest.is_empty() {
            if let Some(child) = self.and(&parent, &key([(variable, rest)])) {
                parts.push(self.cell(child, count));
            }
        }
        parts.sort_unstable();
        parts.dedup();
        if !(parts.len() == 1 && parts[0] == p) && self.relation_set.insert((p, parts.clone())) {
            self.relations.push(Relation { total: p, parts });
        }
        out
    }

    /// Whether a cell's value needs protection: a withheld or hidden count in
    /// 1..k−1, or a zero declared disclosive.
    pub fn is_sensitive(&self, i: usize, k: u64) -> bool {
        let c = &self.cells[i];
        c.status != Status::Published
            && ((c.value >= 1 && c.value < k) || (c.value == 0 && c.zero_disclosive))
    }

    /// The feasible range of a cell given the published values and the relations.
    pub fn range(&self, target: usize) -> Result<Range> {
        Ok(Range {
            lower: self.optimise(target, OptimizationDirection::Minimize)?,
            upper: self.optimise(target, OptimizationDirection::Maximize)?,
        })
    }

    /// The cells connected to `target` through relations (the LP needs only these).
    fn component(&self, target: usize) -> (Vec<usize>, Vec<usize>) {
        let mut by_cell: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (r, rel) in self.relations.iter().enumerate() {
            by_cell.entry(rel.total).or_default().push(r);
            for &p in &rel.parts {
                by_cell.entry(p).or_default().push(r);
            }
        }
        let mut cells = BTreeSet::from([target]);
        let mut rels = BTreeSet::new();
        let mut stack = vec![target];
        while let Some(c) = stack.pop() {
            // A published cell is a constant: the search does not cross it.
            if c != target && self.cells[c].status == Status::Published {
                continue;
            }
            for &r in by_cell.get(&c).into_iter().flatten() {
                if rels.insert(r) {
                    let rel = &self.relations[r];
                    for &x in std::iter::once(&rel.total).chain(&rel.parts) {
                        if cells.insert(x) {
                            stack.push(x);
                        }
                    }
                }
            }
        }
        (cells.into_iter().collect(), rels.into_iter().collect())
    }

    fn optimise(&self, target: usize, direction: OptimizationDirection) -> Result<f64> {
        let (cells, rels) = self.component(target);
        let mut problem = Problem::new(direction);
        let mut vars = BTreeMap::new();
        for &c in &cells {
            let cell = &self.cells[c];
            let objective = if c == target { 1.0 } else { 0.0 };
            let bounds = if cell.status == Status::Published && c != target {
                (cell.value as f64, cell.value as f64)
            } else {
                (0.0, f64::INFINITY)
            };
            vars.insert(c, problem.add_var(objective, bounds));
        }
        for &r in &rels {
            let rel = &self.relations[r];
            let mut expr = vec![(vars[&rel.total], 1.0)];
            expr.extend(rel.parts.iter().map(|p| (vars[p], -1.0)));
            problem.add_constraint(expr.as_slice(), ComparisonOp::Eq, 0.0);
        }
        match problem.solve() {
            Ok(outcome) => match outcome.into_solution() {
                Ok(s) => Ok(s.objective()),
                Err(_) => Err(Error::new(
                    Code::InvalidSpec,
                    "the disclosure audit's linear programme did not finish",
                )),
            },
            Err(microlp::Error::Unbounded) => Ok(f64::INFINITY),
            Err(e) => Err(Error::new(
                Code::InvalidSpec,
                format!("the disclosure audit's linear programme failed: {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([
            ("cohort".to_string(), vec!["a".to_string(), "b".to_string()]),
            ("x".to_string(), vec!["1".into(), "2".into(), "3".into()]),
        ])
    }

    /// A 2 × 3 table with margins: one suppressed cell alone in its row is exact;
    /// four suppressed cells in a rectangle move together.
    #[test]
    fn a_lone_suppression_is_exact_and_a_rectangle_is_not() {
        let counts: BTreeMap<(String, String), u64> = [
            (("a", "1"), 3),
            (("a", "2"), 20),
            (("a", "3"), 30),
            (("b", "1"), 15),
            (("b", "2"), 4),
            (("b", "3"), 40),
        ]
        .into_iter()
        .map(|((c, x), n)| ((c.to_string(), x.to_string()), n))
        .collect();
        let count = |k: &Key| -> u64 {
            counts
                .iter()
                .filter(|((c, x), _)| {
                    k.get("cohort").is_none_or(|s| s.contains(c))
                        && k.get("x").is_none_or(|s| s.contains(x))
                })
                .map(|(_, n)| n)
                .sum()
        };
        let mut m = Model::new(domains());
        let xs: Vec<Vec<String>> = ["1", "2", "3"]
            .iter()
            .map(|v| vec![v.to_string()])
            .collect();
        let mut cells = Vec::new();
        for c in ["a", "b"] {
            let parent = key([("cohort", vec![c.to_string()])]);
            let parts = m.partition(&parent, "x", &xs, &count);
            cells.push(parts);
        }
        let all = Key::new();
        let totals = m.partition(
            &all,
            "cohort",
            &[vec!["a".into()], vec!["b".into()]],
            &count,
        );
        for x in &xs {
            m.partition(
                &key([("x", x.clone())]),
                "cohort",
                &[vec!["a".into()], vec!["b".into()]],
                &count,
            );
        }
        for i in 0..m.cells.len() {
            m.output(i, false);
        }
        let a1 = cells[0][0].unwrap();
        m.cells[a1].status = Status::Suppressed("threshold".into());
        let r = m.range(a1).unwrap();
        assert!(
            (r.lower - 3.0).abs() < 1e-9 && (r.upper - 3.0).abs() < 1e-9,
            "{r:?}"
        );
        // Suppress a1, a2, b1, b2: with a1 = t, the published margins give a2 = 23 − t,
        // b1 = 18 − t, b2 = 1 + t, all non-negative for t ∈ [0, 18].
        let a2 = cells[0][1].unwrap();
        let b1 = cells[1][0].unwrap();
        let b2 = cells[1][1].unwrap();
        for c in [a2, b1, b2] {
            m.cells[c].status = Status::Suppressed("secondary".into());
        }
        let r = m.range(a1).unwrap();
        assert!(
            (r.lower - 0.0).abs() < 1e-9 && (r.upper - 18.0).abs() < 1e-9,
            "{r:?}"
        );
        assert!(totals.iter().all(|t| t.is_some()));
    }
}
