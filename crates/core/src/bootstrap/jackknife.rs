//! The BCa acceleration from the jackknife over individuals, as R's
//! `empinf(type = "jack")` (`boot:::usual.jack`): the influence of individual i is
//! `L_i = (n_s − 1)(t0 − t_(−i))`, with `t_(−i)` the statistic without i and `n_s` the
//! number of individuals in i's stratum (all of them without strata).
//!
//! All individuals of a unit share one leave-one-out value, so it is computed once
//! per unit (with that unit's count lowered by one) and weighted by the unit's count:
//! the cost grows with the units, not with the individuals.

use super::resample::Units;

/// The jackknife influence values of each statistic: `influence[s][u]` for statistic
/// `s` and unit `u` (0 for units without individuals), `None` for a statistic
/// undefined on some leave-one-out sample. `evaluate(counts, out)` writes every
/// statistic for the given unit counts, NaN where undefined.
pub fn influence(
    units: &Units,
    t0: &[f64],
    mut evaluate: impl FnMut(&[f64], &mut [f64]),
) -> Vec<Option<Vec<f64>>> {
    let n_stats = t0.len();
    let mut out: Vec<Option<Vec<f64>>> = vec![Some(vec![0.0; units.len()]); n_stats];
    let mut counts = units.counts.clone();
    let mut values = vec![0.0; n_stats];
    for stratum in &units.strata {
        let n_s: f64 = stratum.iter().map(|&u| units.counts[u]).sum();
        for &u in stratum {
            if units.counts[u] <= 0.0 || n_s <= 1.0 {
                continue;
            }
            counts[u] -= 1.0;
            evaluate(&counts, &mut values);
            counts[u] += 1.0;
            for (s, column) in out.iter_mut().enumerate() {
                let undefined = !values[s].is_finite();
                if let Some(l) = column {
                    if undefined {
                        *column = None;
                    } else {
                        l[u] = (n_s - 1.0) * (t0[s] - values[s]);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootstrap::intervals::acceleration;

    // Hand computation for the mean of 1, 2, 2, 7 (rows 1, 2 ×2, 7): t0 = 3,
    // t_(−i) = (12 − x_i)/3, L_i = 3 (3 − (12 − x_i)/3) = x_i − 3: −2, −1, −1, 4.
    #[test]
    fn mean_influence_is_the_centred_value() {
        let values = [1.0, 2.0, 7.0];
        let units = Units::unstratified(vec![1.0, 2.0, 1.0]);
        let mean = |c: &[f64], out: &mut [f64]| {
            let n: f64 = c.iter().sum();
            out[0] = values.iter().zip(c).map(|(v, c)| v * c).sum::<f64>() / n;
        };
        let l = influence(&units, &[3.0], mean)[0].clone().unwrap();
        for (l, expected) in l.iter().zip([-2.0, -1.0, 4.0]) {
            assert!((l - expected).abs() < 1e-14, "{l} vs {expected}");
        }
        // a = (−8 − 2 + 64) / (6 · (4 + 2 + 16)^1.5)
        let a = acceleration(&l, &units.counts).unwrap();
        assert!((a - 54.0 / (6.0 * crate::math::powf(22.0, 1.5))).abs() < 1e-14);
    }
}
