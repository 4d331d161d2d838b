// The report page's timings in headless Chromium (`./build.sh bench`), against a
// reference measured in the same run: a page that loads the same vendored Plot file,
// served the same way, and draws one chart (scripts/bench-reference/). Measures
//   - navigation to every section drawn and the page interactive (the page's
//     performance mark "sibstat:drawn", set after the frame that shows every section
//     with the controls responding: on the built site the default view is prerendered
//     (scripts/prerender.mjs) and the page's script has taken it over; a change made
//     before the engine is ready is carried out when it is), report and reference;
//   - the first paint (first-contentful-paint; on the built site every section is in
//     it when the document was parsed before it: domInteractive), report and reference;
//   - the engine's first answer drawn, or checked against the prerendered sections
//     ("sibstat:checked"), with the stages of the report's worker;
//   - drawing every section: at load where nothing is prerendered (www/), and on a
//     language switch, which redraws all ten (the per-section measures
//     "sibstat:section:ID"), median per section;
//   - a definition toggle: input event to the frame painted after the page says the
//     view is drawn (body[data-renders] counts up once the engine's answer is in and
//     every changed section is redrawn), median;
//   - under 4x CPU throttling (CDP Emulation.setCPUThrottlingRate) the longest
//     main-thread task (PerformanceObserver "longtask") at load and on toggles;
//   - the engine calls a language switch makes, which must be 0: calls of the module's
//     exported functions in the page (wrapped when it is instantiated) plus messages the
//     page posts to a worker (the report's engine runs in one, www/report-worker.js);
//   - the bootstrap's throughput in the Web Worker.
// It serves dist/site/ (the deployable site with hashed, precompressed files) when it
// is built, otherwise www/. Reports, never assertions: a markdown section on stdout.
//   node scripts/bench-report.mjs [--no-bootstrap]
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ROOT, launch } from "../tests/e2e/browser.mjs";
import { serve } from "./serve.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const LOADS = 7;
const TOGGLES = 30;
const SWITCHES = 10;
const COLD_LOADS = 5;
const THROTTLED_TOGGLES = 6;
const THROTTLED_LOADS = 7;
const CPU_SLOWDOWN = 4;
const REPLICATES = 20000;
const VIEWPORT = { viewport: { width: 1400, height: 900 } };

const SITE = join(ROOT, "dist", "site");
const root = existsSync(join(SITE, "index.html")) ? SITE : join(ROOT, "www");

// Before any script of the page: long tasks are recorded, and the engine's exported
// functions are wrapped so that every call is counted and timed, whichever module
// calls it.
const INSTRUMENT = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: "longtask", buffered: true });
  window.__engineCalls = 0;
  window.__engineMs = [];
  // The engine's workers answer the page's messages only: each message is a request.
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (...args) {
    window.__engineCalls += 1;
    return post.apply(this, args);
  };
  // Every exported function but wasm-bindgen's plumbing (__wbindgen_*, __wbg_*): analyse,
  // and the methods of exported classes (a prepared report's view).
  const counted = (result) => {
    const exports = { ...result.instance.exports };
    for (const [name, f] of Object.entries(exports)) {
      if (typeof f !== "function" || name.startsWith("__")) continue;
      exports[name] = (...args) => {
        window.__engineCalls += 1;
        const started = performance.now();
        try {
          return f(...args);
        } finally {
          window.__engineMs.push(performance.now() - started);
        }
      };
    }
    return { module: result.module, instance: { exports } };
  };
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = async (...args) => {
      const result = await original.apply(WebAssembly, args);
      // instantiate(module) resolves to an Instance, the other forms to {module, instance}.
      return result instanceof WebAssembly.Instance ? counted({ instance: result }).instance : counted(result);
    };
  }
};

