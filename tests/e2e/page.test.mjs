// The report end to end in headless Chromium: every section drawn from the engine's
// response, each control redrawing the numbers the engine returns for the new state,
// the URL carrying the state (links, back/forward, bad parameters), hand-computed
// outflow shares through the page, Dutch and English formatting, downloads, engine
// errors in the reader's language, nothing leaving the origin, axe, screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, artifact, launch } from "./browser.mjs";
import { SECTION_IDS, engineResponse, openReport, pageMetrics, redrawAfter, requestOf } from "./report.mjs";

const REQUIRED_METRICS = [
  "outflow.success_share",
  "outflow.success_share.lower",
  "outflow.success_share.upper",
  "sanctions.share",
  "duration.success_cif_12m",
  "duration.success_cif_24m",
  "duration.median_months",
];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The page's metrics equal the engine's for the state in the page's URL. */
async function assertMetricsFollowEngine(page, label) {
  const query = await page.evaluate(() => location.search);
  const response = await engineResponse(page, await requestOf(page, query));
  const shown = await pageMetrics(page);
  for (const name of REQUIRED_METRICS) {
    assert.ok(name in response.metrics, `${label}: the engine gives no metric ${name}`);
    assert.ok(name in shown, `${label}: the page shows no data-metric ${name}`);
    // A metric the engine cannot give (null: beyond the follow-up) has an empty data-value.
    const expected = response.metrics[name] === null ? "" : String(response.metrics[name]);
    assert.equal(shown[name], expected, `${label}: ${name}`);
  }
  return { response, shown };
}

