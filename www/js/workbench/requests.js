// The engine's request for the reader's choices: the analysis, its options (as typed),
// the mapped columns of the table. The request is shown as it is sent, so that
// `sibstat analyse request.json` reproduces every number.
import { roundTimes } from "./adapters.js";
import { TableProblem, covariateColumns, covariateValues, effectiveMapping, engineData, familyOf, parseNumber } from "./table.js";

/** A number typed in an option: the decimal comma or point. */
export function optionNumber(text) {
  const s = String(text ?? "").trim();
  if (s === "") return null;
  return parseNumber(s, s.includes(",") && !s.includes(".") ? "comma" : "point");
}

function confLevel(options) {
  const x = optionNumber(options.conf_level);
  if (x === null) throw new TableProblem("problem.option", { option: "conf_level", value: options.conf_level });
  return x;
}

function numberOption(options, key) {
  const x = optionNumber(options[key]);
  if (x === null && String(options[key] ?? "").trim() !== "") throw new TableProblem("problem.option", { option: key, value: options[key] });
  return x;
}

/** The breaks of a life table as typed ("0 10 20" or "0; 10; 20"), else nice breaks over the times. */
export function lifeTableBreaks(options, times) {
  const typed = String(options.breaks ?? "").trim();
  if (typed) {
    return typed.split(/[\s;]+/).filter(Boolean).map((part) => {
      const x = optionNumber(part);
      if (x === null) throw new TableProblem("problem.option", { option: "breaks", value: part });
      return x;
    });
  }
  return roundTimes(Math.max(...times), 8);
}

/** Terms of a logit as typed, else the covariates. */
export function logitTerms(options, covariates) {
  const typed = String(options.terms ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return typed.length ? typed : covariates;
}

/**
 * Everything the page needs to ask the engine: {request, family, mapping, covariates,
 * columns (the preview: name → values)}. Throws a located TableProblem.
 */
export function buildRequest(state, table, { statistics } = {}) {
  const { analysis, options } = state;
  const inner = analysis === "bootstrap" ? options.of : analysis;
  const family = familyOf(analysis, options.of);
  const mapping = effectiveMapping(table.headers, family, state.mapping);
  const covariates = family === "binomial" && inner === "logit" ? covariateColumns(table.headers, mapping, state.covariates) : [];
  const built = engineData(table, family, mapping, { covariates });
  const request = innerRequest(inner, state, built, covariates, table);
  let preview;
  if (family === "survival") preview = { ...built.data, ...(built.strata && (inner === "logrank" || inner === "cumulative_incidence") ? { strata: built.strata } : {}) };
  else if (family === "guyot") preview = { time: built.curve.time, survival: built.curve.survival, at_risk_time: built.at_risk.time, at_risk: built.at_risk.n };
  else if (family === "binomial") preview = { ...built.data, ...built.covariates };
  else preview = built.data;
  if (analysis !== "bootstrap") return { request, family, mapping, covariates, preview, inner };
  const boot = {
    analysis: "bootstrap",
    of: request,
    statistics: statistics ?? [],
    replicates: numberOption(options, "replicates") ?? 2000,
    seed: numberOption(options, "seed") ?? 1,
    conf_level: confLevel(options),
    strata: options.boot_strata === "1",
  };
  return { request: boot, family, mapping, covariates, preview, inner };
}

function innerRequest(analysis, state, built, covariates, table) {
  const { options } = state;
  switch (analysis) {
    case "kaplan_meier": {
      const request = { analysis, data: built.data, conf_level: confLevel(options) };
      if (options.conf_type) request.conf_type = options.conf_type;
      return request;
    }
    case "cumulative_incidence": {
      const request = { analysis, data: built.data, conf_level: confLevel(options), variance: options.variance };
      if (options.conf_type) request.conf_type = options.conf_type;
      // Stratified Gray's test: sent only when a column is mapped to strata.
      if (built.strata) request.strata = built.strata;
      return request;
    }
    case "logrank": {
      // The test compares groups: ask for the mapping rather than pass the engine's refusal on.
      if (!built.data.group) throw new TableProblem("problem.unmapped", { role: "group" });
      const request = { analysis, data: built.data };
      if (built.strata) request.strata = built.strata;
      return request;
    }
    case "life_table":
      return { analysis, data: built.data, breaks: lifeTableBreaks(options, built.data.time), conf_level: confLevel(options) };
    case "proportion": {
      const row = Math.round(numberOption(options, "row") ?? 1);
      const n = built.data.successes.length;
      if (!(row >= 1 && row <= n)) throw new TableProblem("problem.no_row", { row: options.row, rows: n });
      const request = { analysis, successes: built.data.successes[row - 1], trials: built.data.trials[row - 1], conf_level: confLevel(options), method: options.method };
      const nullValue = numberOption(options, "null");
      if (nullValue !== null) request.null = nullValue;
      return request;
    }
    case "logit": {
      const terms = logitTerms(options, covariates);
      if (terms.length === 0) throw new TableProblem("problem.no_covariates", {});
      const model = { terms };
      const reference = {};
      for (const [name, level] of Object.entries(state.reference)) if (level && covariates.includes(name)) reference[name] = level;
      if (Object.keys(reference).length) model.reference = reference;
      const binary = String(options.binary ?? "").split(",").map((s) => s.trim()).filter((b) => b && covariates.includes(b));
      if (binary.length) model.binary = binary;
      return { analysis, data: { ...built.data, covariates: built.covariates }, model, margins: options.margins, conf_level: confLevel(options) };
    }
    case "summary":
      return { analysis, ...built.data };
    case "guyot": {
      const request = { analysis, curve: built.curve, at_risk: built.at_risk };
      const total = numberOption(options, "total_events");
      if (total !== null) request.total_events = total;
      return request;
    }
    default:
      throw new TableProblem("problem.option", { option: "analysis", value: analysis });
  }
}

/** Levels of each categorical covariate (for the reference selects), in order of appearance. */
export function categoricalLevels(table, covariates) {
  const levels = {};
  for (const c of covariates) {
    let values;
    try {
      values = covariateValues(table, c);
    } catch {
      continue;
    }
    if (values.some((v) => typeof v === "string")) levels[c] = [...new Set(values)];
  }
  return levels;
}

/**
 * Statistic names to bootstrap when the reader has typed none, from the wrapped
 * analysis's own response: the survival or incidence at the middle of the shortest
 * follow-up (per group), a logit's average marginal effects, a proportion's estimate,
 * a summary's mean and median.
 */
export function defaultStatistics(inner, response) {
  const bracket = (group) => (group === null || group === undefined ? "" : `[${group}]`);
  const middleTime = (curves) => Math.min(...curves.filter((c) => c.time.length).map((c) => c.time[Math.floor((c.time.length - 1) / 2)]));
  switch (inner) {
    case "kaplan_meier": {
      const t = middleTime(response.curves);
      return response.curves.filter((c) => c.time.length).map((c) => `survival@${t}${bracket(c.group)}`);
    }
    case "cumulative_incidence": {
      const t = middleTime(response.curves);
      const causes = response.curves[0]?.causes.map((c) => c.cause) ?? [1];
      return response.curves.filter((c) => c.time.length).flatMap((c) => causes.map((k) => `cif${k}@${t}${bracket(c.group)}`));
    }
    case "logit":
      return response.marginal_effects.map((m) => `ame:${m.term}`);
    case "proportion":
      return ["estimate"];
    case "summary":
      return ["mean", "median"];
    default:
      return [];
  }
}
