// Pure adapters from engine responses to chart and table input. No statistics here:
// the engine computed every number; these only reshape them for Observable Plot.

/**
 * Step rows of Kaplan–Meier curves for Plot: one row per time, plus the start of each
 * curve at time 0 where S = 1 by definition. Missing limits stay null (Plot leaves a gap).
 */
export function survivalSteps(response) {
  return response.curves.flatMap((curve) => {
    const group = curve.group ?? "all";
    const start = { group, time: 0, survival: 1, lower: 1, upper: 1 };
    const steps = curve.time.map((time, i) => ({
      group,
      time,
      survival: curve.survival[i],
      lower: curve.lower[i],
      upper: curve.upper[i],
    }));
    return [start, ...steps];
  });
}

/** One row per group with its median and interval (null: not reached). */
export function medianRows(response) {
  return response.curves.map((curve) => ({
    group: curve.group ?? "all",
    atRiskAtStart: curve.n_risk[0] ?? 0,
    median: curve.median.estimate,
    lower: curve.median.lower,
    upper: curve.median.upper,
  }));
}
