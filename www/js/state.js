// The view state and the URL query: defaults, parsing with validation (a bad value
// falls back to its default and is reported), serialisation, and the engine request
// of a state. Pure functions, no DOM: tested in node.

/** The causes of table 3.2 a custom definition can place (the unknown cause is governed by its policy). */
export const KNOWN_CAUSES = [
  "own_job",
  "elsewhere_defence",
  "outside_defence",
  "sickness_benefit",
  "own_request",
  "iva",
  "other",
];

/** The effect measurement's successes: the custom definition starts from these. */
export const EFFECT_CAUSES = ["own_job", "elsewhere_defence", "outside_defence"];

export const BOOTSTRAP_INTERVALS = ["percentile", "basic", "normal", "bca"];
export const CONF_LEVELS = [0.9, 0.95, 0.99];
export const MAX_REPLICATES = 100000;

export const DEFAULTS = Object.freeze({
  lang: "nl",
  def: "effect",
  causes: EFFECT_CAUSES,
  unknown: "exclude",
  cohort: "all",
  level: 0.95,
  ci: "percentile",
  reps: 2000,
  seed: 1,
  naive: false,
});

const CHOICES = {
  lang: ["nl", "en"],
  def: ["effect", "result", "custom"],
  unknown: ["exclude", "success", "failure"],
  cohort: ["all", "1", "2"],
  ci: BOOTSTRAP_INTERVALS,
};

function integer(text, min, max) {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/**
 * The state of a query string. Returns { state, notices }, where each notice
 * { param, value } names a parameter whose value was not understood and was replaced
 * by its default. Unknown parameters are reported too (param with value).
 */
export function parseQuery(search, { cohorts, causes } = {}) {
  // The report package's cohort keys and cause ids, when the caller has them (a third
  // cohort, a new cause); else the first report's.
  const choices = cohorts ? { ...CHOICES, cohort: cohorts } : CHOICES;
  const known = causes ?? KNOWN_CAUSES;
  const params = new URLSearchParams(search);
  const state = { ...DEFAULTS, causes: [...DEFAULTS.causes] };
  const notices = [];
  const bad = (param, value) => notices.push({ param, value });
  for (const [param, value] of params) {
    if (param in choices) {
      if (choices[param].includes(value)) state[param] = value;
      else bad(param, value);
    } else if (param === "causes") {
      const list = value === "" ? [] : value.split(",");
      if (list.every((c) => known.includes(c)) && new Set(list).size === list.length) {
        state.causes = known.filter((c) => list.includes(c));
      } else bad(param, value);
    } else if (param === "level") {
      const level = Number(value);
      if (CONF_LEVELS.includes(level)) state.level = level;
      else bad(param, value);
    } else if (param === "reps") {
      const n = integer(value, 1, MAX_REPLICATES);
      if (n === undefined) bad(param, value);
      else state.reps = n;
    } else if (param === "seed") {
      const n = integer(value, 0, 2 ** 32 - 1);
      if (n === undefined) bad(param, value);
      else state.seed = n;
    } else if (param === "naive") {
      if (value === "1" || value === "0") state.naive = value === "1";
      else bad(param, value);
    } else {
      bad(param, value);
    }
  }
  return { state, notices };
}

/** The query string of a state: only what differs from the defaults, in a fixed order. */
export function toQuery(state) {
  const params = new URLSearchParams();
  for (const key of ["lang", "def", "unknown", "cohort"]) {
    if (state[key] !== DEFAULTS[key]) params.set(key, state[key]);
  }
  if (state.def === "custom") params.set("causes", state.causes.join(","));
  if (state.level !== DEFAULTS.level) params.set("level", String(state.level));
  for (const key of ["ci", "reps", "seed"]) {
    if (state[key] !== DEFAULTS[key]) params.set(key, String(state[key]));
  }
  if (state.naive) params.set("naive", "1");
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The one engine request of a view state (DESIGN.md, "The report"). */
export function engineRequest(state) {
  const request = {
    analysis: "joining_forces",
    definition: state.def,
    unknown: state.unknown,
    cohort: state.cohort,
    conf_level: state.level,
  };
  if (state.def === "custom") request.success_causes = [...state.causes];
  return request;
}

/** Whether two states ask the engine the same question (language and options aside). */
export function sameAnalysis(a, b) {
  return JSON.stringify(engineRequest(a)) === JSON.stringify(engineRequest(b));
}
