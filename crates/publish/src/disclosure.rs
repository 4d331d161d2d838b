//! The disclosure rules and their audit.
//!
//! 1. **Threshold** (primary): a printed count in 1..k−1, or a zero the spec declares
//!    disclosive, is withheld.
//! 2. **Secondary suppression**: every withheld or hidden count that needs protection
//!    (value in 1..k−1, or a disclosive zero) must have a feasible range, computed by
//!    linear programming from everything printed, at least `protection` wide. While
//!    one does not, the printed cell that costs least (its value times the number of
//!    relations it is in) among those sharing a relation with it — or, failing that,
//!    reachable through hidden cells — is withheld too. Withholding only widens
//!    ranges, so a cell found protected stays protected.
//! 3. **The audit**: the final feasible range of every cell that needs protection.

use crate::audit::{Model, Range, Status};
use sibstat_core::error::Result;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// One cell's audit.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Cell index.
    pub cell: usize,
    /// Feasible range from everything printed.
    pub range: Range,
    /// Whether the range is at least the protection width.
    pub protected: bool,
}

/// What the rules did.
#[derive(Debug, Clone, Default)]
pub struct Disclosure {
    /// Cells withheld by the threshold rule.
    pub primary: Vec<usize>,
    /// Cells withheld to protect others: (cell, the cell it protects).
    pub secondary: Vec<(usize, usize)>,
    /// The final audit of every cell that needs protection.
    pub audit: Vec<AuditEntry>,
}

fn protected(range: &Range, protection: u64) -> bool {
    range.upper - range.lower >= protection as f64 - 1e-7
}

/// Applies the rules to the model's printed cells and audits the result.
pub fn apply(model: &mut Model, k: u64, protection: u64) -> Result<Disclosure> {
    let mut d = Disclosure::default();
    for i in 0..model.cells.len() {
        let c = &model.cells[i];
        if c.is_output && ((c.value >= 1 && c.value < k) || (c.value == 0 && c.zero_disclosive)) {
            model.cells[i].status = Status::Suppressed("threshold".into());
            d.primary.push(i);
        }
    }
    let relations_of = {
        let mut r: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (j, rel) in model.relations.iter().enumerate() {
            r.entry(rel.total).or_default().push(j);
            for &p in &rel.parts {
                r.entry(p).or_default().push(j);
            }
        }
        r
    };
    let sensitive: Vec<usize> = (0..model.cells.len())
        .filter(|&i| model.is_sensitive(i, k))
        .collect();
    let mut done: BTreeSet<usize> = BTreeSet::new();
    let mut ranges: BTreeMap<usize, Range> = BTreeMap::new();
    let mut unprotectable: BTreeSet<usize> = BTreeSet::new();
    loop {
        let mut next = None;
        for &i in &sensitive {
            if done.contains(&i) || unprotectable.contains(&i) {
                continue;
            }
            let r = model.range(i)?;
            ranges.insert(i, r);
            if protected(&r, protection) {
                done.insert(i);
            } else {
                next = Some(i);
                break;
            }
        }
        let Some(target) = next else { break };
        match helpful_neighbour(model, &relations_of, target, ranges[&target])? {
            Some(c) => {
                model.cells[c].status = Status::Suppressed("secondary".into());
                d.secondary.push((c, target));
            }
            None => {
                unprotectable.insert(target);
            }
        }
    }
    for &i in &sensitive {
        let range = match ranges.get(&i) {
            Some(r) if done.contains(&i) => *r,
            _ => model.range(i)?,
        };
        d.audit.push(AuditEntry {
            cell: i,
            range,
            protected: protected(&range, protection),
        });
    }
    Ok(d)
}

/// The printed cell to withhold for `target`: of the [`CANDIDATES`] cheapest (see
/// [`candidates`]), the first whose withholding widens the target's range; the
/// cheapest if none does on its own.
fn helpful_neighbour(
    model: &mut Model,
    relations_of: &BTreeMap<usize, Vec<usize>>,
    target: usize,
    now: Range,
) -> Result<Option<usize>> {
    let list = candidates(model, relations_of, target);
    for &c in list.iter().take(CANDIDATES) {
        let saved = std::mem::replace(
            &mut model.cells[c].status,
            Status::Suppressed("trial".into()),
        );
        let r = model.range(target)?;
        model.cells[c].status = saved;
        if r.upper - r.lower > now.upper - now.lower + 1e-7 {
            return Ok(Some(c));
        }
    }
    Ok(list.first().copied())
}

/// How many candidates are tried for each cell to protect.
pub const CANDIDATES: usize = 12;

/// Printed cells within [`SEARCH_DEPTH`] relations of `target` (crossing only
/// unprinted cells), cheapest first: cost = value × (1 + relations it is in) ×
/// distance, so a cohort's total, in every table, comes last.
fn candidates(
    model: &Model,
    relations_of: &BTreeMap<usize, Vec<usize>>,
    target: usize,
) -> Vec<usize> {
    let cost = |c: usize| {
        let n = relations_of.get(&c).map_or(0, Vec::len) as u64;
        model.cells[c].value.max(1) * (1 + n)
    };
    let mut seen = BTreeSet::from([target]);
    let mut frontier = VecDeque::from([target]);
    let mut found: Vec<(u64, usize)> = Vec::new();
    for depth in 1..=SEARCH_DEPTH {
        let mut next = VecDeque::new();
        for c in frontier {
            for &r in relations_of.get(&c).into_iter().flatten() {
                let rel = &model.relations[r];
                for &x in std::iter::once(&rel.total).chain(&rel.parts) {
                    if !seen.insert(x) {
                        continue;
                    }
                    match model.cells[x].status {
                        Status::Published => found.push((cost(x) * depth, x)),
                        _ => next.push_back(x),
                    }
                }
            }
        }
        frontier = next;
    }
    found.sort_unstable();
    found.into_iter().map(|(_, c)| c).collect()
}

/// How many relations away secondary suppression looks for a cell to withhold.
pub const SEARCH_DEPTH: u64 = 4;
