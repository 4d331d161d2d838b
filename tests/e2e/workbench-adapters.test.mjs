// The workbench's adapters reshape engine responses without computing statistics:
// snapshots of their output on small engine responses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { atRiskAt, forestRows, incidenceRows, kaplanMeierRows, roundTimes } from "../../www/js/workbench/adapters.js";

const KM = {
  curves: [
    { group: "A", time: [2, 5, 9], n_risk: [4, 3, 1], survival: [0.75, 0.5, 0], lower: [0.4, 0.2, null], upper: [0.9, 0.8, null] },
    { group: "B", time: [1], n_risk: [2], survival: [0.5], lower: [0.1], upper: [0.9] },
  ],
};

test("kaplanMeierRows start each curve at S(0) = 1 and keep missing limits as null", () => {
  assert.deepEqual(kaplanMeierRows(KM).slice(0, 2), [
    { series: "A", time: 0, estimate: 1, lower: 1, upper: 1 },
    { series: "A", time: 2, estimate: 0.75, lower: 0.4, upper: 0.9 },
  ]);
  assert.equal(kaplanMeierRows(KM)[3].lower, null);
});

test("atRiskAt reads the engine's n_risk at the first time at or after each time, 0 beyond the last", () => {
  assert.deepEqual(atRiskAt(KM, [0, 2, 3, 9, 10]), [
    { group: "A", n: [4, 4, 3, 1, 0] },
    { group: "B", n: [2, 0, 0, 0, 0] },
  ]);
});

test("incidenceRows label each group and cause and start at 0", () => {
  const response = { curves: [{ group: null, time: [3], causes: [{ cause: 2, cif: [0.25], lower: [0.1], upper: [0.5] }] }] };
  assert.deepEqual(incidenceRows(response, (g, k) => `${g ?? "all"}/${k}`), [
    { series: "all/2", time: 0, estimate: 0, lower: null, upper: null },
    { series: "all/2", time: 3, estimate: 0.25, lower: 0.1, upper: 0.5 },
  ]);
});

test("forestRows pass the marginal effects through", () => {
  const response = { marginal_effects: [{ term: "x", dydx: -0.2, lower: -0.3, upper: -0.1 }] };
  assert.deepEqual(forestRows(response), [{ term: "x", estimate: -0.2, lower: -0.3, upper: -0.1 }]);
});

test("roundTimes gives steps of 1, 2 or 5 × a power of ten from 0", () => {
  assert.deepEqual(roundTimes(161, 6), [0, 20, 40, 60, 80, 100, 120, 140, 160]);
  assert.deepEqual(roundTimes(1022, 8), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  assert.deepEqual(roundTimes(0.9, 5), [0, 0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(roundTimes(0, 5), [0]);
});
