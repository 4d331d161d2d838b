// The default view drawn at build time (scripts/prerender.mjs) in the built site's page
// (dist/site/, `./build.sh build`): the sections it carries are those the page's own
// code draws; the page's script takes them over without redrawing (focus, open
// disclosures and scroll position kept); a URL that asks for another view never shows
// the prerendered one; a change or a click made before the engine is ready is carried
// out when it is.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, launch } from "./browser.mjs";
import { SECTION_IDS, pageMetrics } from "./report.mjs";
import { serve } from "../../scripts/serve.mjs";
import { bundlePage, sha256 } from "../../scripts/bundle.mjs";
import { applyPrerender, readPrerender } from "../../scripts/prerender.mjs";

const SITE = join(ROOT, "dist", "site");
const WWW = join(ROOT, "www");
const VIEWPORT = { viewport: { width: 1400, height: 900 } };

let browser;
const servers = {};
before(async () => {
  assert.ok(existsSync(join(SITE, "index.html")), "dist/site/index.html: run ./build.sh build first");
  browser = await launch();
  servers.site = await serve(SITE);
  servers.www = await serve(WWW);
});
after(async () => {
  await browser?.close();
  for (const { server } of Object.values(servers)) await new Promise((done) => server.close(done));
});

/**
 * Opens `path` of a served directory. `hold`: a RegExp of request URLs answered only
 * when `release()` is called (the page's module, the engine). Collects console errors.
 */
async function open(where, path = "", { hold = null, javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ ...VIEWPORT, javaScriptEnabled, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  let release = () => {};
  if (hold) {
    const held = new Promise((resolve) => (release = resolve));
    await context.route(hold, async (route) => {
      await held;
      await route.continue();
    });
  }
  await page.goto(servers[where].url + path, { waitUntil: "commit" });
  return { page, errors, release, close: () => context.close() };
}

// The page's own module (hashed in the built site): held, the page stays as served.
const MAIN = /\/assets\/main\.[0-9a-f]{10}\.js$/;
// The engine's module: held, the engine stays unready while the page's script runs.
const ENGINE = /\.wasm$/;

/**
 * The sections as markup, comparable between a prerendered page and one drawn by the
 * client: without the prerender's own attributes and the scroll cue the page sets by
 * the table's width once it runs.
 */
const sectionsMarkup = (page) =>
  page.evaluate((ids) => {
    const markup = {};
    for (const id of ids) {
      const copy = document.getElementById(id).cloneNode(true);
      copy.removeAttribute("data-prerendered");
      copy.removeAttribute("style");
      for (const el of copy.querySelectorAll("[elementtiming]")) el.removeAttribute("elementtiming");
      for (const wrap of copy.querySelectorAll(".table-wrap")) {
        wrap.classList.remove("scrolls");
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
      }
      markup[id] = copy.outerHTML;
    }
    return markup;
  }, SECTION_IDS);

/** Equal markup per section; a difference is shown where it begins. */
function assertSameMarkup(actual, expected, label) {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), label);
  for (const [id, markup] of Object.entries(expected)) {
    if (actual[id] === markup) continue;
    let at = 0;
    while (actual[id][at] === markup[at]) at++;
    assert.fail(`${label}: section ${id} differs at ${at}: …${actual[id].slice(Math.max(0, at - 120), at + 120)}… where the client drew …${markup.slice(Math.max(0, at - 120), at + 120)}…`);
  }
}

async function drawnByClient(query) {
  const { page, errors, close } = await open("www", query);
  try {
    await page.waitForSelector("body[data-ready=true]");
    assert.deepEqual(errors, []);
    return await sectionsMarkup(page);
  } finally {
    await close();
  }
}

/** The sections a load or a view redrew (the page's per-section measures). */
const redrawn = (page) => page.evaluate(() => [...new Set(performance.getEntriesByType("measure").filter((m) => m.name.startsWith("sibstat:section:")).map((m) => m.name.slice("sibstat:section:".length)))]);

