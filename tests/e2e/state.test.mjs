// The view state and its URL: defaults, round trips, and bad parameters falling back
// to their defaults with a notice. Pure functions, in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { choicesOf } from "../../www/js/package.js";
import { defaultsOf, engineRequest, parseQuery as parseWith, sameAnalysis, toQuery as toQueryWith } from "../../www/js/state.js";

// The choices of the shipped report package (data/joining_forces.json), as the page has
// them from the engine.
const CHOICES = choicesOf(JSON.parse(readFileSync(new URL("../../data/joining_forces.json", import.meta.url), "utf8")).package);
const DEFAULTS = defaultsOf(CHOICES);
const parseQuery = (search) => parseWith(search, CHOICES);
const toQuery = (state) => toQueryWith(state, CHOICES);

test("an empty query is the report's own view: effect measurement, unknown excluded, both cohorts, Dutch", () => {
  const { state, notices } = parseQuery("");
  assert.deepEqual(notices, []);
  assert.deepEqual(state, { ...DEFAULTS, causes: [...DEFAULTS.causes] });
  assert.equal(toQuery(state), "");
  assert.deepEqual(engineRequest(state), { analysis: "joining_forces", definition: "effect", unknown: "exclude", cohort: "all", conf_level: 0.95 });
});

test("every state survives the URL round trip", () => {
  const states = [
    { lang: "en", def: "result", unknown: "success", cohort: "1" },
    { def: "custom", causes: ["own_job", "iva"], unknown: "failure", cohort: "2", level: 0.9 },
    { def: "custom", causes: [] },
    { ci: "bca", reps: 500, seed: 42, naive: true, level: 0.99 },
  ].map((patch) => ({ ...DEFAULTS, causes: [...DEFAULTS.causes], ...patch }));
  for (const state of states) {
    const { state: back, notices } = parseQuery(toQuery(state));
    assert.deepEqual(notices, []);
    assert.deepEqual(back, state, toQuery(state));
  }
});

test("custom causes are kept in the order of table 3.2 and sent as success_causes", () => {
  const { state } = parseQuery("?def=custom&causes=iva,own_job");
  assert.deepEqual(state.causes, ["own_job", "iva"]);
  assert.deepEqual(engineRequest(state).success_causes, ["own_job", "iva"]);
  assert.equal(toQuery(state), "?def=custom&causes=own_job%2Civa");
});

test("a bad parameter falls back to its default and is reported, the good ones are kept", () => {
  const { state, notices } = parseQuery("?def=magic&cohort=3&unknown=success&reps=-5&seed=x&causes=own_job,unknown&level=0.5&colour=red&naive=yes");
  assert.equal(state.def, "effect");
  assert.equal(state.cohort, "all");
  assert.equal(state.unknown, "success");
  assert.equal(state.reps, DEFAULTS.reps);
  assert.equal(state.seed, DEFAULTS.seed);
  assert.deepEqual(state.causes, DEFAULTS.causes);
  assert.equal(state.level, 0.95);
  assert.equal(state.naive, false);
  assert.deepEqual(notices.map((n) => n.param), ["def", "cohort", "reps", "seed", "causes", "level", "colour", "naive"]);
});

test("language and bootstrap options do not ask the engine a new question", () => {
  const a = parseQuery("").state;
  assert.ok(sameAnalysis(a, { ...a, lang: "en", reps: 10, seed: 3, ci: "bca", naive: true }));
  assert.ok(!sameAnalysis(a, { ...a, cohort: "1" }));
  assert.ok(!sameAnalysis(a, { ...a, level: 0.9 }));
});

test("the choices are the package's: the 2023 test package has cohort 3 and the cause own_business", () => {
  const pkg = JSON.parse(readFileSync(new URL("../fixtures/report-2023/joining_forces.json", import.meta.url), "utf8")).package;
  const choices = choicesOf(pkg);
  assert.deepEqual(choices.cohorts, ["all", "1", "2", "3"]);
  assert.ok(choices.causes.includes("own_business") && !choices.causes.includes("unknown"));
  const { state, notices } = parseWith("?cohort=3&def=custom&causes=own_business", choices);
  assert.deepEqual(notices, []);
  assert.equal(state.cohort, "3");
  assert.deepEqual(state.causes, ["own_business"]);
  // The same URL is refused under the 2022 package, which has neither.
  assert.deepEqual(parseQuery("?cohort=3&def=custom&causes=own_business").notices.map((n) => n.param), ["cohort", "causes"]);
  assert.deepEqual(defaultsOf(choices).causes, ["own_job", "elsewhere_defence", "outside_defence", "own_business"]);
});
