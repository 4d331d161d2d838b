// The view state and the URL query: defaults, parsing with validation (a bad value
// falls back to its default and is reported), serialisation, and the engine request
// of a state. Pure functions, no DOM: tested in node. The causes, definitions and
// cohorts a state may hold are the report package's (`choices`, see package.js),
// defaulting to the package the page shows.
import { choicesOf, currentPackage } from "./package.js";

export const BOOTSTRAP_INTERVALS = ["percentile", "basic", "normal", "bca"];
export const CONF_LEVELS = [0.9, 0.95, 0.99];
export const MAX_REPLICATES = 100000;

/** The defaults every package shares; `defaultsOf` adds the package's definition. */
export const DEFAULTS = Object.freeze({
  lang: "nl",
  unknown: "exclude",
  cohort: "all",
  level: 0.95,
  ci: "percentile",
  reps: 2000,
  seed: 1,
  naive: false,
});

/** The default state under a package's choices: its own definition and causes. */
export function defaultsOf(choices = currentChoices()) {
  return { ...DEFAULTS, def: choices.defaultDefinition, causes: [...choices.defaultCauses] };
}

function currentChoices() {
  return choicesOf(currentPackage());
}

function choicesFor(choices) {
  return {
    lang: ["nl", "en"],
    def: choices.definitions,
    unknown: ["exclude", "success", "failure"],
    cohort: choices.cohorts,
    ci: BOOTSTRAP_INTERVALS,
  };
}

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
export function parseQuery(search, choices = currentChoices()) {
  const params = new URLSearchParams(search);
  const state = defaultsOf(choices);
  const CHOICES = choicesFor(choices);
  const KNOWN_CAUSES = choices.causes;
  const notices = [];
  const bad = (param, value) => notices.push({ param, value });
  for (const [param, value] of params) {
    if (param in CHOICES) {
      if (CHOICES[param].includes(value)) state[param] = value;
      else bad(param, value);
    } else if (param === "causes") {
      const list = value === "" ? [] : value.split(",");
      if (list.every((c) => KNOWN_CAUSES.includes(c)) && new Set(list).size === list.length) {
        state.causes = KNOWN_CAUSES.filter((c) => list.includes(c));
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
export function toQuery(state, choices = currentChoices()) {
  const defaults = defaultsOf(choices);
  const params = new URLSearchParams();
  for (const key of ["lang", "def", "unknown", "cohort"]) {
    if (state[key] !== defaults[key]) params.set(key, state[key]);
  }
  if (state.def === "custom") params.set("causes", state.causes.join(","));
  if (state.level !== defaults.level) params.set("level", String(state.level));
  for (const key of ["ci", "reps", "seed"]) {
    if (state[key] !== defaults[key]) params.set(key, String(state[key]));
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