/** The reference page in a directory of its own, beside the report's vendored Plot file. */
function referenceSite() {
  const html = readFileSync(join(root, "index.html"), "utf8");
  // A <script src> of it, or the preload the page's module runs it from.
  const scripts = [...html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"[^>]*><\/script>/g), ...html.matchAll(/<link\b[^>]*\sas="script"[^>]*\shref="([^"]+)"[^>]*>/g)];
  const plot = scripts.map((m) => m[1]).find((src) => /plot/i.test(src));
  if (!plot) throw new Error(`${root}/index.html loads no Plot script`);
  const dir = mkdtempSync(join(tmpdir(), "sibstat-reference-"));
  for (const suffix of ["", ".br", ".gz"]) {
    if (existsSync(join(root, plot + suffix))) cpSync(join(root, plot + suffix), join(dir, basename(plot) + suffix));
  }
  const reference = join(ROOT, "scripts", "bench-reference");
  writeFileSync(join(dir, "index.html"), readFileSync(join(reference, "index.html"), "utf8").replace("PLOT_SCRIPT", basename(plot)));
  cpSync(join(reference, "draw.js"), join(dir, "draw.js"));
  return dir;
}

async function open(browser, dir, { slowdown = 1, path = "" } = {}) {
  const { server, url } = await serve(dir);
  const context = await browser.newContext(VIEWPORT);
  const page = await context.newPage();
  await page.addInitScript(INSTRUMENT);
  if (slowdown !== 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: slowdown });
  }
  await page.goto(url + path);
  await page.waitForFunction(() => performance.getEntriesByName("sibstat:drawn").length > 0, null, { timeout: 120000 });
  const close = async () => {
    await context.close();
    await new Promise((done) => server.close(done));
  };
  return { page, close };
}
const drawnAt = (page) => page.evaluate(() => performance.getEntriesByName("sibstat:drawn")[0].startTime);
/** The first contentful paint and when the document was parsed (ms from navigation). */
const paintAt = (page) =>
  page.evaluate(async () => {
    // The paint entry is queued after the frame; wait for it.
    for (let i = 0; i < 50 && !performance.getEntriesByName("first-contentful-paint").length; i++) await new Promise((done) => setTimeout(done, 10));
    return {
      paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
      parsed: performance.getEntriesByType("navigation")[0]?.domInteractive ?? NaN,
    };
  });
/**
 * The report's own marks at load: its script started, the engine ready (the package
 * prepared), and its worker's stages (report-engine.js marks them): started, module
 * compiled, package prepared, first view answered.
 */
const MARKS = ["sibstat:start", "sibstat:interactive", "sibstat:engine", "sibstat:checked", "sibstat:worker:started", "sibstat:worker:compiled", "sibstat:worker:prepared", "sibstat:worker:first_view"];
const marksAt = (page) => page.evaluate((names) => Object.fromEntries(names.map((name) => [name, performance.getEntriesByName(name)[0]?.startTime ?? NaN])), MARKS);
const longest = (page) => page.evaluate(() => Math.max(0, ...window.__longTasks));

/**
 * Clicks the definition radios alternately; ms from the click to the frame painted after
 * the page has drawn the new view (body[data-renders] counts up).
 */
const toggle = (page, n) =>
  page.evaluate(async (n) => {
    const times = [];
    const drawn = () =>
      new Promise((done) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done();
        });
        observer.observe(document.body, { attributes: true, attributeFilter: ["data-renders"] });
      });
    for (let i = 0; i < n; i++) {
      const id = i % 2 === 0 ? "def-result" : "def-effect";
      const started = performance.now();
      const rendered = drawn();
      document.getElementById(id).click();
      await rendered;
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      times.push(performance.now() - started);
    }
    return times;
  }, n);

/** The page's measures of a name (performance.measure), in ms; cleared after reading. */
const measures = (page, name) =>
  page.evaluate((name) => {
    const out = performance.getEntriesByName(name).map((e) => e.duration);
    performance.clearMeasures(name);
    return out;
  }, name);

const rows = [];
const ms = (x) => `${x.toFixed(0)} ms`;
const row = (measure, report, reference, ratio, target, met) => rows.push(`| ${measure} | ${report} | ${reference} | ${ratio} | ${target} | ${met === null ? "" : met ? "met" : "not met"} |`);

