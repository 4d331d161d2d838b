//! Individual data reconstructed from a published Kaplan–Meier curve: the algorithm of
//! Guyot, Ades, Ouwens and Welton (2012), "Enhanced secondary analysis of survival
//! data: reconstructing the data from published Kaplan-Meier survival curves", BMC
//! Medical Research Methodology 12:9.
//!
//! Input: the digitised curve (times and survival probabilities), the numbers at risk
//! printed under the figure, and optionally the total number of events. Output: one
//! row per distinct (time, status) with its count, whose Kaplan–Meier curve follows
//! the digitised one and whose numbers at risk match the printed ones.
//!
//! The algorithm follows the authors' published R code step by step, with R's
//! rounding (half to even). Within each interval between printed numbers at risk, the
//! number censored is adjusted until the reconstructed number at risk at the next
//! printed time agrees; censorings are spread evenly in time over the interval; the
//! events at each digitised point are those that make the reconstructed curve follow
//! the digitised one. In the last interval the censoring rate is that of the earlier
//! intervals, adjusted to the total number of events when it is given.
//!
//! One deviation from the published code: its adjustment loop can stop with a number
//! censored that differs from the censorings it placed (it sets the count to zero and
//! exits), which loses a person from the next printed number at risk; here the
//! placement is redone until the two agree.
//!
//! Preprocessing (each a documented convention, reported as a warning where it changes
//! the input): a point (0, 1) is added when the curve does not start at time 0; of
//! several points at one time (the corners of a vertical drop) the lowest is kept;
//! a curve that rises (digitisation error) is made non-increasing by carrying the
//! running minimum; a point is added at every printed at-risk time (the curve's value
//! there), so that every interval holds at least one point. Loops that the published
//! code leaves unbounded stop after [`MAX_ADJUSTMENTS`] rounds with a warning.

use super::SurvivalData;
use crate::error::{Code, Error, Result, Warning, WarningCode};
use serde::Serialize;

/// Cap on the censoring-adjustment loops of one interval.
pub const MAX_ADJUSTMENTS: usize = 10_000;

/// Validated input of the reconstruction.
#[derive(Debug, Clone, PartialEq)]
pub struct GuyotInput {
    /// Digitised times, non-decreasing, ≥ 0.
    pub time: Vec<f64>,
    /// Digitised survival probabilities in [0, 1].
    pub survival: Vec<f64>,
    /// Times of the printed numbers at risk, strictly increasing, the first 0.
    pub risk_time: Vec<f64>,
    /// Printed numbers at risk, whole, non-increasing, the first positive.
    pub risk_n: Vec<u64>,
    /// Total number of events, if published.
    pub total_events: Option<u64>,
}

fn curve_error(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidCurve, message)
}

fn risk_error(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidAtRisk, message)
}

fn whole(name: &str, i: usize, v: Option<f64>) -> Result<u64> {
    let v = v.filter(|v| v.is_finite()).ok_or_else(|| {
        Error::new(
            Code::NonFiniteValue,
            format!("{name}[{i}] is missing, NaN or infinite"),
        )
    })?;
    if v < 0.0 {
        return Err(Error::new(
            Code::NegativeCount,
            format!("{name}[{i}] is {v}: give a count of zero or more"),
        ));
    }
    if v.fract() != 0.0 || v > 1e9 {
        return Err(Error::new(
            Code::FractionalCount,
            format!("{name}[{i}] is {v}: give a whole number (at most 10^9)"),
        ));
    }
    Ok(v as u64)
}

