// Pure adapters from the engine's generic responses to chart rows. No statistics: every
// number is the engine's; these only reshape (and look up the engine's own numbers).
import { survivalSteps } from "../adapters.js";

const at = (array, i) => (Array.isArray(array) ? (array[i] ?? null) : null);

/** Kaplan–Meier curves as chart rows {series, time, estimate, lower, upper} (the report's survivalSteps). */
export function kaplanMeierRows(response) {
  return survivalSteps(response).map((r) => ({ series: r.group, time: r.time, estimate: r.survival, lower: r.lower, upper: r.upper }));
}

/** Cumulative incidence per group and cause, starting at 0 at time 0. `name(group, cause)` labels a series. */
export function incidenceRows(response, name) {
  return response.curves.flatMap((curve) =>
    curve.causes.flatMap((c) => {
      const series = name(curve.group, c.cause);
      return [
        { series, time: 0, estimate: 0, lower: null, upper: null },
        ...curve.time.map((time, i) => ({ series, time, estimate: c.cif[i], lower: at(c.lower, i), upper: at(c.upper, i) })),
      ];
    }),
  );
}

/** The actuarial survival at the start of each interval, per group. */
export function lifeTableRows(response, allLabel) {
  return response.tables.flatMap((table) =>
    table.start.map((time, i) => ({ series: table.group ?? allLabel, time, estimate: table.survival[i], lower: at(table.lower, i), upper: at(table.upper, i) })),
  );
}

/** A logit's marginal effects as forest rows. */
export function forestRows(response) {
  return response.marginal_effects.map((m) => ({ term: m.term, estimate: m.dydx, lower: m.lower, upper: m.upper }));
}

/**
 * The numbers at risk at chosen times, read off the engine's table: at time t, the
 * engine's n_risk at its first time ≥ t (everyone still under observation at t), and
 * 0 after its last time. Returns [{group, n: [..]}] aligned with `times`.
 */
export function atRiskAt(response, times) {
  return response.curves.map((curve) => ({
    group: curve.group,
    n: times.map((t) => {
      const i = curve.time.findIndex((x) => x >= t);
      return i < 0 ? 0 : curve.n_risk[i];
    }),
  }));
}

/**
 * Round times from 0 to `max` for an axis, an at-risk row or default breaks: about
 * `count` steps of 1, 2 or 5 × a power of ten (as chart axes choose their ticks).
 */
export function roundTimes(max, count) {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / power;
  const step = power * (ratio >= 7.07 ? 10 : ratio >= 3.16 ? 5 : ratio >= 1.41 ? 2 : 1);
  const times = [];
  // Whole multiples of the step, rounded so 0.1 + 0.2 does not show as 0.30000000000000004.
  for (let i = 0; i * step <= max * (1 + 1e-12); i++) times.push(Number((i * step).toPrecision(12)));
  return times;
}
