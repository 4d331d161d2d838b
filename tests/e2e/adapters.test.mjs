// The chart adapters reshape engine output without computing anything: snapshot of
// their output on a small engine response.
import { test } from "node:test";
import assert from "node:assert/strict";
import { medianRows, survivalSteps } from "../../www/js/adapters.js";

const RESPONSE = {
  curves: [
    {
      group: "A",
      time: [1, 2],
      n_risk: [3, 2],
      n_event: [1, 1],
      survival: [2 / 3, 1 / 3],
      lower: [0.5, null],
      upper: [0.9, null],
      median: { estimate: 2, lower: 1, upper: null },
    },
  ],
};

test("survivalSteps starts each curve at S(0) = 1 and keeps missing limits as null", () => {
  assert.deepEqual(survivalSteps(RESPONSE), [
    { group: "A", time: 0, survival: 1, lower: 1, upper: 1 },
    { group: "A", time: 1, survival: 2 / 3, lower: 0.5, upper: 0.9 },
    { group: "A", time: 2, survival: 1 / 3, lower: null, upper: null },
  ]);
});

test("medianRows passes the engine's median and interval through", () => {
  assert.deepEqual(medianRows(RESPONSE), [
    { group: "A", atRiskAtStart: 3, median: 2, lower: 1, upper: null },
  ]);
});

// The report's table and CSV adapters.
import { csvText } from "../../www/js/adapters.js";

test("csvText writes the header block, then the columns; Dutch uses ';' and the decimal comma", () => {
  const spec = {
    header: [["definitie", "Effectmeting"], ["seed", "1"]],
    columns: [{ key: "a", label: "oorzaak" }, { key: "b", label: "aandeel", format: (x) => (x === null ? "" : String(x).replace(".", ",")) }],
    rows: [{ a: "Plaatsing; eigen werk", b: 0.25 }, { a: "Onbekend", b: null }],
  };
  assert.equal(csvText({ ...spec, lang: "nl" }), '# definitie: Effectmeting\r\n# seed: 1\r\noorzaak;aandeel\r\n"Plaatsing; eigen werk";0,25\r\nOnbekend;\r\n');
  assert.equal(csvText({ ...spec, columns: [spec.columns[0]], lang: "en" }), '# definitie: Effectmeting\r\n# seed: 1\r\noorzaak\r\nPlaatsing; eigen werk\r\nOnbekend\r\n');
});

import { anyOutflowBand, atRiskRows, durationTable, naiveCurve, publishedPoints, stackedIncidence, successBand } from "../../www/js/adapters.js";

// A small duration section in the engine's shape (src/joining_forces/report.rs).
const DURATION = {
  cumulative_incidence: {
    result: {
      curves: [
        {
          time: [1, 2],
          n_risk: [10, 7],
          causes: [
            { cause: 1, cif: [0.2, 0.3], lower: [0.05, 0.1], upper: [0.5, 0.6] },
            { cause: 2, cif: [0.1, 0.1], lower: [0.01, 0.01], upper: [null, 0.4] },
          ],
        },
      ],
    },
  },
  any_outflow: { result: { curves: [{ time: [1, 2], survival: [0.7, 0.6], lower: [0.4, 0.3], upper: [0.9, 0.85] }] } },
  naive_one_minus_km: { curve: { time: [1, 2], incidence: [0.2, 0.33], lower: [0.05, 0.1], upper: [0.5, 0.62] } },
  at_risk: { time: [0, 3], n: [10, 4] },
  published_points: [
    { id: "fig3_2.success_1y", published: 40, approx: true },
    { id: "fig3_2.median_months", published: 12, approx: true },
    { id: "fig3_2.outflow_at_median", published: 50, approx: false },
    { id: "box1.duration_analysis_n", published: 393 },
  ],
};

test("stackedIncidence: success and other outflow per time from 0, for Plot's stack", () => {
  assert.deepEqual(stackedIncidence(DURATION), [
    { time: 0, series: "success", value: 0 },
    { time: 0, series: "failure", value: 0 },
    { time: 1, series: "success", value: 0.2 },
    { time: 1, series: "failure", value: 0.1 },
    { time: 2, series: "success", value: 0.3 },
    { time: 2, series: "failure", value: 0.1 },
  ]);
});

test("bands pass the engine's limits through; any outflow is the KM on a reflected axis (limits swapped)", () => {
  assert.deepEqual(successBand(DURATION), [
    { time: 0, estimate: 0, lower: null, upper: null },
    { time: 1, estimate: 0.2, lower: 0.05, upper: 0.5 },
    { time: 2, estimate: 0.3, lower: 0.1, upper: 0.6 },
  ]);
  const any = anyOutflowBand(DURATION).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : Math.round(v * 1e12) / 1e12])));
  assert.deepEqual(any, [
    { time: 0, estimate: 0, lower: null, upper: null },
    { time: 1, estimate: 0.3, lower: 0.1, upper: 0.6 },
    { time: 2, estimate: 0.4, lower: 0.15, upper: 0.7 },
  ]);
  assert.deepEqual(naiveCurve(DURATION)[2], { time: 2, estimate: 0.33, lower: 0.1, upper: 0.62 });
});

test("publishedPoints places the text's numbers at one year and at the published median", () => {
  assert.deepEqual(publishedPoints(DURATION), [
    { id: "fig3_2.success_1y", time: 12, value: 0.4, series: "success", approx: true },
    { id: "fig3_2.outflow_at_median", time: 12, value: 0.5, series: "any", approx: false },
  ]);
});

test("atRiskRows and durationTable reshape the engine's arrays row by row", () => {
  assert.deepEqual(atRiskRows(DURATION), [{ time: 0, n_risk: 10 }, { time: 3, n_risk: 4 }]);
  assert.deepEqual(durationTable(DURATION)[0], {
    time: 1, n_risk: 10, success: 0.2, success_lower: 0.05, success_upper: 0.5, failure: 0.1, failure_lower: 0.01, failure_upper: null, naive: 0.2,
  });
});
