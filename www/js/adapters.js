// Pure adapters from the engine's `joining_forces` response to chart and table input.
// No statistics: every number is the engine's; these only reshape (and Plot stacks the
// two cumulative incidences, which is drawing, not estimation). Tested in node by
// snapshot of their output (tests/e2e/adapters.test.mjs).

const at = (array, i) => (Array.isArray(array) ? (array[i] ?? null) : null);

/** The engine's Aalen–Johansen curve of the duration section (cause 1 success, 2 other outflow). */
function incidenceCurve(duration) {
  return duration.cumulative_incidence.result.curves[0];
}

function cause(curve, code) {
  return curve.causes.find((c) => c.cause === code) ?? null;
}

/**
 * Figure 3.2 as long rows for a stacked step area: per time, one row for the success
 * cumulative incidence and one for the other outflow (Plot's stackY puts the second on
 * top of the first, which draws 1 − KM of any outflow as the top edge). The curves
 * start at 0 at time 0.
 */
export function stackedIncidence(duration) {
  const curve = incidenceCurve(duration);
  const success = cause(curve, 1);
  const other = cause(curve, 2);
  const rows = [
    { time: 0, series: "success", value: 0 },
    { time: 0, series: "failure", value: 0 },
  ];
  curve.time.forEach((time, i) => {
    rows.push({ time, series: "success", value: success ? success.cif[i] : 0 });
    rows.push({ time, series: "failure", value: other ? other.cif[i] : 0 });
  });
  return rows;
}

/** The success cumulative incidence with its pointwise interval, as {time, estimate, lower, upper} rows. */
export function successBand(duration) {
  const curve = incidenceCurve(duration);
  const success = cause(curve, 1);
  if (!success) return [];
  return [{ time: 0, estimate: 0, lower: null, upper: null }, ...curve.time.map((time, i) => ({ time, estimate: success.cif[i], lower: at(success.lower, i), upper: at(success.upper, i) }))];
}

/**
 * Any outflow with its interval, drawn as the top edge of the stack: the engine's
 * Kaplan–Meier of any outflow on a reflected axis (incidence = 1 − S, the limits
 * swapped). A change of scale for drawing, as the stack is; the estimate equals the
 * sum of the two cumulative incidences.
 */
export function anyOutflowBand(duration) {
  const curve = duration.any_outflow?.result?.curves?.[0];
  if (!curve) return [];
  const flip = (x) => (x === null || x === undefined ? null : 1 - x);
  return [{ time: 0, estimate: 0, lower: null, upper: null }, ...curve.time.map((time, i) => ({ time, estimate: flip(curve.survival[i]), lower: flip(at(curve.upper, i)), upper: flip(at(curve.lower, i)) }))];
}

/** The naive 1 − KM of success (other outflow censored), as the engine gives it. */
export function naiveCurve(duration) {
  const curve = duration.naive_one_minus_km?.curve;
  if (!curve) return [];
  return [{ time: 0, estimate: 0, lower: null, upper: null }, ...curve.time.map((time, i) => ({ time, estimate: curve.incidence[i], lower: at(curve.lower, i), upper: at(curve.upper, i) }))];
}

// Where the report's text puts its numbers of figure 3.2 on the chart: one and two
// years after entry, and the median ("just under one year") where half has flowed out.
const POINT_PLACES = {
  "fig3_2.success_1y": { time: 12, series: "success" },
  "fig3_2.success_2y": { time: 24, series: "success" },
  "fig3_2.outflow_at_median": { timeFrom: "fig3_2.median_months", series: "any" },
};

/** The published points of figure 3.2 to overlay: {id, time, value (fraction), series, approx}. */
export function publishedPoints(duration) {
  const points = duration.published_points ?? [];
  const byId = Object.fromEntries(points.map((p) => [p.id, p]));
  return points
    .filter((p) => POINT_PLACES[p.id])
    .map((p) => {
      const place = POINT_PLACES[p.id];
      const time = place.timeFrom ? byId[place.timeFrom]?.published : place.time;
      return { id: p.id, time, value: p.published / 100, series: place.series, approx: Boolean(p.approx) };
    })
    .filter((p) => p.time !== undefined && p.time !== null);
}

/** At-risk rows for the table under the chart: the engine's grid. */
export function atRiskRows(duration) {
  const a = duration.at_risk;
  if (!a) return [];
  return a.time.map((time, i) => ({ time, n_risk: a.n[i] }));
}

/** The table alternative of figure 3.2: one row per engine time with every curve. */
export function durationTable(duration) {
  const curve = incidenceCurve(duration);
  const success = cause(curve, 1);
  const other = cause(curve, 2);
  const naive = duration.naive_one_minus_km?.curve;
  const naiveAt = new Map((naive?.time ?? []).map((t, i) => [t, naive.incidence[i]]));
  return curve.time.map((time, i) => ({
    time,
    n_risk: curve.n_risk[i],
    success: success ? success.cif[i] : 0,
    success_lower: success ? at(success.lower, i) : null,
    success_upper: success ? at(success.upper, i) : null,
    failure: other ? other.cif[i] : 0,
    failure_lower: other ? at(other.lower, i) : null,
    failure_upper: other ? at(other.upper, i) : null,
    naive: naiveAt.get(time) ?? null,
  }));
}

/** Rows of a CSV: a header block of `# key: value` lines, then the columns. */
export function csvText({ header, columns, rows, lang }) {
  const separator = lang === "nl" ? ";" : ",";
  const quote = (x) => {
    const text = x === null || x === undefined ? "" : String(x);
    return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = header.map(([key, value]) => `# ${key}: ${value}`);
  lines.push(columns.map((c) => quote(c.label)).join(separator));
  for (const row of rows) lines.push(columns.map((c) => quote(c.format ? c.format(row[c.key]) : row[c.key])).join(separator));
  return `${lines.join("\r\n")}\r\n`;
}

// --- Engine responses of the generic analyses (kaplan_meier) ---

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