impl GuyotInput {
    /// Validates the input; every problem is a coded error naming the entry.
    pub fn new(
        time: Vec<Option<f64>>,
        survival: Vec<Option<f64>>,
        risk_time: Vec<Option<f64>>,
        risk_n: Vec<Option<f64>>,
        total_events: Option<Option<f64>>,
    ) -> Result<GuyotInput> {
        if time.is_empty() {
            return Err(Error::new(
                Code::EmptyData,
                "curve.time is empty: give the digitised points of the curve",
            ));
        }
        super::check_len("curve.survival", survival.len(), time.len())?;
        if risk_time.is_empty() {
            return Err(Error::new(
                Code::EmptyData,
                "at_risk.time is empty: give at least the number at risk at time 0",
            ));
        }
        super::check_len("at_risk.n", risk_n.len(), risk_time.len())?;
        let time = super::finite_values("curve.time", time)?;
        let survival = super::finite_values("curve.survival", survival)?;
        let risk_time = super::finite_values("at_risk.time", risk_time)?;
        if let Some(i) = time.iter().position(|&t| t < 0.0) {
            return Err(Error::new(
                Code::NegativeTime,
                format!("curve.time[{i}] is {}: times must be zero or more", time[i]),
            ));
        }
        if let Some(i) = time.windows(2).position(|w| w[1] < w[0]) {
            return Err(curve_error(format!(
                "curve.time[{}] is {} after {}: give the points in time order",
                i + 1,
                time[i + 1],
                time[i]
            )));
        }
        if let Some(i) = survival.iter().position(|&s| !(0.0..=1.0).contains(&s)) {
            return Err(curve_error(format!(
                "curve.survival[{i}] is {}: survival probabilities lie between 0 and 1 (divide percentages by 100)",
                survival[i]
            )));
        }
        if risk_time[0] != 0.0 {
            return Err(risk_error(format!(
                "at_risk.time[0] is {}: the first number at risk must be at time 0",
                risk_time[0]
            )));
        }
        if let Some(i) = risk_time.windows(2).position(|w| w[1] <= w[0]) {
            return Err(risk_error(format!(
                "at_risk.time[{}] is not after at_risk.time[{i}]: times must increase strictly",
                i + 1
            )));
        }
        let last_time = time[time.len() - 1];
        if let Some(i) = risk_time.iter().position(|&t| t > last_time) {
            return Err(risk_error(format!(
                "at_risk.time[{i}] is {} beyond the curve's last point at {last_time}: drop it or extend the curve",
                risk_time[i]
            )));
        }
        let risk_n = risk_n
            .into_iter()
            .enumerate()
            .map(|(i, v)| whole("at_risk.n", i, v))
            .collect::<Result<Vec<u64>>>()?;
        if risk_n[0] == 0 {
            return Err(risk_error(
                "at_risk.n[0] is 0: nobody is at risk at the start",
            ));
        }
        if let Some(i) = risk_n.windows(2).position(|w| w[1] > w[0]) {
            return Err(risk_error(format!(
                "at_risk.n[{}] = {} exceeds at_risk.n[{i}] = {}: numbers at risk cannot grow",
                i + 1,
                risk_n[i + 1],
                risk_n[i]
            )));
        }
        let total_events = match total_events {
            None => None,
            Some(v) => Some(whole("total_events", 0, v)?),
        };
        if let Some(e) = total_events {
            if e > risk_n[0] {
                return Err(risk_error(format!(
                    "total_events ({e}) exceeds the number at risk at time 0 ({})",
                    risk_n[0]
                )));
            }
        }
        Ok(GuyotInput {
            time,
            survival,
            risk_time,
            risk_n,
            total_events,
        })
    }
}

/// The reconstructed numbers at risk against the printed ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtRiskFit {
    /// Printed time.
    pub time: f64,
    /// Printed number at risk.
    pub given: u64,
    /// Number at risk in the reconstruction (those with a time ≥ the printed time).
    pub reconstructed: f64,
}

/// How well the reconstruction reproduces its input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuyotFit {
    /// Largest |KM of the reconstruction − digitised survival| over the digitised points.
    pub max_abs_survival_error: f64,
    /// Mean of the same.
    pub mean_abs_survival_error: f64,
    /// Numbers at risk, printed and reconstructed.
    pub at_risk: Vec<AtRiskFit>,
    /// Total events given (if any).
    pub total_events_given: Option<u64>,
    /// Total events in the reconstruction.
    pub total_events_reconstructed: u64,
}

/// The reconstruction: individual rows (aggregated by time and status) and the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guyot {
    /// Rows `time`, `status` (1 event, 0 censored), `count`.
    pub data: GuyotRows,
    /// Individuals.
    pub n: u64,
    /// Events.
    pub events: u64,
    /// Censorings.
    pub censored: u64,
    /// Fit diagnostics.
    pub fit: GuyotFit,
    /// Non-fatal problems and conventions applied.
    pub warnings: Vec<Warning>,
}

/// Aggregated individual rows, ready as `data` of any survival analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuyotRows {
    /// Time of event or censoring.
    pub time: Vec<f64>,
    /// 1 = event, 0 = censored.
    pub status: Vec<u32>,
    /// Individuals per row.
    pub count: Vec<u64>,
}

