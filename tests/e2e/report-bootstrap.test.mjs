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

/** Sets an option of the panel (#reps, #seed) and waits for the redraw. */
async function setOption(page, id, value) {
  await redrawAfter(page, async () => {
    if (!(await page.isVisible(`#${id}`))) await page.click("#options summary");
    await page.fill(`#${id}`, String(value));
    await page.press(`#${id}`, "Enter");
    await page.locator(`#${id}`).blur();
  });
}

const setReplicates = (page, n) => setOption(page, "reps", n);

/** The percentile interval shown for the first request's first statistic is the engine's own for that seed. */
async function assertShowsEngineInterval(page, { seed, replicates }) {
  const response = await engineResponse(page, await requestOf(page, `?seed=${seed}`));
  const first = response.bootstrap_requests[0];
  const direct = await engineResponse(page, { ...first.request, replicates, seed });
  const stat = direct.statistics[0];
  const shown = await page.getAttribute(`[data-metric="bootstrap.${first.id}.${stat.name}.percentile"]`, "data-value");
  assert.equal(shown, stat.percentile.join(","));
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
    await assertShowsEngineInterval(page, { seed: 11, replicates: 400 });
    // The redrawn section shows no part that was left out as the word "null".
    assert.doesNotMatch(await page.innerText("#bootstrap"), /\bnull\b|\bundefined\b/);
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

test("the worker is started when the pointer reaches the buttons, and a finished run's worker runs the next", { skip }, async () => {
  const { page, consoleErrors, close } = await openReport(browser, "?seed=5");
  try {
    await setReplicates(page, 200);
    // Count the bootstrap workers the page starts from here on.
    await page.evaluate(() => {
      window.__bootstrapWorkers = 0;
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(url, options) {
          super(url, options);
          if (String(url).includes("bootstrap-worker")) window.__bootstrapWorkers += 1;
        }
      };
    });
    const started = () => page.evaluate(() => window.__bootstrapWorkers);
    assert.equal(await started(), 0);
    await page.hover("#bootstrap-run");
    assert.equal(await started(), 1, "hovering the buttons starts the worker before the click");
    await page.hover("#bootstrap-cancel");
    assert.equal(await started(), 1, "one waiting worker at a time");
    await page.click("#bootstrap-run");
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 120000 });
    assert.equal(await started(), 1, "the run took the waiting worker");
    const first = await page.innerText("#bootstrap-result");
    // Another seed: a second run, in the same worker, with its own numbers.
    await setOption(page, "seed", 6);
    await page.click("#bootstrap-run");
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 120000 });
    assert.equal(await started(), 1, "the finished run's worker ran the next");
    assert.notEqual(await page.innerText("#bootstrap-result"), first, "the second run has its own numbers");
    // The same numbers as the engine answers directly for the second seed.
    await assertShowsEngineInterval(page, { seed: 6, replicates: 200 });
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

// The page's side of the worker protocol, against a stand-in worker served in place of
// www/bootstrap-worker.js: {request} in; progress, then a result or a coded
// error out; {type: "cancel"} answered with "cancelled". Its numbers are canned: this
// checks the page's handling, not the statistics (the tests above do, with the real one).
const STUB_WORKER = `
let cancelled = false;
self.onmessage = async ({ data }) => {
  if (data.type === "cancel") { cancelled = true; return; }
  cancelled = false;
  const total = data.request.replicates;
  if (data.request.seed === 13) { self.postMessage({ type: "error", code: "invalid_seed", message: "stub: seed 13 refused" }); return; }
  const step = data.chunk ?? Math.ceil(total / 10);
  for (let done = 0; done < total;) {
    done = Math.min(total, done + step);
    self.postMessage({ type: "progress", done, total });
    await new Promise((r) => setTimeout(r, 20));
    if (cancelled) { self.postMessage({ type: "cancelled", done, total }); return; }
  }
  const names = data.request.statistics;
  self.postMessage({ type: "result", response: { replicates: total, seed: data.request.seed, warnings: [{ code: "failed_replicates", message: "stub" }],
    statistics: names.map((name, i) => ({ name, estimate: 0.5 + i / 10, bias: 0.001, std_err: 0.02, percentile: [0.45 + i / 10, 0.55 + i / 10], basic: [0.44, 0.56], normal: [0.46, 0.54], bca: null, failed: 3 })) } });
};`;

async function openWithStub(query) {
  const opened = await openReport(browser, query);
  await opened.page.context().route("**/bootstrap-worker.js", (route) => route.fulfill({ contentType: "text/javascript", body: STUB_WORKER }));
  return opened;
}

test("worker protocol: progress, then the result table in the reader's language with the chosen interval", async () => {
  const { page, consoleErrors, close } = await openWithStub("?reps=500&ci=basic");
  try {
    await page.click("#bootstrap-run");
    await page.waitForFunction(() => Number(document.getElementById("bootstrap-progress")?.value) > 0);
    assert.ok(await page.isEnabled("#bootstrap-cancel"));
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 60000 });
    const text = await page.innerText("#bootstrap");
    assert.match(text, /44,0–56,0%/, "the basic interval, decimal comma");
    assert.match(text, /replicaties werden niet|geen waarde/, "the failed-replicates warning in Dutch");
    await redrawAfter(page, () => page.check("#lang-en"));
    assert.match(await page.innerText("#bootstrap"), /44\.0–56\.0%/);
    assert.match(await page.innerText("#bootstrap"), /gave no value/);
    await page.locator("#bootstrap").screenshot({ path: artifact("section-bootstrap-stub-worker.png") });
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test("worker protocol: cancel stops the run and a coded error is translated; the choices are kept", async () => {
  const { page, close } = await openWithStub("?reps=100000&cohort=1");
  try {
    await page.click("#bootstrap-run");
    await page.waitForFunction(() => Number(document.getElementById("bootstrap-progress")?.value) > 0);
    const before = await page.getAttribute("body", "data-renders");
    await redrawAfter(page, () => page.check("#def-result"));
    assert.notEqual(await page.getAttribute("body", "data-renders"), before, "the page redrew while the worker ran");
    await page.click("#bootstrap-run");
    await page.waitForFunction(() => Number(document.getElementById("bootstrap-progress")?.value) > 0);
    await page.click("#bootstrap-cancel");
    await page.waitForSelector('#bootstrap [data-bootstrap="cancelled"]');
    assert.match(await page.innerText("#bootstrap"), /Bootstrap geannuleerd/);
    await page.click("#options summary");
    await redrawAfter(page, async () => { await page.fill("#seed", "13"); await page.locator("#seed").blur(); });
    await page.click("#bootstrap-run");
    // Every request refused with a code: each failure is listed in Dutch, the run ends.
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]');
    assert.ok(await page.locator('#bootstrap [data-failed][data-code="invalid_seed"]').count() >= 1);
    assert.match(await page.innerText("#bootstrap"), /De seed moet een geheel getal/);
    assert.ok(await page.isChecked("#def-result") && await page.isChecked("#cohort-1"));
  } finally {
    await close();
  }
});
