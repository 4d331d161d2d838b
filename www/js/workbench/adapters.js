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