impl GuyotRows {
    /// The rows as validated survival data.
    pub fn to_survival_data(&self) -> Result<SurvivalData> {
        SurvivalData::new(
            self.time.iter().map(|&t| Some(t)).collect(),
            self.status.iter().map(|&s| Some(f64::from(s))).collect(),
            Some(self.count.iter().map(|&c| Some(c as f64)).collect()),
            None,
        )
    }
}

/// R's `round`: half to even.
fn round(x: f64) -> i64 {
    x.round_ties_even() as i64
}

/// Prepared curve: strictly increasing times from 0, non-increasing survival, with a
/// point at every at-risk time.
fn prepare(input: &GuyotInput, warnings: &mut Vec<Warning>) -> (Vec<f64>, Vec<f64>) {
    let mut points: Vec<(f64, f64)> = input
        .time
        .iter()
        .copied()
        .zip(input.survival.iter().copied())
        .collect();
    if points[0].0 > 0.0 {
        warnings.push(Warning::new(
            WarningCode::CurveStartAdded,
            "the curve does not start at time 0: the point (0, 1) was added",
        ));
        points.insert(0, (0.0, 1.0));
    }
    // Running minimum: a digitised curve that rises is read as flat.
    let mut rises = 0;
    let mut low = f64::INFINITY;
    for p in points.iter_mut() {
        if p.1 > low {
            rises += 1;
            p.1 = low;
        }
        low = low.min(p.1);
    }
    if rises > 0 {
        warnings.push(Warning::new(
            WarningCode::CurveNotMonotone,
            format!("{rises} digitised points lay above an earlier point and were lowered to it"),
        ));
    }
    let mut t: Vec<f64> = Vec::new();
    let mut s: Vec<f64> = Vec::new();
    for (ti, si) in points {
        match t.last() {
            // Several points at one time: keep the lowest (after a vertical drop).
            Some(&last) if last == ti => {
                let n = s.len() - 1;
                s[n] = s[n].min(si);
            }
            _ => {
                t.push(ti);
                s.push(si);
            }
        }
    }
    for &rt in &input.risk_time {
        if let Err(pos) = t.binary_search_by(|x| x.total_cmp(&rt)) {
            // The step value just before rt (the point is inside the curve's range).
            let value = if pos == 0 { 1.0 } else { s[pos - 1] };
            t.insert(pos, rt);
            s.insert(pos, value);
        }
    }
    (t, s)
}

/// Evenly spaced censoring times over (a, b), binned on the breaks `t[from..=to]` as
/// R's `hist` (right-closed bins, the first one closed on the left too).
fn spread(t: &[f64], from: usize, to: usize, n: i64, cen: &mut [i64]) {
    for c in cen.iter_mut().take(to).skip(from) {
        *c = 0;
    }
    if n <= 0 || to <= from {
        return;
    }
    let (a, b) = (t[from], t[to]);
    for j in 1..=n {
        let x = a + j as f64 * (b - a) / (n + 1) as f64;
        // First break index m in (from, to] with x <= t[m]: bin m − 1.
        let m = (from + 1..=to).find(|&m| x <= t[m]).unwrap_or(to);
        cen[m - 1] += 1;
    }
}

