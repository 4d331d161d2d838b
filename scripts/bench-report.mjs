// The report's three browser timings in headless Chromium (`./build.sh bench`): time
// from navigation to every section drawn, time for a definition toggle to redraw
// everything, and the bootstrap's throughput in the Web Worker. Reports, never
// assertions; plain lines on stdout.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launch, openPage } from "../tests/e2e/browser.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const LOADS = 7;
const TOGGLES = 30;
const REPLICATES = 20000;

const browser = await launch();
try {
  // 1. Navigation start to the first full draw (the page marks "sibstat:drawn" after the
  //    frame that shows every section).
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    const { page, close } = await openPage(browser, { contextOptions: { viewport: { width: 1400, height: 900 } } });
    await page.waitForFunction(() => performance.getEntriesByName("sibstat:drawn").length > 0);
    loads.push(await page.evaluate(() => performance.getEntriesByName("sibstat:drawn")[0].startTime));
    await close();
  }
  console.log(`report, navigation to all sections drawn: median ${median(loads).toFixed(0)} ms over ${LOADS} loads (min ${Math.min(...loads).toFixed(0)}, max ${Math.max(...loads).toFixed(0)})`);

  // 2. A definition toggle: input event to the next painted frame, alternating effect
  //    and result measurement (engine call, every section and chart redrawn).
  const { page, close } = await openPage(browser, { contextOptions: { viewport: { width: 1400, height: 900 } } });
  await page.waitForSelector("body[data-ready=true]");
  const toggles = await page.evaluate(async (n) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const id = i % 2 === 0 ? "def-result" : "def-effect";
      const started = performance.now();
      document.getElementById(id).click();
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      times.push(performance.now() - started);
    }
    return times;
  }, TOGGLES);
  const engineMs = Number(await page.getAttribute("body", "data-render-ms"));
  console.log(`report, definition toggle to everything redrawn and painted: median ${median(toggles).toFixed(1)} ms over ${TOGGLES} toggles (last synchronous redraw ${engineMs.toFixed(1)} ms)`);

  // 3. Bootstrap throughput in the worker: replicates per second, start to result.
  if (!existsSync(join(ROOT, "www", "bootstrap-worker.js"))) {
    console.log("report, bootstrap in the worker: not measured (www/bootstrap-worker.js is not on this branch yet)");
  } else {
    await page.evaluate((reps) => {
      const input = document.getElementById("reps");
      input.value = String(reps);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }, REPLICATES);
    await page.waitForSelector("#bootstrap-run:not([disabled])");
    const started = Date.now();
    await page.click("#bootstrap-run");
    await page.waitForSelector('#bootstrap [data-bootstrap="done"], #bootstrap [data-bootstrap="error"], #bootstrap [data-bootstrap="unavailable"]', { timeout: 600000 });
    const seconds = (Date.now() - started) / 1000;
    const outcome = await page.evaluate(() => document.querySelector("#bootstrap [data-bootstrap]").dataset.bootstrap);
    // The section runs every request the engine gives, one after another, each with the
    // chosen replicates; the progress bar's maximum is their sum.
    const total = Number(await page.getAttribute("#bootstrap-progress", "max"));
    const requests = total / REPLICATES;
    if (outcome === "done") console.log(`report, bootstrap in the worker: ${(total / seconds).toFixed(0)} replicates/s (${requests} requests × ${REPLICATES} replicates — success share, cumulative incidence at 12 and 24 months, median — in ${seconds.toFixed(2)} s, click to result)`);
    else console.log(`report, bootstrap in the worker: ${outcome}`);
  }
  await close();
} finally {
  await browser.close();
}
