// Helpers of the report's browser tests: open the report, wait for a (re)draw, read the
// data-metric values, and ask the engine directly (in the page) for a state's response.
import { before, after } from "node:test";
import { join } from "node:path";
import { ROOT, launch, openPage } from "./browser.mjs";
import { serve } from "../../scripts/serve.mjs";

export const SECTION_IDS = ["summary", "participants", "outflow", "duration", "predictors", "sanctions", "wellbeing", "reconciliation", "bootstrap", "methods"];

export async function openReport(browser, query = "", options = {}) {
  const opened = await openPage(browser, { path: query, contextOptions: { viewport: { width: 1400, height: 900 }, acceptDownloads: true, ...(options.contextOptions ?? {}) } });
  await opened.page.waitForSelector("body[data-ready]");
  return opened;
}

/**
 * Serves www/ with the report package `dir` as its data/ (scripts/serve.mjs --data) for
 * the tests of the calling file: registers the before/after hooks and returns
 * `{ url, open(address) }`, `open` being {@link openCollecting} in that file's browser.
 */
export function servePackage(dir) {
  let browser;
  let server;
  const served = { url: null, open: (address) => openCollecting(browser, address) };
  before(async () => {
    browser = await launch();
    ({ server, url: served.url } = await serve(join(ROOT, "www"), 0, "127.0.0.1", { data: dir }));
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });
  return served;
}

/**
 * Opens `address` in a fresh 1400×900 context that collects console errors and page
 * errors, and waits for the report's first draw: { page, errors, close }.
 */
export async function openCollecting(browser, address) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(address);
  await page.waitForSelector("body[data-ready]");
  return { page, errors, close: () => context.close() };
}

export async function renders(page) {
  return Number(await page.getAttribute("body", "data-renders"));
}

/** Runs `action` and waits until the page has drawn again. */
export async function redrawAfter(page, action) {
  const before = await renders(page);
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, before);
}

/** Every data-metric of the page: name → data-value (string). */
export async function pageMetrics(page) {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll("[data-metric]")) out[el.dataset.metric] = el.dataset.value;
    return out;
  });
}

/**
 * The engine's response to a request, computed in the page by the same module; a
 * `joining_forces` request is a view of the report package the page serves.
 */
export async function engineResponse(page, request) {
  return page.evaluate(async (request) => {
    const engine = await import("./pkg/sibstat.js");
    await engine.default();
    if (request.analysis !== "joining_forces") return engine.analyse(request);
    const [data, reconstruction] = await Promise.all(["./data/joining_forces.json", "./data/reconstruction.json"].map((file) => fetch(file).then((r) => r.text())));
    const report = new engine.Report(data, reconstruction);
    try {
      return report.view(request);
    } finally {
      report.free();
    }
  }, request);
}

/** The engine request of a query, through the page's own state module. */
export async function requestOf(page, query) {
  return page.evaluate(async (query) => {
    const state = await import("./js/state.js");
    return state.engineRequest(state.parseQuery(query).state);
  }, query);
}