/// Reconstructs individual data from a digitised Kaplan–Meier curve (see the module
/// documentation).
pub fn guyot(input: &GuyotInput) -> Result<Guyot> {
    let mut warnings = Vec::new();
    let (t, s) = prepare(input, &mut warnings);
    let nk = t.len();
    let nint = input.risk_time.len();
    let mut n_risk: Vec<i64> = input.risk_n.iter().map(|&n| n as i64).collect();
    // lower[i]: the point at the i-th at-risk time; upper[i]: the last point before
    // the next one (the last point of the curve for the last interval).
    let lower: Vec<usize> = input
        .risk_time
        .iter()
        .map(|&rt| t.iter().position(|&x| x >= rt).unwrap_or(nk - 1))
        .collect();
    let upper: Vec<usize> = (0..nint)
        .map(|i| {
            if i + 1 < nint {
                lower[i + 1] - 1
            } else {
                nk - 1
            }
        })
        .collect();
    let mut n_censor = vec![0i64; nint];
    let mut n_hat = vec![n_risk[0] + 1; nk + 1];
    let mut cen = vec![0i64; nk];
    let mut d = vec![0i64; nk];
    let mut km_hat = vec![1.0f64; nk];
    let mut last_i = vec![0usize; nint];
    let mut capped = false;

    // Events on the points k of an interval, given its censorings; returns the index
    // of the last point with an event.
    let events = |k_from: usize,
                  k_to: usize,
                  first: bool,
                  mut last: usize,
                  n_hat: &mut [i64],
                  d: &mut [i64],
                  km_hat: &mut [f64],
                  cen: &mut [i64],
                  guard_last: bool|
     -> usize {
        for k in k_from..=k_to {
            if first && k == k_from {
                d[k] = 0;
                km_hat[k] = 1.0;
            } else {
                let dk = if km_hat[last] > 0.0 && n_hat[k] > 0 {
                    round(n_hat[k] as f64 * (1.0 - s[k] / km_hat[last]))
                } else {
                    0
                };
                // Rounding can ask for a negative number or more than are at risk.
                d[k] = dk.clamp(0, n_hat[k].max(0));
                km_hat[k] = if n_hat[k] > 0 {
                    km_hat[last] * (1.0 - d[k] as f64 / n_hat[k] as f64)
                } else {
                    km_hat[last]
                };
            }
            if !(guard_last && k == k_to) {
                n_hat[k + 1] = n_hat[k] - d[k] - cen[k];
                if n_hat[k + 1] < 0 {
                    n_hat[k + 1] = 0;
                    cen[k] = n_hat[k] - d[k];
                }
            }
            if d[k] != 0 {
                last = k;
            }
        }
        last
    };

    for i in 0..nint.saturating_sub(1) {
        let (lo, up, next) = (lower[i], upper[i], lower[i + 1]);
        n_censor[i] = if s[lo] > 0.0 {
            round(n_risk[i] as f64 * s[next] / s[lo] - n_risk[i + 1] as f64)
        } else {
            0
        };
        let mut last = last_i[i];
        let mut rounds = 0;
        // `placed`: the censorings currently spread over the interval. The published
        // code can stop with a count that differs from those placed (and so miss the
        // printed number at risk); here the placement is then redone.
        let mut placed = -1i64;
        while n_hat[next] > n_risk[i + 1]
            || (n_hat[next] < n_risk[i + 1] && n_censor[i] > 0)
            || n_censor[i].max(0) != placed
        {
            rounds += 1;
            if rounds > MAX_ADJUSTMENTS {
                capped = true;
                break;
            }
            if n_censor[i] <= 0 {
                n_censor[i] = 0;
            }
            spread(&t, lo, next, n_censor[i], &mut cen);
            placed = n_censor[i];
            n_hat[lo] = n_risk[i];
            last = events(
                lo,
                up,
                i == 0,
                last_i[i],
                &mut n_hat,
                &mut d,
                &mut km_hat,
                &mut cen,
                false,
            );
            n_censor[i] += n_hat[next] - n_risk[i + 1];
        }
        if n_hat[next] < n_risk[i + 1] {
            n_risk[i + 1] = n_hat[next];
        }
        last_i[i + 1] = last;
    }

    // The last interval: the censoring rate of the earlier intervals.
    let (lo, up) = (lower[nint - 1], upper[nint - 1]);
    n_censor[nint - 1] = if nint > 1 {
        let span = t[upper[nint - 2]] - t[lower[0]];
        let earlier: i64 = n_censor[..nint - 1].iter().sum();
        if span > 0.0 {
            round(earlier as f64 * (t[up] - t[lo]) / span).min(n_risk[nint - 1])
        } else {
            0
        }
    } else {
        0
    };
    n_censor[nint - 1] = n_censor[nint - 1].max(0);
    spread(&t, lo, up, n_censor[nint - 1], &mut cen);
    n_hat[lo] = n_risk[nint - 1];
    let mut last = events(
        lo,
        up,
        false,
        last_i[nint - 1],
        &mut n_hat,
        &mut d,
        &mut km_hat,
        &mut cen,
        false,
    );

    // With a published total, adjust the censorings of the last interval to it.
    if let Some(total) = input.total_events.map(|e| e as i64) {
        let before: i64 = if nint > 1 {
            d[..=upper[nint - 2]].iter().sum()
        } else {
            0
        };
        if nint > 1 && before >= total {
            for dk in d.iter_mut().take(up + 1).skip(lo) {
                *dk = 0;
            }
            for c in cen.iter_mut().take(up).skip(lo) {
                *c = 0;
            }
            for n in n_hat.iter_mut().take(up + 2).skip(lo + 1) {
                *n = n_risk[nint - 1];
            }
        } else {
            let mut sum_d: i64 = d[..=up].iter().sum();
            let mut rounds = 0;
            while sum_d > total || (sum_d < total && n_censor[nint - 1] > 0) {
                rounds += 1;
                if rounds > MAX_ADJUSTMENTS {
                    capped = true;
                    break;
                }
                n_censor[nint - 1] = (n_censor[nint - 1] + sum_d - total).max(0);
                spread(&t, lo, up, n_censor[nint - 1], &mut cen);
                n_hat[lo] = n_risk[nint - 1];
                last = events(
                    lo,
                    up,
                    false,
                    last_i[nint - 1],
                    &mut n_hat,
                    &mut d,
                    &mut km_hat,
                    &mut cen,
                    true,
                );
                let new_sum: i64 = d[..=up].iter().sum();
                // With no censoring left to remove, the total cannot be reached.
                if new_sum == sum_d && n_censor[nint - 1] == 0 {
                    break;
                }
                sum_d = new_sum;
            }
        }
    }
    let _ = last;
    if capped {
        warnings.push(Warning::new(
            WarningCode::NotConverged,
            format!("a censoring adjustment did not settle within {MAX_ADJUSTMENTS} rounds"),
        ));
    }

    // Individual rows: events at the points, censorings midway to the next point,
    // everyone left censored at the last point.
    let n0 = input.risk_n[0] as i64;
    let mut rows: Vec<(f64, u32, i64)> = Vec::new();
    for k in 0..nk {
        if d[k] > 0 {
            rows.push((t[k], 1, d[k]));
        }
    }
    for k in 0..nk.saturating_sub(1) {
        if cen[k] > 0 {
            rows.push(((t[k] + t[k + 1]) / 2.0, 0, cen[k]));
        }
    }
    let used: i64 = rows.iter().map(|r| r.2).sum();
    let rest = n0 - used;
    if rest < 0 {
        return Err(Error::new(
            Code::InvalidCurve,
            format!(
                "the curve and the numbers at risk are inconsistent: the reconstruction needs {used} individuals but only {n0} are at risk at time 0"
            ),
        ));
    }
    if rest > 0 {
        rows.push((t[nk - 1], 0, rest));
    }
    crate::order::sort_by(&mut rows, |a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    // Merge rows of the same time and status.
    let mut data = GuyotRows {
        time: Vec::new(),
        status: Vec::new(),
        count: Vec::new(),
    };
    for (time, status, count) in rows {
        let n = data.time.len();
        if n > 0 && data.time[n - 1] == time && data.status[n - 1] == status {
            data.count[n - 1] += count as u64;
        } else {
            data.time.push(time);
            data.status.push(status);
            data.count.push(count as u64);
        }
    }
    let events_total: u64 = data
        .count
        .iter()
        .zip(&data.status)
        .filter(|(_, &s)| s == 1)
        .map(|(c, _)| c)
        .sum();
    let fit = diagnostics(input, &data, events_total)?;
    if let Some(given) = input.total_events {
        if given != events_total {
            warnings.push(Warning::new(
                WarningCode::TotalEventsDiffer,
                format!("the reconstruction has {events_total} events, the input says {given}"),
            ));
        }
    }
    Ok(Guyot {
        n: input.risk_n[0],
        events: events_total,
        censored: input.risk_n[0] - events_total,
        data,
        fit,
        warnings,
    })
}

/// Kaplan–Meier of the rows at the digitised points, and the numbers at risk.
fn diagnostics(input: &GuyotInput, rows: &GuyotRows, events: u64) -> Result<GuyotFit> {
    let data = rows.to_survival_data()?;
    let km = super::kaplan_meier(&data, &super::KaplanMeierOptions::default())?;
    let curve = km
        .curves
        .first()
        .ok_or_else(|| Error::new(Code::EmptyData, "no curve"))?;
    let errors: Vec<f64> = input
        .time
        .iter()
        .zip(&input.survival)
        .map(|(&ti, &si)| (curve.survival_at(ti) - si).abs())
        .collect();
    let max = errors.iter().copied().fold(0.0, f64::max);
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    let at_risk = input
        .risk_time
        .iter()
        .zip(&input.risk_n)
        .map(|(&rt, &n)| AtRiskFit {
            time: rt,
            given: n,
            reconstructed: rows
                .time
                .iter()
                .zip(&rows.count)
                .filter(|(&x, _)| x >= rt)
                .fold(0.0, |acc, (_, &c)| acc + c as f64),
        })
        .collect();
    Ok(GuyotFit {
        max_abs_survival_error: max,
        mean_abs_survival_error: mean,
        at_risk,
        total_events_given: input.total_events,
        total_events_reconstructed: events,
    })
}
