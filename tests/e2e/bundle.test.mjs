// The offline briefing file in headless Chromium: opened over file:// with the network
// off, it runs the engine (in the page and in a worker), shows the same numbers as the
// served page, makes no request beyond itself, and prints to an A4 PDF whose first page
// carries the state box. The served page's requests are checked too.
//
// Two bundles: a demo (tests/e2e/fixtures/bundle-demo: a module with static imports,
// a fetched data file, a worker started both ways, a font, a classic script, images),
// so the bundler is tested whatever the report looks like; and the real page
// (dist/sibstat-report.html when it is newer than www/, else bundled here), copied
// alone to another directory under another name, as on a USB stick.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { ROOT, artifact, launch, openPage } from "./browser.mjs";
import { bundlePage, sha256 } from "../../scripts/bundle.mjs";
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from "../../scripts/serve.mjs";

const WWW = join(ROOT, "www");
const DIST = join(ROOT, "dist", "sibstat-report.html");

// The views compared between the served page and the offline file.
const STATES = ["", "?def=result&unknown=success&cohort=2&seed=7&lang=nl", "?def=custom&unknown=failure&cohort=1&seed=123"];

let browser;
let demo; // { file, result, dir }
let real; // { file }

function newestUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs;
    return Math.max(newest, time);
  }, 0);
}

before(async () => {
  browser = await launch();
  // The demo with the engine as built (pkg/ is a build output, not in the fixture).
  const dir = mkdtempSync(join(tmpdir(), "sibstat-bundle-demo-"));
  cpSync(join(ROOT, "tests", "e2e", "fixtures", "bundle-demo"), dir, { recursive: true });
  mkdirSync(join(dir, "pkg"));
  for (const name of ["sibstat.js", "sibstat_bg.wasm"]) cpSync(join(WWW, "pkg", name), join(dir, "pkg", name));
  const file = artifact("bundle-demo.html");
  demo = { file, dir, result: await bundlePage({ root: dir, out: file }) };
  // The real page.
  let built = DIST;
  if (!existsSync(DIST) || statSync(DIST).mtimeMs < newestUnder(WWW)) {
    built = artifact("sibstat-report.html");
    await bundlePage({ root: WWW, out: built });
  }
  // As a briefer has it: copied alone to a stick, renamed, a space in the path.
  const stick = mkdtempSync(join(tmpdir(), "sibstat-usb-"));
  mkdirSync(join(stick, "Briefing 12"));
  real = { file: join(stick, "Briefing 12", "JF briefing.html"), stick };
  cpSync(built, real.file);
});
after(async () => {
  await browser?.close();
  if (demo?.dir) rmSync(demo.dir, { recursive: true, force: true });
  if (real?.stick) rmSync(real.stick, { recursive: true, force: true });
});

/**
 * Opens a bundled file over file:// in a context with the network off; every request
 * is recorded, and any that is not the file itself or a data:/blob: URL is aborted.
 */