const browser = await launch();
const referenceDir = referenceSite();
try {
  // 1. Navigation to every section drawn, report and reference interleaved.
  const loads = [];
  const referenceLoads = [];
  const paints = [];
  const referencePaints = [];
  const marks = Object.fromEntries(MARKS.map((name) => [name, []]));
  let prerendered = 0;
  for (let i = 0; i < LOADS; i++) {
    for (const [dir, into, paintsInto] of [
      [root, loads, paints],
      [referenceDir, referenceLoads, referencePaints],
    ]) {
      const { page, close } = await open(browser, dir);
      into.push(await drawnAt(page));
      const { paint, parsed } = await paintAt(page);
      if (dir === root) {
        // The engine's stages come after "sibstat:drawn" when the page was prerendered.
        await page.waitForFunction(() => performance.getEntriesByName("sibstat:checked").length > 0, null, { timeout: 120000 });
        for (const [name, at] of Object.entries(await marksAt(page))) marks[name].push(at);
        // Every section is in the first paint when the page is prerendered and parsed by then.
        const withPrerender = await page.evaluate(() => Boolean(document.getElementById("sibstat-prerender")));
        if (withPrerender) prerendered += 1;
        paintsInto.push(Math.max(paint, parsed));
      } else paintsInto.push(paint);
      await close();
    }
  }
  const ratio = median(loads) / median(referenceLoads);
  row(`navigation to every section drawn and the page interactive ("sibstat:drawn", median of ${LOADS})`, ms(median(loads)), ms(median(referenceLoads)), `${ratio.toFixed(2)}×`, "≤ 2× reference", ratio <= 2);
  const at = (name) => ms(median(marks[name]));
  if (prerendered === LOADS) {
    const paintRatio = median(paints) / median(referencePaints);
    row("first paint with every section (report: first-contentful-paint, or the document parsed if later; reference: its chart's first paint)", ms(median(paints)), ms(median(referencePaints)), `${paintRatio.toFixed(2)}×`, "", null);
  } else row("first paint with every section", "no prerendered page (dist/site/ not built)", ms(median(referencePaints)), "", "", null);
  const checkedRatio = median(marks["sibstat:checked"]) / median(referenceLoads);
  row("the engine's first answer drawn, or checked against the prerendered sections (\"sibstat:checked\")", at("sibstat:checked"), ms(median(referenceLoads)), `${checkedRatio.toFixed(2)}×`, "", null);
  row("of which: the page's script started; took the prerendered page over (controls live); the engine ready (module compiled, package prepared)", `${at("sibstat:start")}; ${prerendered ? at("sibstat:interactive") : "–"}; ${at("sibstat:engine")}`, "", "", "", null);
  row("of which, in the worker: started; module compiled; package prepared; first view answered", ["started", "compiled", "prepared", "first_view"].map((s) => at(`sibstat:worker:${s}`)).join("; "), "", "", "", null);

  // 1b. Drawing every section at load where nothing is prerendered (www/ as it is: the
  // page draws the engine's first answer itself, its code cold): per section, the sum
  // of its steps (the section, then its chart and long table as steps of their own).
  {
    const WWW = join(ROOT, "www");
    const perSection = {};
    const spans = [];
    for (let i = 0; i < COLD_LOADS; i++) {
      const { page, close } = await open(browser, WWW);
      const steps = await page.evaluate(() => performance.getEntriesByType("measure").filter((m) => m.name.startsWith("sibstat:section:")).map((m) => [m.name.slice("sibstat:section:".length), m.duration, m.startTime]));
      const sums = {};
      for (const [id, duration] of steps) sums[id] = (sums[id] ?? 0) + duration;
      for (const [id, sum] of Object.entries(sums)) (perSection[id] ??= []).push(sum);
      spans.push(Math.max(...steps.map(([, d, at]) => at + d)) - Math.min(...steps.map(([, , at]) => at)));
      await close();
    }
    const total = Object.values(perSection).reduce((sum, xs) => sum + median(xs), 0);
    row(
      `drawing every section at load without a prerender (www/, median of ${COLD_LOADS}): steps' sum; first to last step; per section`,
      `${ms(total)}; ${ms(median(spans))}; ${Object.entries(perSection).map(([id, xs]) => `${id} ${median(xs).toFixed(1)}`).join(", ")}`,
      "",
      "",
      "",
      null,
    );
  }

  // 2. A definition toggle, and a language switch (engine calls counted).
  {
    const { page, close } = await open(browser, root);
    await page.waitForSelector("body[data-ready=true]");
    // The engine in the page's own thread (none when it runs in a worker), and the round
    // trips to the report's worker (the page's "sibstat:view" measures).
    const firstCall = await page.evaluate(() => Math.max(0, ...window.__engineMs));
    const firstView = Math.max(0, ...(await measures(page, "sibstat:view")));
    await page.evaluate(() => (window.__engineMs = []));
    const toggles = await toggle(page, TOGGLES);
    const engineMs = await page.evaluate(() => window.__engineMs);
    const viewMs = await measures(page, "sibstat:view");
    row(`definition toggle to everything repainted (median of ${TOGGLES})`, `${median(toggles).toFixed(1)} ms`, "", "", "≤ 50 ms", median(toggles) <= 50);
    if (engineMs.length) row("of which engine calls in the page, per call (median; the longest call at load)", `${median(engineMs).toFixed(1)} ms (${firstCall.toFixed(1)} ms)`, "", "", "", null);
    if (viewMs.length) row("of which the engine's answer from its worker, request to response (median; at load, from the worker's start)", `${median(viewMs).toFixed(1)} ms (${firstView.toFixed(1)} ms)`, "", "", "", null);
    // The count works: loading and toggling called the engine.
    const before = await page.evaluate(() => window.__engineCalls);
    const toggled = await page.evaluate(async () => {
      const next = document.documentElement.lang === "en" ? "nl" : "en";
      const renders = Number(document.body.dataset.renders);
      document.getElementById(`lang-${next}`).click();
      while (Number(document.body.dataset.renders) === renders) await new Promise((done) => setTimeout(done, 10));
      return document.documentElement.lang === next;
    });
    const calls = (await page.evaluate(() => window.__engineCalls)) - before;
    row(`engine calls on a language switch (load and ${TOGGLES} toggles: ${before})`, toggled ? String(calls) : "switch failed", "", "", "0", toggled && before > 0 && calls === 0);
    // Drawing itself: a language switch redraws every section (no engine call).
    const perSection = {};
    for (let i = 0; i < SWITCHES; i++) {
      await page.evaluate(() => performance.clearMeasures());
      await page.evaluate(async () => {
        const next = document.documentElement.lang === "en" ? "nl" : "en";
        const renders = Number(document.body.dataset.renders);
        document.getElementById(`lang-${next}`).click();
        while (Number(document.body.dataset.renders) === renders) await new Promise((done) => setTimeout(done, 10));
      });
      const drawnNow = await page.evaluate(() => performance.getEntriesByType("measure").filter((m) => m.name.startsWith("sibstat:section:")).map((m) => [m.name.slice("sibstat:section:".length), m.duration]));
      const sums = {};
      for (const [id, duration] of drawnNow) sums[id] = (sums[id] ?? 0) + duration;
      for (const [id, sum] of Object.entries(sums)) (perSection[id] ??= []).push(sum);
    }
    const total = Object.values(perSection).reduce((sum, xs) => sum + median(xs), 0);
    row(
      `drawing every section (a language switch, median of ${SWITCHES}): all; per section`,
      `${ms(total)}; ${Object.entries(perSection).map(([id, xs]) => `${id} ${median(xs).toFixed(1)}`).join(", ")}`,
      "",
      "",
      "",
      null,
    );
    await close();
  }

  // 3. The longest main-thread task under 4x CPU throttling, at load and on toggles.
  // At load: the longest task of each load until the page has settled (the report: its
  // sections checked against the engine's first answer, which comes after Plot has run;
  // the reference: its chart drawn), the loads alternating; the median of those maxima,
  // as every target is a median (one load's maximum ranged over 118-343 ms on one build).
  {
    const settled = async (page, mark) => {
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, mark, { timeout: 120000 });
      // Long tasks are reported shortly after they end.
      await page.waitForTimeout(300);
      return longest(page);
    };
    const atLoad = [];
    const referenceAtLoad = [];
    for (let i = 0; i < THROTTLED_LOADS; i++) {
      const report = await open(browser, root, { slowdown: CPU_SLOWDOWN });
      atLoad.push(await settled(report.page, "sibstat:checked"));
      await report.close();
      const reference = await open(browser, referenceDir, { slowdown: CPU_SLOWDOWN });
      referenceAtLoad.push(await settled(reference.page, "sibstat:drawn"));
      await reference.close();
    }
    const span = (xs) => `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
    row(`longest main-thread task at load until settled, ${CPU_SLOWDOWN}× CPU slowdown (median of ${THROTTLED_LOADS} loads' longest; their range)`, span(atLoad), span(referenceAtLoad), "", "≤ 200 ms", median(atLoad) <= 200);
    const { page, close } = await open(browser, root, { slowdown: CPU_SLOWDOWN });
    await page.waitForSelector("body[data-ready=true]");
    await page.evaluate(() => (window.__longTasks = []));
    await toggle(page, THROTTLED_TOGGLES);
    // Long tasks are reported shortly after they end.
    await page.waitForTimeout(200);
    const onToggle = await longest(page);
    row(`longest main-thread task on a toggle (${THROTTLED_TOGGLES} toggles), ${CPU_SLOWDOWN}× CPU slowdown`, ms(onToggle), "", "", "≤ 200 ms", onToggle <= 200);
    await close();
  }

  // 4. Bootstrap throughput in the worker: replicates per second, start to result
  // (`--no-bootstrap` leaves it out, for measuring the page alone).
  if (!process.argv.includes("--no-bootstrap")) {
    const { page, close } = await open(browser, root);
    await page.waitForSelector("body[data-ready=true]");
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
    if (outcome === "done") row(`bootstrap in the worker (${requests} requests × ${REPLICATES} replicates, click to result)`, `${(total / seconds).toFixed(0)} replicates/s`, "", "", "", null);
    else row("bootstrap in the worker", outcome, "", "", "", null);
    await close();
  }
} finally {
  await browser.close();
  rmSync(referenceDir, { recursive: true, force: true });
}

console.log(`\n## Report page (${root === SITE ? "dist/site/, precompressed" : "www/"}; headless Chromium, reference = the same Plot file and one chart, same run)\n`);
console.log("| measure | report page | reference | ratio | target | |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const line of rows) console.log(line);
