// The bootstrap in the Web Worker, through the page: progress, result equal to the
// engine's own answer for the same request, a responsive page while it runs, cancel.
// Needs www/bootstrap-worker.js (branch `bootstrap`); skipped without it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, artifact, launch } from "./browser.mjs";
import { engineResponse, openReport, redrawAfter, requestOf } from "./report.mjs";

const HAS_WORKER = existsSync(join(ROOT, "www", "bootstrap-worker.js"));
const skip = HAS_WORKER ? false : "www/bootstrap-worker.js is not on this branch yet";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function setReplicates(page, n) {
  await redrawAfter(page, async () => {
    if (!(await page.isVisible("#reps"))) await page.click("#options summary");
    await page.fill("#reps", String(n));
    await page.press("#reps", "Enter");
    await page.locator("#reps").blur();
  });
}

test("the bootstrap runs in the worker with progress and gives the engine's own numbers", { skip }, async () => {
  const { page, consoleErrors, close } = await openReport(browser, "?seed=11&ci=percentile");
  try {
    await setReplicates(page, 400);
    const seen = [];
    await page.exposeFunction("__progress", (v) => seen.push(v));
    await page.evaluate(() => new MutationObserver(() => window.__progress(document.getElementById("bootstrap-progress")?.value ?? 0)).observe(document.getElementById("bootstrap"), { subtree: true, attributes: true, childList: true, characterData: true }));
    await page.click("#bootstrap-run");
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 120000 });
    assert.ok(seen.some((v) => v > 0), "progress was shown");
    const response = await engineResponse(page, await requestOf(page, "?seed=11"));
    const first = response.bootstrap_requests[0];
    const direct = await engineResponse(page, { ...first.request, replicates: 400, seed: 11 });
    const stat = direct.statistics[0];
    const shown = await page.getAttribute(`[data-metric="bootstrap.${first.id}.${stat.name}.percentile"]`, "data-value");
    assert.equal(shown, stat.percentile.join(","));
    await page.locator("#bootstrap").screenshot({ path: artifact("section-bootstrap-done.png") });
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test("the page stays responsive while the bootstrap runs, and cancel stops it", { skip }, async () => {
  const { page, close } = await openReport(browser);
  try {
    await setReplicates(page, 100000);
    await page.click("#bootstrap-run");
    await page.waitForFunction(() => Number(document.getElementById("bootstrap-progress")?.value) > 0, null, { timeout: 60000 });
    // A redraw while the worker computes: the language, which keeps the same requests.
    const started = Date.now();
    await redrawAfter(page, () => page.check("#lang-en"));
    assert.ok(Date.now() - started < 5000, "the page redrew while the bootstrap ran");
    assert.ok(await page.isEnabled("#bootstrap-cancel"), "still running after the redraw");
    await page.click("#bootstrap-cancel");
    await page.waitForSelector('#bootstrap [data-bootstrap="cancelled"]');
    assert.match(await page.innerText("#bootstrap"), /Bootstrap cancelled/);
    assert.ok(await page.isEnabled("#bootstrap-run"));
  } finally {
    await close();
  }
});