async function openOffline(file, query = "") {
  const context = await browser.newContext();
  await context.setOffline(true);
  const own = pathToFileURL(file).href;
  const requests = [];
  const aborted = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(data|blob):/.test(url) || url.split(/[?#]/)[0] === own) return route.continue();
    aborted.push(url);
    return route.abort("internetdisconnected");
  });
  context.on("request", (request) => requests.push(request.url()));
  // Every Content-Security-Policy violation, from the page's first script on.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  page.on("worker", (worker) => worker.on("console", (m) => m.type() === "error" && consoleErrors.push(`worker: ${m.text()}`)));
  const started = performance.now();
  await page.goto(own + query);
  const foreign = () => requests.filter((url) => !/^(data|blob):/.test(url) && url.split(/[?#]/)[0] !== own);
  return { page, context, requests, aborted, foreign, consoleErrors, started, close: () => context.close() };
}

const metrics = (page) =>
  page.$$eval("[data-metric]", (elements) => Object.fromEntries(elements.map((e) => [e.dataset.metric, e.dataset.value ?? null])));

test("the demo bundle runs offline from disk: engine, both worker patterns, fetched data, font, images", async () => {
  assert.equal(demo.result.workers, 1, "both worker patterns name the same file: one bundled worker");
  assert.equal(demo.result.wasm, 1);
  // The wasm's base64 text (of its gzip form) is in the file once, shared by the page
  // and the worker.
  const b64 = gzipSync(readFileSync(join(demo.dir, "pkg", "sibstat_bg.wasm")), { level: 9 }).toString("base64");
  assert.equal(demo.result.html.split(b64.slice(0, 200)).length - 1, 1);
  assert.ok(!/__SIBSTAT_WASM_\d+__/.test(demo.result.html), "no wasm placeholder is left outside the worker code");
  assert.match(demo.result.html, /url\(data:font\/woff2;base64,/);
  assert.match(demo.result.html, /<style media="print">/);
  const { page, foreign, aborted, consoleErrors, close } = await openOffline(demo.file);
  try {
    await page.waitForSelector("body[data-ready]");
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.getAttribute("body", "data-error"));
    const m = await metrics(page);
    assert.equal(m["demo.classic"], "42");
    assert.equal(m["demo.km_s2"], "0.4"); // S(2) = 4/5 * 2/4
    assert.equal(m["demo.fetched"], "7/20");
    assert.equal(m["demo.worker_url"], "0.35");
    assert.equal(m["demo.worker_string"], "0.35");
    assert.equal(m["demo.progress"], "6");
    assert.match(m["demo.version"], /^\d+\.\d+\.\d+/);
    assert.equal(m["demo.inline"], "inline module");
    const download = await page.getAttribute("#download", "href");
    assert.equal(Buffer.from(download.split(",")[1], "base64").toString(), readFileSync(join(demo.dir, "data.json"), "utf8"));
    await page.evaluate(() => document.fonts.ready);
    const font = await page.evaluate(() => [...document.fonts].filter((f) => f.family.replace(/"/g, "") === "DemoFont").map((f) => f.status));
    assert.deepEqual(font, ["loaded"]);
    assert.ok((await page.$eval("#dot", (img) => img.naturalWidth)) > 0, "the inlined image decodes");
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreign(), []);
    assert.deepEqual(aborted, []);
  } finally {
    await close();
  }
});

test("the bundler refuses what it cannot make offline: a script from elsewhere, a missing file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sibstat-bundle-bad-"));
  try {
    const write = (html) => writeFileSync(join(dir, "index.html"), html);
    write('<!doctype html><head><meta charset="utf-8"><script src="https://cdn.example.org/d3.js"></script></head>');
    await assert.rejects(bundlePage({ root: dir }), /script from elsewhere/);
    write('<!doctype html><head><meta charset="utf-8"><link rel="stylesheet" href="missing.css"></head>');
    await assert.rejects(bundlePage({ root: dir }), /missing\.css is not a file of the page/);
    write('<!doctype html><head><meta charset="utf-8"><script type="module" src="m.js"></script></head>');
    writeFileSync(join(dir, "m.js"), 'new Worker(new URL("./nowhere.js", import.meta.url), { type: "module" });');
    await assert.rejects(bundlePage({ root: dir }), /nowhere\.js does not exist/);
    // A page with nothing to inline still gets the policy.
    write('<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body></body></html>');
    const { html } = await bundlePage({ root: dir });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'wasm-unsafe-eval';[^"]*connect-src 'none'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundled page's policy forbids every connection and allows its inline scripts by hash only", async () => {
  const html = readFileSync(real.file, "utf8");
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
  assert.deepEqual(directives["default-src"], ["'none'"]);
  assert.deepEqual(directives["connect-src"], ["'none'"]);
  assert.deepEqual(directives["worker-src"], ["blob:"]);
  assert.deepEqual(directives["base-uri"], ["'none'"]);
  assert.deepEqual(directives["form-action"], ["'none'"]);
  assert.deepEqual(directives["style-src"], ["'unsafe-inline'"]);
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.ok(scripts.length >= 2, "the vendored Plot and the page's module, at least");
  assert.deepEqual(directives["script-src"].sort(), [...new Set(scripts.map(sha256))].concat("'wasm-unsafe-eval'").sort());
  assert.ok(!/https?:/.test(csp), "no host anywhere in the policy");
  assert.ok(!/\s(src|href)="(?!data:|#)[^"]*"/.test(html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "")), "every src and href of the markup is inline");
});

test("the served page's policy: the header is the <meta> plus frame-ancestors; nothing from elsewhere", () => {
  const html = readFileSync(join(WWW, "index.html"), "utf8");
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1];
  assert.equal(meta, META_CONTENT_SECURITY_POLICY);
  assert.equal(CONTENT_SECURITY_POLICY, `${meta}; frame-ancestors 'none'`);
  assert.match(meta, /connect-src 'self'(;|$)/);
  assert.ok(!/https?:|\*/.test(CONTENT_SECURITY_POLICY));
  assert.ok(!/<script(?![^>]*\ssrc=)[^>]*>/.test(html), "no inline script in the served page");
});

test("offline file and served page show the same data-metric values, and neither requests anything beyond its own files", async () => {
  for (const query of STATES) {
    const served = await openPage(browser, { path: query });
    let expected;
    try {
      await served.page.waitForSelector("body[data-ready]");
      assert.equal(await served.page.getAttribute("body", "data-ready"), "true");
      expected = await metrics(served.page);
      assert.deepEqual(served.consoleErrors, []);
      const origin = new URL(served.url).origin;
      for (const request of served.requests) {
        const url = new URL(request);
        if (url.protocol === "data:") continue;
        assert.equal(url.origin, origin, `served page requested ${request}`);
        const path = join(WWW, decodeURIComponent(url.pathname));
        assert.ok(existsSync(path), `served page requested ${request}, which is not a file of the page`);
      }
    } finally {
      await served.close();
    }
    assert.ok(Object.keys(expected).length > 0, "the page shows data-metric values");
    const offline = await openOffline(real.file, query);
    try {
      await offline.page.waitForSelector("body[data-ready]");
      assert.equal(await offline.page.getAttribute("body", "data-ready"), "true", await offline.page.textContent("#error").catch(() => ""));
      assert.deepEqual(await metrics(offline.page), expected, `data-metric values for "${query}"`);
      assert.deepEqual(await offline.page.evaluate(() => window.__cspViolations), []);
      assert.deepEqual(offline.consoleErrors, []);
      assert.deepEqual(offline.foreign(), []);
      assert.deepEqual(offline.aborted, []);
    } finally {
      await offline.close();
    }
  }
});

test("the offline file prints to an A4 PDF whose first page carries the state box, charts as vector", async (t) => {
  const query = STATES[2];
  const offline = await openOffline(real.file, query);
  try {
    await offline.page.waitForSelector("body[data-ready=true]");
    const state = await offline.page.$eval(".state-box", (box) => ({ ...box.dataset }));
    const version = await offline.page.evaluate(() => document.querySelector(".state-box").dataset.stateVersion);
    const pdf = artifact("sibstat-report.pdf");
    await offline.page.pdf({ path: pdf, format: "A4", printBackground: true });
    const header = readFileSync(pdf).subarray(0, 5).toString();
    assert.equal(header, "%PDF-");
    const pdftotext = spawnSync("pdftotext", ["-f", "1", "-l", "1", "-layout", pdf, "-"], { encoding: "utf8" });
    if (pdftotext.error) {
      t.skip("pdftotext (poppler-utils) is not installed: ./build.sh setup installs it");
      return;
    }
    const first = pdftotext.stdout.replace(/\s+/g, " ");
    // The box's title is in the page's language (the report opens in Dutch).
    const lang = await offline.page.evaluate(() => document.documentElement.lang);
    const title = lang === "en" ? "This view" : "Deze weergave";
    for (const expected of [title, "def=custom", "unknown=failure", "cohort=1", "seed=123", version]) {
      assert.ok(first.includes(expected), `first page lacks "${expected}": ${first.slice(0, 600)}`);
    }
    // The link that reopens this view (long links wrap, so compare without spaces):
    // from disk, the file's name and the view's query, not the reader's path.
    assert.ok(state.stateUrl.startsWith("file:///") && state.stateUrl.endsWith(query), state.stateUrl);
    const shown = decodeURIComponent(state.stateUrl.split("/").pop()).replace(/ /g, "");
    assert.ok(first.replace(/ /g, "").includes(shown), `first page lacks the link ${shown}`);
    assert.ok(!first.includes(dirname(real.file)), "the printout does not carry the reader's path");
    // A4 and vector: the media box is 595 x 842 points, and no chart was rasterised.
    const info = spawnSync("pdfinfo", [pdf], { encoding: "utf8" }).stdout;
    assert.match(info, /Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595\.\d* x 842/);
    const images = spawnSync("pdfimages", ["-list", pdf], { encoding: "utf8" }).stdout.trim().split("\n").slice(2);
    assert.deepEqual(images, [], "the PDF holds no raster image");
  } finally {
    await offline.close();
  }
});

// The bootstrap of the offline file: its worker runs from a Blob URL with the page's
// inlined engine, shows progress, completes, and gives the served page's numbers for
// the same seed (the engine's PRNG is the same everywhere).
test("the offline file completes a bootstrap in its worker, with progress, and the served page's numbers", async () => {
  const query = "?reps=400&seed=11";
  const runBootstrap = async (page) => {
    await page.waitForSelector("body[data-ready=true]");
    await page.exposeFunction("__progress", (v) => progress.push(Number(v)));
    await page.evaluate(() =>
      new MutationObserver(() => window.__progress(document.getElementById("bootstrap-progress")?.value ?? 0)).observe(
        document.getElementById("bootstrap"),
        { subtree: true, attributes: true, childList: true, characterData: true },
      ),
    );
    await page.click("#bootstrap-run");
    await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 120000 });
    return page.$$eval('[data-metric^="bootstrap."]', (els) => Object.fromEntries(els.map((e) => [e.dataset.metric, e.dataset.value])));
  };
  let progress = [];
  const served = await openPage(browser, { path: query });
  let expected;
  try {
    expected = await runBootstrap(served.page);
  } finally {
    await served.close();
  }
  assert.ok(Object.keys(expected).length > 0, "the served page shows bootstrap results");
  progress = [];
  const offline = await openOffline(real.file, query);
  try {
    const shown = await runBootstrap(offline.page);
    assert.ok(progress.some((v) => v > 0), "the offline file showed progress");
    assert.deepEqual(shown, expected);
    assert.deepEqual(offline.consoleErrors, []);
    assert.deepEqual(offline.foreign(), []);
    assert.deepEqual(offline.aborted, []);
    assert.deepEqual(await offline.page.evaluate(() => window.__cspViolations), []);
  } finally {
    await offline.close();
  }
});
