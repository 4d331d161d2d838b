// Pure adapters from the engine's `joining_forces` response to chart and table input.
// No statistics: every number is the engine's; these only reshape (and Plot stacks the
// two cumulative incidences, which is drawing, not estimation). Tested in node by
// snapshot of their output (tests/e2e/adapters.test.mjs).

/** The value of a number that may come as {value, tier, source} or bare. */
export function valueOf(x) {
  if (x === null || x === undefined) return null;
  if (typeof x === "object" && "value" in x) return x.value;
  return x;
}

/** The tier of a number given as {value, tier}, else the fallback. */
export function tierOf(x, fallback) {
  return (x && typeof x === "object" && x.tier) || fallback;
}

const at = (array, i) => (Array.isArray(array) ? (array[i] ?? null) : null);

/**
 * Figure 3.2 as long rows for a stacked step area: per time, one row for the success
 * cumulative incidence and one for the non-success one (Plot's stackY puts the second
 * on top of the first). Curve 0 at time 0 is the engine's first row if it gives one.
 */
export function stackedIncidence(duration) {
  const c = duration.cif;
  const rows = [];
  c.time.forEach((time, i) => {
    rows.push({ time, series: "success", value: c.success.estimate[i] });
    rows.push({ time, series: "failure", value: c.failure.estimate[i] });
  });
  return rows;
}

/** A confidence band of one cause (or of any outflow) as {time, lower, upper} rows; null limits kept (Plot leaves a gap). */
export function band(duration, key) {
  const c = key === "naive" ? duration.naive : key === "any" ? duration.any : duration.cif[key];
  if (!c) return [];
  const time = c.time ?? duration.cif.time;
  return time.map((t, i) => ({ time: t, estimate: at(c.estimate, i), lower: at(c.lower, i), upper: at(c.upper, i) }));
}

/** The published points of figure 3.2 (the text's ≈40 % at 1 year, ≈55 % at 2, 41 % / 9 % at the median). */
export function publishedPoints(duration) {
  return (duration.published_points ?? []).map((p) => ({
    id: p.id,
    time: p.time,
    value: p.value,
    series: p.series,
    approx: Boolean(p.approx),
    fitted: p.fitted ?? null,
  }));
}

/** The payment targets of box 1 as points {time, value, id}. */
export function targetPoints(duration) {
  return (duration.targets ?? []).map((x) => ({ id: x.id, time: x.time, value: x.value }));
}

/** At-risk rows for the table under the chart: the engine's chosen times. */
export function atRiskRows(duration) {
  const a = duration.at_risk;
  if (!a) return [];
  return a.time.map((time, i) => ({ time, n_risk: a.n_risk[i], success: at(a.success, i), failure: at(a.failure, i) }));
}

/** The table alternative of figure 3.2: one row per engine time with every curve. */
export function durationTable(duration) {
  const c = duration.cif;
  return c.time.map((time, i) => ({
    time,
    success: c.success.estimate[i],
    success_lower: at(c.success.lower, i),
    success_upper: at(c.success.upper, i),
    failure: c.failure.estimate[i],
    failure_lower: at(c.failure.lower, i),
    failure_upper: at(c.failure.upper, i),
    naive: duration.naive ? at(duration.naive.estimate, i) : null,
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
