// A toggle's drawing (README, "How the page stays fast"): once a section's code has run
// in the page, a toggle draws its changed sections in one task (no frame painted
// half-drawn in between, and no second frame to wait for), even on a slower CPU; a
// closed disclosure's table is built when the reader first opens it, in the reader's
// language, and a toggle builds none for a closed one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, launch } from "./browser.mjs";
import { serve } from "../../scripts/serve.mjs";
import { engineResponse, openReport, redrawAfter, requestOf } from "./report.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Before any script of the page: every time the page gives the main thread back
// (sections/draw.js, nextTask: scheduler.yield, or a MessageChannel without it) is counted.
const COUNT_YIELDS = () => {
  window.__yields = 0;
  const yieldOnce = globalThis.scheduler?.yield;
  if (yieldOnce) {
    globalThis.scheduler.yield = function (...args) {
      window.__yields += 1;
      return yieldOnce.apply(this, args);
    };
  }
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (...args) {
    window.__yields += 1;
    return post.apply(this, args);
  };
};

const redrawnSections = (page) => page.evaluate(() => [...new Set(performance.getEntriesByType("measure").filter((m) => m.name.startsWith("sibstat:section:")).map((m) => m.name.slice("sibstat:section:".length)))]);

test("a definition toggle draws every changed section in one task once their code has run, at 3x CPU slowdown too", async () => {
  const served = await serve(join(ROOT, "www"));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(COUNT_YIELDS);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 3 });
    await page.goto(served.url);
    await page.waitForSelector("body[data-ready=true]");
    // Each definition drawn once: every section's code has run.
    for (const id of ["def-result", "def-effect"]) await redrawAfter(page, () => page.click(`#${id}`));
    const yielded = [];
    for (const id of ["def-result", "def-effect", "def-result", "def-effect", "def-result"]) {
      await page.evaluate(() => {
        window.__yields = 0;
        performance.clearMeasures();
      });
      await redrawAfter(page, () => page.click(`#${id}`));
      const { yields, ready } = await page.evaluate(() => ({ yields: window.__yields, ready: document.body.dataset.ready }));
      assert.equal(ready, "true");
      // The changed sections were redrawn, the rest kept...
      const redrawn = await redrawnSections(page);
      for (const section of ["summary", "outflow", "duration"]) assert.ok(redrawn.includes(section), `${section} redrawn (${redrawn})`);
      for (const section of ["participants", "sanctions", "wellbeing", "reconciliation", "methods"]) assert.ok(!redrawn.includes(section), `${section} kept (${redrawn})`);
      yielded.push(yields);
    }
    // ... with the main thread not given back in between: at 3x slowdown the drawing takes
    // about 60 ms, twice the slice of a cold drawing (given back at least once each time),
    // well within a warm one's. A machine loaded by other work can stretch one toggle
    // past that: most toggles, not every one.
    assert.ok(yielded.filter((n) => n === 0).length >= 4, `the drawing gave the main thread back ${yielded.join(", ")} times`);
  } finally {
    await context.close();
    await new Promise((done) => served.server.close(done));
  }
});

test("a closed disclosure's table is built when first opened, in the reader's language; a toggle builds none", async () => {
  const { page, consoleErrors, close } = await openReport(browser);
  try {
    const figure = "#duration details.figure-table";
    const fit = "#duration details.table-alternative:not(.figure-table)";
    for (const selector of [figure, fit]) {
      assert.equal(await page.locator(`${selector} table`).count(), 0, `${selector}: no table before it is opened`);
      assert.equal(await page.getAttribute(selector, "data-fill"), "");
    }
    // A toggle redraws the section: its closed disclosures stay unbuilt.
    await page.evaluate(() => performance.clearMeasures());
    await redrawAfter(page, () => page.click("#def-result"));
    assert.ok((await redrawnSections(page)).includes("duration"));
    assert.equal(await page.locator(`${figure} table`).count(), 0);
    for (const lang of ["nl", "en"]) {
      if (lang === "en") await redrawAfter(page, () => page.click("#lang-en"));
      assert.equal(await page.locator(`${figure} table`).count(), 0, `${lang}: not built before it is opened`);
      await page.click(`${figure} summary`);
      await page.locator(`${figure} table`).waitFor();
      // Built on opening: one row per step of the engine's curves, the times in the reader's notation.
      const response = await engineResponse(page, await requestOf(page, await page.evaluate(() => location.search)));
      const times = response.duration.cumulative_incidence.result.curves[0].time;
      const shown = await page.locator(`${figure} tbody th`).allInnerTexts();
      assert.deepEqual(shown.map((s) => s.trim()), times.map((x) => (Number.isInteger(x) ? String(x) : String(x).replace(".", lang === "nl" ? "," : "."))));
      assert.match(await page.innerText(`${figure} caption`), lang === "nl" ? /^Figuur 3\.2/ : /^Figure 3\.2/);
      assert.equal(await page.locator(`${figure} .disclosure-pending`).count(), 0, "the note gives way to the table");
      assert.equal(await page.getAttribute(figure, "data-fill"), null);
      await page.click(`${fit} summary`);
      await page.locator(`${fit} table`).waitFor();
      const points = response.duration.published_points.length;
      assert.equal(await page.locator(`${fit} tbody tr[data-point]`).count(), points);
      assert.match(await page.innerText(`${fit} thead`), lang === "nl" ? /Binnen marge/ : /Within tolerance/);
      // Closed and opened again: built once.
      await page.click(`${figure} summary`);
      await page.click(`${figure} summary`);
      assert.equal(await page.locator(`${figure} table`).count(), 1);
    }
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