test("the served page carries every section of the default view, as the client draws them, in both languages after the takeover", async () => {
  const client = await drawnByClient("");
  // As served, before any script: the prerender alone.
  const bare = await open("site", "", { javaScriptEnabled: false });
  try {
    await bare.page.waitForLoadState("domcontentloaded");
    assertSameMarkup(await sectionsMarkup(bare.page), client, "as served");
    for (const id of SECTION_IDS) assert.equal(await bare.page.locator(`#${id}`).getAttribute("data-prerendered"), "");
  } finally {
    await bare.close();
  }
  const { page, errors, close } = await open("site");
  try {
    await page.waitForSelector("body[data-ready=true]");
    assert.deepEqual(await redrawn(page), [], "the takeover redrew no section");
    assert.equal(await page.locator("[data-prerendered]").count(), 0);
    assertSameMarkup(await sectionsMarkup(page), client, "taken over");
    // The language switch after the takeover: the client's English page, then its Dutch one again.
    const english = await drawnByClient("?lang=en");
    for (const [lang, expected] of [["en", english], ["nl", client]]) {
      const renders = Number(await page.getAttribute("body", "data-renders"));
      await page.check(`#lang-${lang}`);
      await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, renders);
      assertSameMarkup(await sectionsMarkup(page), expected, lang);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a URL that asks for another view never shows the prerendered one; each section shows when checked or drawn", async () => {
  for (const query of ["?lang=en", "?def=result", "?cohort=2&unknown=success"]) {
    const { page, errors, release, close } = await open("site", query, { hold: MAIN });
    try {
      await page.waitForLoadState("domcontentloaded");
      // Before the page's script runs: every prerendered part is hidden (from the first paint: the guard is in <head>).
      assert.equal(await page.getAttribute("html", "data-prerender"), "hidden", query);
      // The page's stylesheet blocks its first paint but not "DOMContentLoaded": read the
      // computed style once it has arrived (on a loaded machine it had not, at times).
      await page.waitForFunction(() => [...document.styleSheets].some((sheet) => /style\.[^/]*css$/.test(sheet.href ?? "")));
      const visible = await page.evaluate(() => [...document.querySelectorAll("[data-prerendered]")].filter((el) => getComputedStyle(el).visibility !== "hidden").map((el) => el.id || el.className));
      assert.deepEqual(visible, [], `${query}: prerendered parts shown`);
      release();
      await page.waitForSelector("body[data-ready=true]");
      assert.equal(await page.locator("[data-prerendered]").count(), 0);
      assert.equal(await page.getAttribute("html", "data-prerender"), null);
      // What is shown is what the client draws for that URL.
      assertSameMarkup(await sectionsMarkup(page), await drawnByClient(query), query);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  // A query the page reads as the default view shows the prerender at once.
  const { page, close } = await open("site", "?lang=nl");
  try {
    await page.waitForSelector("body[data-ready=true]");
    assert.deepEqual(await redrawn(page), []);
  } finally {
    await close();
  }
  // The default URL shows it before any script.
  const bare = await open("site", "", { hold: MAIN });
  try {
    await bare.page.waitForLoadState("domcontentloaded");
    const hidden = await bare.page.evaluate(() => [...document.querySelectorAll(".report-section")].filter((el) => getComputedStyle(el).visibility === "hidden").length);
    assert.equal(hidden, 0);
    bare.release();
  } finally {
    await bare.close();
  }
});

test("a toggle before the engine is ready, and one made before the page's script ran, are carried out when it is", async () => {
  const expected = {};
  for (const query of ["?def=result", "?def=result&cohort=1"]) {
    const { page, close } = await open("www", query);
    await page.waitForSelector("body[data-ready=true]");
    expected[query] = await pageMetrics(page);
    await close();
  }
  // The engine held: the page's script has taken over and the controls respond.
  {
    const { page, errors, release, close } = await open("site", "", { hold: ENGINE });
    try {
      await page.waitForFunction(() => performance.getEntriesByName("sibstat:interactive").length > 0);
      assert.equal(await page.getAttribute("#controls", "aria-busy"), "true");
      await page.check("#def-result");
      assert.equal(await page.evaluate(() => location.search), "?def=result");
      release();
      await page.waitForFunction(() => document.body.dataset.ready === "true" && new URLSearchParams(location.search).get("def") === "result");
      await page.waitForFunction(() => !document.getElementById("controls").hasAttribute("aria-busy"));
      assert.deepEqual(await pageMetrics(page), expected["?def=result"]);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  // The page's module held: the reader changes two prerendered controls.
  {
    const { page, errors, release, close } = await open("site", "", { hold: MAIN });
    try {
      await page.waitForLoadState("domcontentloaded");
      await page.check("#def-result");
      await page.check("#cohort-1");
      release();
      await page.waitForFunction(() => document.body.dataset.ready === "true" && location.search === "?def=result&cohort=1");
      await page.waitForFunction(() => Number(document.body.dataset.renders) >= 1 && !document.getElementById("controls").hasAttribute("aria-busy"));
      assert.equal(await page.isChecked("#def-result"), true);
      assert.equal(await page.isChecked("#cohort-1"), true);
      assert.deepEqual(await pageMetrics(page), expected["?def=result&cohort=1"]);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});

test("the takeover keeps the reader's focus, open disclosures and scroll position; a kept section's buttons work", async () => {
  const { page, errors, release, close } = await open("site", "", { hold: MAIN });
  try {
    await page.waitForLoadState("domcontentloaded");
    // The reader opens the chart's table, focuses a source note's link and scrolls to it.
    await page.click("#duration details.figure-table summary");
    await page.focus("#wellbeing a.tier");
    const before = await page.evaluate(() => {
      window.__focused = document.activeElement;
      window.__opened = document.querySelector("#duration details.figure-table");
      window.__focused.scrollIntoView({ block: "center" });
      return { scrollY: window.scrollY, top: window.__focused.getBoundingClientRect().top };
    });
    assert.ok(before.scrollY > 1000);
    release();
    await page.waitForSelector("body[data-ready=true]");
    const kept = await page.evaluate(() => ({
      focus: document.activeElement === window.__focused,
      open: window.__opened.isConnected && window.__opened.open,
      // What the reader sees stays in place (the sections above it laid out now keep it there).
      top: window.__focused.getBoundingClientRect().top,
    }));
    assert.deepEqual({ ...kept, top: undefined }, { focus: true, open: true, top: undefined });
    // The table opened before the script ran is built when its section is checked (its
    // note said it would follow); one opened after the takeover is built on opening.
    assert.ok(await page.evaluate(() => window.__opened.querySelectorAll("tbody tr").length > 10 && !window.__opened.querySelector(".disclosure-pending")));
    const fit = "#duration details.table-alternative:not(.figure-table)";
    assert.equal(await page.locator(`${fit} table`).count(), 0);
    await page.click(`${fit} summary`);
    assert.ok((await page.locator(`${fit} tbody tr[data-point]`).count()) > 10);
    assert.equal(await page.locator(`${fit} .disclosure-pending`).count(), 0);
    // Within a pixel: the heights held until then are whole pixels.
    assert.ok(Math.abs(kept.top - before.top) < 1, `the focused link moved from ${before.top} to ${kept.top}`);
    assert.deepEqual(await redrawn(page), []);
    // A kept section's download button, focused and pressed: its handler is bound then.
    await page.focus('#outflow [data-download="csv"]');
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    assert.equal(download.suggestedFilename(), "uitstroom-oorzaken.csv");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.download), "csv", "focus stays on the button");
    const csv = readFileSync(await download.path(), "utf8");
    assert.match(csv, /oorzaak/);
    // The bootstrap's run button of the kept section runs.
    const renders = Number(await page.getAttribute("body", "data-renders"));
    await page.click("#options summary");
    await page.fill("#reps", "50");
    await page.dispatchEvent("#reps", "change");
    await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, renders);
    await page.click("#bootstrap-run");
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 60000 });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a download clicked before the engine is ready is made when it is", async () => {
  const { page, errors, release, close } = await open("site", "", { hold: ENGINE });
  try {
    await page.waitForFunction(() => performance.getEntriesByName("sibstat:interactive").length > 0);
    const downloaded = page.waitForEvent("download");
    await page.click('#reconciliation [data-download="csv"]');
    assert.equal(await page.getAttribute('#reconciliation [data-download="csv"]', "aria-busy"), "true");
    release();
    const download = await downloaded;
    assert.equal(download.suggestedFilename(), "controle.csv");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the prerender is refused for other sources, and written into the page it was made for", () => {
  const prerendered = readPrerender(join(ROOT, "dist", "prerender.json"), "index.html");
  assert.ok(prerendered, "dist/prerender.json is the report page's");
  assert.equal(readPrerender(join(ROOT, "dist", "prerender.json"), "workbench.html"), null);
  const html = readFileSync(join(WWW, "index.html"), "utf8");
  const written = applyPrerender(html, prerendered, WWW);
  assert.ok(written.includes('<script type="application/json" id="sibstat-prerender">'));
  assert.equal((written.match(/data-prerendered=""/g) ?? []).length, SECTION_IDS.length + 3, "the sections, the masthead, the controls and the state box");
  assert.throws(() => applyPrerender(html, { ...prerendered, sources: "0" }, WWW), /other sources/);
});

test("the offline file can carry the prerender too (not by default: README): it is taken over from disk with nothing redrawn", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sibstat-prerendered-offline-"));
  const file = join(dir, "sibstat-report.html");
  try {
    const { html, scriptHashes } = await bundlePage({ root: WWW, out: file, prerender: join(ROOT, "dist", "prerender.json") });
    assert.ok(html.includes('id="sibstat-prerender"'));
    // The JSON block is data: no hash of it is allowed as a script.
    const json = html.match(/<script type="application\/json" id="sibstat-prerender">([\s\S]*?)<\/script>/)[1];
    assert.ok(!scriptHashes.includes(sha256(json)));
    const context = await browser.newContext(VIEWPORT);
    await context.setOffline(true);
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(String(error)));
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("body[data-ready=true]");
      // The methods section links the offline sibling of the workbench: drawn again; the rest kept.
      assert.deepEqual(await redrawn(page), ["methods"]);
      assert.equal(await page.getAttribute("#methods .workbench-link", "href"), "sibstat-workbench.html");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the charts wait for Plot when the engine answers before it has loaded (the takeover does not wait for it)", async () => {
  const { page, errors, release, close } = await open("site", "?lang=en", { hold: /\/assets\/plot\.[0-9a-f]{10}\.js$/ });
  try {
    // The engine's first answer is in (its worker's stages are marked as they arrive).
    await page.waitForFunction(() => performance.getEntriesByName("sibstat:worker:first_view").length > 0);
    assert.equal(await page.evaluate(() => typeof globalThis.Plot), "undefined");
    release();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.locator(".missing:not([data-gap])").count(), 0);
    assert.ok((await page.locator("#duration svg[role=img]").count()) >= 1);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("Plot, preloaded, runs only after the frame that shows the taken-over page; the kept view needs it not", async () => {
  const context = await browser.newContext(VIEWPORT);
  // When the vendored script defines the global Plot (js/main.js runs it after that frame).
  await context.addInitScript(() => {
    let plot;
    Object.defineProperty(globalThis, "Plot", {
      configurable: true,
      get: () => plot,
      set: (value) => {
        plot = value;
        globalThis.sibstatPlotAt = performance.now();
      },
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  try {
    await page.goto(servers.site.url);
    await page.waitForSelector("body[data-ready=true]");
    // The download starts with the page's: a preload, not a script the parser runs.
    assert.equal(await page.locator('link[rel=preload][as=script][href*="plot."]').count(), 1);
    const { drawn, plotAt } = await page.evaluate(() => ({ drawn: performance.getEntriesByName("sibstat:drawn")[0]?.startTime, plotAt: globalThis.sibstatPlotAt }));
    assert.ok(drawn > 0 && plotAt > drawn, `Plot ran at ${plotAt} ms, the page was drawn at ${drawn} ms`);
    assert.deepEqual(await redrawn(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a change made before Plot has run is drawn, with its charts, once it has", async () => {
  const { page, errors, release, close } = await open("site", "", { hold: /\/assets\/plot\.[0-9a-f]{10}\.js$/ });
  try {
    await page.waitForFunction(() => performance.getEntriesByName("sibstat:drawn").length > 0);
    await page.check("#cohort-2");
    await page.waitForFunction(() => performance.getEntriesByName("sibstat:worker:first_view").length > 0);
    assert.equal(await page.evaluate(() => typeof globalThis.Plot), "undefined");
    release();
    await page.waitForFunction(() => document.body.dataset.ready === "true" && !document.getElementById("controls").hasAttribute("aria-busy"));
    assert.equal(await page.isChecked("#cohort-2"), true);
    assert.ok((await redrawn(page)).includes("duration"), "the cohort's charts are drawn");
    assert.equal(await page.locator(".missing:not([data-gap])").count(), 0);
    assert.ok((await page.locator("#duration svg[role=img]").count()) >= 1);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("back before the engine is ready: the view follows the URL once the engine is", async () => {
  const { page, errors, release, close } = await open("site", "", { hold: ENGINE });
  try {
    await page.waitForFunction(() => performance.getEntriesByName("sibstat:interactive").length > 0);
    await page.check("#cohort-2");
    assert.equal(await page.evaluate(() => location.search), "?cohort=2");
    await page.goBack();
    assert.equal(await page.evaluate(() => location.search), "");
    release();
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForFunction(() => !document.getElementById("controls").hasAttribute("aria-busy"));
    assert.equal(await page.isChecked("#cohort-all"), true);
    // The default view again: every prerendered section kept.
    assert.deepEqual(await redrawn(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
