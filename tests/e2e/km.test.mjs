// The Kaplan–Meier demo page (km.html) end to end in headless Chromium: the engine loads, the chart and the
// medians are drawn from its response, nothing leaves the origin, no console error,
// no serious accessibility violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, artifact, launch, openPage } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("the page draws Kaplan–Meier curves computed by the engine, with no console error", async () => {
  const { page, url, consoleErrors, requests, close } = await openPage(browser, { path: "km.html" });
  try {
    await page.waitForSelector("body[data-ready]");
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#error"));
    // Two curves, each a path in the SVG drawn by Plot.
    assert.ok(await page.locator("#km-chart svg").count() >= 1);
    // aml: Maintained median 31 (95% CI 13, NA) and Nonmaintained 23 (5, 33) in
    // R 4.2.2, survival 3.5.3: print(survfit(Surv(time, status) ~ x, aml,
    // conf.type = "log-log")).
    const metric = (name) => page.getAttribute(`[data-metric="${name}"]`, "data-value");
    assert.equal(await metric("km.Maintained.median"), "31");
    assert.equal(await metric("km.Nonmaintained.median"), "23");
    assert.equal(await metric("km.Maintained.lower"), "13");
    assert.equal(await metric("km.Maintained.upper"), "");
    assert.equal(await metric("km.Nonmaintained.lower"), "5");
    assert.equal(await metric("km.Nonmaintained.upper"), "33");
    assert.deepEqual(consoleErrors, []);
    const origin = new URL(url).origin;
    assert.deepEqual(requests.filter((r) => new URL(r).origin !== origin), []);
    await page.screenshot({ path: artifact("km-demo.png"), fullPage: true });
  } finally {
    await close();
  }
});

test("axe-core finds no serious or critical accessibility violation", async () => {
  // axe is injected as an inline script, which the page's CSP rightly forbids.
  const { page, close } = await openPage(browser, { path: "km.html", contextOptions: { bypassCSP: true } });
  try {
    await page.waitForSelector("body[data-ready]");
    await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8") });
    const violations = await page.evaluate(async () => (await window.axe.run()).violations);
    const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(severe.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
  } finally {
    await close();
  }
});