test("the report draws every section from the engine with no console error and no request off the origin", async () => {
  const { page, url, consoleErrors, requests, close } = await openReport(browser);
  try {
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#messages"));
    assert.equal(await page.getAttribute("html", "lang"), "nl");
    for (const id of SECTION_IDS) {
      const section = page.locator(`#${id}`);
      assert.ok((await section.locator("h2").count()) === 1, `section ${id} has its heading`);
      assert.ok((await section.innerText()).length > 80, `section ${id} has content`);
      // Known gaps of the engine are named in the page (.missing[data-gap]); nothing else may be missing.
      assert.equal(await section.locator(".missing:not([data-gap])").count(), 0, `section ${id}: ${await section.locator(".missing").allInnerTexts()}`);
    }
    assert.ok(await page.locator("#outflow svg[role=img]").count() >= 1, "the causes chart");
    assert.ok(await page.locator("#duration svg[role=img]").count() >= 1, "figure 3.2");
    // Every number carries its tier; a published number sits beside its recomputation.
    for (const tier of ["published", "derived", "reconstructed"]) assert.ok(await page.locator(`main .tier.tier-${tier}`).count() > 0, tier);
    await assertMetricsFollowEngine(page, "default view");
    for (const id of SECTION_IDS) await page.locator(`#${id}`).screenshot({ path: artifact(`section-${id}.png`) });
    await page.screenshot({ path: artifact("report-nl.png"), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    const origin = new URL(url).origin;
    assert.deepEqual(requests.filter((r) => !r.startsWith("blob:") && !r.startsWith("data:") && new URL(r).origin !== origin), []);
  } finally {
    await close();
  }
});

test("each control redraws the affected numbers to the engine's answer for the new state, and the URL follows", async () => {
  const { page, consoleErrors, close } = await openReport(browser);
  try {
    const steps = [
      ["result measurement", () => page.check("#def-result"), "def=result"],
      ["unknown as success", () => page.check("#unknown-success"), "unknown=success"],
      ["cohort 1", () => page.check("#cohort-1"), "cohort=1"],
      ["custom: also sickness benefit", () => page.check("#cause-sickness_benefit"), "def=custom"],
      ["custom: not own job", () => page.uncheck("#cause-own_job"), "causes=elsewhere_defence%2Coutside_defence%2Csickness_benefit%2Civa"],
      ["unknown as failure", () => page.check("#unknown-failure"), "unknown=failure"],
      ["cohort 2", () => page.check("#cohort-2"), "cohort=2"],
      ["90% level", async () => { await page.click("#options summary"); await page.selectOption("#level", "0.9"); }, "level=0.9"],
      ["effect measurement", () => page.check("#def-effect"), null],
    ];
    let previous = await pageMetrics(page);
    for (const [label, action, param] of steps) {
      await redrawAfter(page, action);
      const search = await page.evaluate(() => location.search);
      if (param) assert.ok(search.includes(param), `${label}: URL ${search} lacks ${param}`);
      const { shown } = await assertMetricsFollowEngine(page, label);
      const changed = REQUIRED_METRICS.filter((m) => shown[m] !== previous[m]);
      assert.ok(changed.length > 0, `${label}: no number changed`);
      previous = shown;
    }
    assert.ok(!(await page.evaluate(() => location.search)).includes("def="), "back to the default definition");
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test("the naive 1 − KM overlay is optional and kept in the URL", async () => {
  const { page, close } = await openReport(browser);
  try {
    const dashed = () => page.locator('#duration svg [stroke-dasharray="6,4"]').count();
    assert.equal(await dashed(), 0);
    await page.click("#options summary");
    await redrawAfter(page, () => page.check("#naive"));
    assert.ok((await page.evaluate(() => location.search)).includes("naive=1"));
    assert.equal(await dashed(), 1);
    assert.match(await page.innerText("#duration figcaption"), /1 − KM/);
    await page.locator("#duration").screenshot({ path: artifact("section-duration-naive.png") });
  } finally {
    await close();
  }
});

test("a link reproduces the view, and back and forward restore the previous views", async () => {
  const { page, close } = await openReport(browser, "?lang=en&def=result&unknown=failure&cohort=2");
  try {
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.ok(await page.isChecked("#def-result"));
    assert.ok(await page.isChecked("#unknown-failure"));
    assert.ok(await page.isChecked("#cohort-2"));
    assert.ok(await page.isChecked("#cause-iva"), "the result measurement counts the IVA benefit");
    const cohort2 = (await assertMetricsFollowEngine(page, "link")).shown;
    await redrawAfter(page, () => page.check("#cohort-1"));
    const cohort1 = (await assertMetricsFollowEngine(page, "cohort 1")).shown;
    assert.notEqual(cohort1["outflow.success_share"], cohort2["outflow.success_share"]);
    await redrawAfter(page, () => page.goBack());
    assert.ok(await page.isChecked("#cohort-2"));
    assert.deepEqual(await pageMetrics(page), cohort2);
    await redrawAfter(page, () => page.goForward());
    assert.ok(await page.isChecked("#cohort-1"));
    assert.equal((await pageMetrics(page))["outflow.success_share"], cohort1["outflow.success_share"]);
  } finally {
    await close();
  }
});

test("a bad parameter falls back to its default with one visible notice naming the value used", async () => {
  const { page, consoleErrors, close } = await openReport(browser, "?def=magic&cohort=7&unknown=success");
  try {
    const notices = page.locator("#notices .notice");
    assert.equal(await notices.count(), 1);
    assert.ok(await notices.first().isVisible());
    assert.match(await notices.first().innerText(), /def=magic’ → standaard: Effectmeting/);
    assert.match(await notices.first().innerText(), /cohort=7’ → standaard: Cohort 1 en 2/);
    assert.ok(await page.isChecked("#def-effect"));
    assert.ok(await page.isChecked("#cohort-all"));
    assert.ok(await page.isChecked("#unknown-success"), "the good parameter is kept");
    await assertMetricsFollowEngine(page, "fallback");
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

// Table 3.2 (p. 15), counts per cohort 1 / 2 / both:
//   own job 116/41/157, elsewhere in Defence 9/0/9, outside Defence 5/0/5,
//   ZW 7/2/9, own request 30/10/40, IVA 2/0/2, other 10/2/12, unknown 31/2/33;
//   outflow 210/57/267, of which known cause 179/55/234.
// Effect successes 130/41/171; result (plus IVA) 132/41/173; custom "own job" 116/41/157.
// Exclude: S / known. Unknown as success: (S + U) / outflow. As failure: S / outflow.
const HAND = {
  effect: { exclude: { 1: 130 / 179, 2: 41 / 55, all: 171 / 234 }, success: { 1: 161 / 210, 2: 43 / 57, all: 204 / 267 }, failure: { 1: 130 / 210, 2: 41 / 57, all: 171 / 267 } },
  result: { exclude: { 1: 132 / 179, 2: 41 / 55, all: 173 / 234 }, success: { 1: 163 / 210, 2: 43 / 57, all: 206 / 267 }, failure: { 1: 132 / 210, 2: 41 / 57, all: 173 / 267 } },
  own_job: { exclude: { 1: 116 / 179, 2: 41 / 55, all: 157 / 234 }, success: { 1: 147 / 210, 2: 43 / 57, all: 190 / 267 }, failure: { 1: 116 / 210, 2: 41 / 57, all: 157 / 267 } },
};

test("the outflow shares through the page equal the hand-computed ones under every definition, unknown policy and cohort", async () => {
  const { page, url, close } = await openReport(browser);
  try {
    for (const [def, policies] of Object.entries(HAND)) {
      for (const [unknown, cohorts] of Object.entries(policies)) {
        for (const [cohort, expected] of Object.entries(cohorts)) {
          const query = def === "own_job" ? `?def=custom&causes=own_job&unknown=${unknown}&cohort=${cohort}` : `?def=${def}&unknown=${unknown}&cohort=${cohort}`;
          await page.goto(url + query);
          await page.waitForSelector("body[data-ready=true]");
          const value = Number(await page.getAttribute('[data-metric="outflow.success_share"]', "data-value"));
          assert.ok(Math.abs(value - expected) < 1e-12, `${query}: page ${value}, by hand ${expected}`);
        }
      }
    }
  } finally {
    await close();
  }
});

test("Dutch shows the decimal comma in text and tables, English the decimal point", async () => {
  const { page, close } = await openReport(browser);
  try {
    const summary = () => page.innerText("#summary");
    assert.match(await summary(), /73,1%/);
    assert.match(await page.innerText("#participants"), /35,3%/);
    await redrawAfter(page, () => page.check("#lang-en"));
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.match(await summary(), /73\.1%/);
    assert.match(await page.innerText("#participants"), /35\.3%/);
    assert.match(await page.innerText("#outflow h2"), /Outflow/);
    assert.ok((await page.evaluate(() => location.search)).includes("lang=en"));
    for (const id of SECTION_IDS) await page.locator(`#${id}`).screenshot({ path: artifact(`section-${id}-en.png`) });
  } finally {
    await close();
  }
});

test("downloads: CSV with a header naming definition, seed and version (decimal comma in Dutch), SVG and PNG", async () => {
  const { page, close } = await openReport(browser, "?def=result&seed=7");
  try {
    const fetchDownload = async (selector) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
      return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
    };
    const csv = await fetchDownload('#duration [data-download="csv"]');
    const text = csv.body.toString("utf8");
    assert.match(text, /# definitie: Resultaatmeting/);
    assert.match(text, /# seed: 7/);
    assert.match(text, /# versie rekenkern: sibstat \d+\.\d+/);
    const firstDataLine = text.split("\r\n").find((line) => /^\d/.test(line));
    assert.match(firstDataLine, /;/);
    assert.match(text.split("\r\n").filter((l) => /^\d/.test(l)).join("\n"), /\d,\d/, "decimal comma");
    const svg = await fetchDownload('#duration [data-download="svg"]');
    assert.match(svg.body.toString("utf8"), /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = await fetchDownload('#outflow [data-download="png"]');
    assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await redrawAfter(page, () => page.check("#lang-en"));
    const en = (await fetchDownload('#outflow [data-download="csv"]')).body.toString("utf8");
    assert.match(en, /# definition: Result measurement/);
    assert.match(en, /^cause,count,counts as,tier$/m);
  } finally {
    await close();
  }
});

test("an engine error appears in the reader's language and the choices are kept", async () => {
  // A stand-in engine module that refuses the report's request with a stable code.
  const { page, close } = await openReport(browser, "?def=result&cohort=1", {});
  try {
    await page.route("**/pkg/sibstat.js", async (route) => {
      const real = readFileSync(join(ROOT, "www/pkg/sibstat.js"), "utf8");
      // The prepared report refuses every view state.
      const body = real +
        `\nReport.prototype.view = Report.prototype.view_only_json = function () { const e = new Error("a custom definition cannot place the cause \\"unknown\\""); e.code = "invalid_definition"; throw e; };\n`;
      await route.fulfill({ contentType: "text/javascript", body });
    });
    await page.reload();
    await page.waitForSelector("body[data-ready]");
    assert.equal(await page.getAttribute("body", "data-ready"), "error");
    const error = page.locator("#messages .engine-error");
    assert.match(await error.innerText(), /Deze succesdefinitie is niet bruikbaar/);
    assert.ok(await page.isChecked("#def-result"), "the definition is kept");
    assert.ok(await page.isChecked("#cohort-1"), "the cohort is kept");
    await redrawAfter(page, () => page.check("#lang-en"));
    assert.match(await error.innerText(), /This success definition cannot be used/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifact("engine-error.png") });
  } finally {
    await close();
  }
});

for (const lang of ["nl", "en"]) {
  test(`axe-core finds no serious or critical violation (${lang})`, async () => {
    // axe is injected as an inline script, which the page's CSP rightly forbids.
    const { page, close } = await openReport(browser, `?lang=${lang}&naive=1`, { contextOptions: { bypassCSP: true } });
    try {
      await page.click("#options summary");
      await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8") });
      const violations = await page.evaluate(async () => (await window.axe.run()).violations);
      const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(severe.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`), []);
    } finally {
      await close();
    }
  });
}
