// Dutch number formatting (decimal comma) and English (decimal point), in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { count, csvNumber, interval, number, percent, percentInterval, points, pValue, printedPercent } from "../../www/js/format.js";
import { engineError, t } from "../../www/js/i18n.js";

test("Dutch uses the decimal comma and the thousands point; English the decimal point", () => {
  assert.equal(percent(0.7307692307692307, "nl"), "73,1%");
  assert.equal(percent(0.7307692307692307, "en"), "73.1%");
  assert.equal(number(1234.5, "nl", 1), "1.234,5");
  assert.equal(number(1234.5, "en", 1), "1,234.5");
  assert.equal(count(2000, "nl"), "2.000");
  assert.equal(percentInterval(0.671, 0.784, "nl"), "67,1–78,4%");
  assert.equal(interval(10.25, 13.5, "en", 1), "10.3–13.5");
  assert.equal(interval(-36.4, -18.5, "nl", 1), "[-36,4; -18,5]");
  assert.equal(percentInterval(-0.152, 0.113, "en"), "[-15.2%, 11.3%]");
  assert.equal(printedPercent(-0, "nl"), "-0%");
  assert.equal(printedPercent(35.5, "nl"), "35,5%");
});

test("missing numbers show a dash, never a made-up value", () => {
  for (const f of [percent, count, (x, l) => number(x, l, 1), pValue]) assert.equal(f(null, "nl"), "—");
  assert.equal(csvNumber(null, "nl"), "");
});

test("p-values, points and CSV numbers", () => {
  assert.equal(pValue(0.0004, "nl"), "< 0,001");
  assert.equal(pValue(0.0123, "en"), "0.012");
  assert.equal(points(-0.0192, "nl"), "−1,9 %-punt");
  assert.equal(points(0.2744, "en"), "+27.4 pp");
  assert.equal(csvNumber(0.7307692307692307, "nl"), "0,7307692307692307");
  assert.equal(csvNumber(0.7307692307692307, "en"), "0.7307692307692307");
});

test("engine error codes are translated; unknown codes keep the engine's message", () => {
  assert.equal(engineError("nl", { code: "invalid_definition", message: "x" }).text, "Deze succesdefinitie is niet bruikbaar.");
  assert.equal(engineError("en", { code: "invalid_definition", message: "x" }).text, "This success definition cannot be used.");
  assert.equal(engineError("en", { code: "brand_new", message: "English text" }).text, "English text");
  assert.equal(t("nl", "notice.bad_param", { param: "def", value: "x" }), "De parameter ‘def=x’ in de link is niet herkend; de standaardwaarde is gebruikt.");
});

test("an interval with one bound missing reads as half-open, never '8,5–—'", () => {
  assert.equal(interval(8.5, null, "nl", 1), "vanaf 8,5");
  assert.equal(interval(8.5, null, "en", 1), "from 8.5");
  assert.equal(interval(null, 13.4, "nl", 1), "tot 13,4");
  assert.equal(percentInterval(0.085, null, "en"), "from 8.5%");
  assert.equal(percentInterval(null, null, "nl"), "—");
});
