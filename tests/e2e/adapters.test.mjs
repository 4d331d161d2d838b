// The chart adapters reshape engine output without computing anything: snapshot of
// their output on a small engine response.
import { test } from "node:test";
import assert from "node:assert/strict";
import { medianRows, survivalSteps } from "../../www/adapters.js";

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

// The report's adapters (www/js/adapters.js).
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
