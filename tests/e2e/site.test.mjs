// The deployable site (dist/site/, written by `./build.sh build` through
// scripts/site.mjs) served by scripts/serve.mjs as a static host would serve it:
// hashed asset names in the HTML, precompressed bodies chosen by Accept-Encoding,
// caching by name, the one Content-Security-Policy, and the same numbers as www/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { ROOT, launch, openPage } from "./browser.mjs";
import { serve, HASHED_NAME, IMMUTABLE } from "../../scripts/serve.mjs";
import { META_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY } from "../../scripts/csp.mjs";

const SITE = join(ROOT, "dist", "site");
let browser;
let server;
let base;

before(async () => {
  assert.ok(existsSync(join(SITE, "index.html")), "dist/site/index.html: run ./build.sh build first");
  browser = await launch();
  ({ server, url: base } = await serve(SITE));
});
after(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

/** GET with the given Accept-Encoding; resolves to { status, headers, body (Buffer) }. */
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const manifest = () => JSON.parse(readFileSync(join(SITE, "manifest.json"), "utf8"));

test("the page references only hashed assets, and every hashed name is its content's hash", () => {
  const html = readFileSync(join(SITE, "index.html"), "utf8");
  // What the page loads; a link to another page of the site (the prerendered methods
  // section's workbench link) keeps its name, and that page exists.
  const refs = [...html.matchAll(/<(?:script|link|img)\b[^>]*\s(?:src|href)="([^"#:]+)"/g)].map((m) => m[1]);
  for (const [, page] of html.matchAll(/<a\b[^>]*\shref="([^"#:]+)"/g)) assert.ok(existsSync(join(SITE, page)), `${page}, linked, is a page of the site`);
  assert.ok(refs.length >= 5, `references: ${refs.join(", ")}`);
  for (const ref of refs) {
    assert.match(ref, HASHED_NAME, `${ref} has no content hash`);
    assert.ok(existsSync(join(SITE, ref)), `${ref} exists`);
  }
  for (const name of Object.values(manifest())) {
    const hash = createHash("sha256").update(readFileSync(join(SITE, name))).digest("hex").slice(0, 10);
    assert.equal(name.match(/\.([0-9a-f]{10})\.[a-z0-9]+$/)[1], hash, name);
  }
  const names = Object.values(manifest());
  assert.ok(names.some((n) => n.endsWith(".wasm")), "the engine's module is a hashed asset");
  assert.ok(refs.some((r) => r.endsWith(".wasm")), "the page preloads the hashed engine");
});

test("precompressed bodies by Accept-Encoding; a year of immutable caching for hashed files, revalidation for the HTML", async () => {
  const wasm = Object.values(manifest()).find((n) => n.endsWith(".wasm"));
  const raw = readFileSync(join(SITE, wasm));
  const br = await get(wasm, { "accept-encoding": "gzip, deflate, br" });
  assert.equal(br.status, 200);
  assert.equal(br.headers["content-encoding"], "br");
  assert.equal(br.headers["content-type"], "application/wasm");
  assert.equal(br.headers["cache-control"], IMMUTABLE);
  assert.equal(br.headers.vary, "Accept-Encoding");
  assert.ok(brotliDecompressSync(br.body).equals(raw));
  assert.ok(br.body.length < raw.length / 2);
  const gz = await get(wasm, { "accept-encoding": "gzip" });
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.ok(gunzipSync(gz.body).equals(raw));
  const refused = await get(wasm, { "accept-encoding": "br;q=0, gzip;q=0" });
  assert.equal(refused.headers["content-encoding"], undefined);
  assert.ok(refused.body.equals(raw));
  const plain = await get(wasm);
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.ok(plain.body.equals(raw));

  const html = await get("", { "accept-encoding": "br" });
  assert.equal(html.headers["cache-control"], "no-cache");
  assert.equal(html.headers["content-security-policy"], CONTENT_SECURITY_POLICY);
  assert.equal(brotliDecompressSync(html.body).toString(), readFileSync(join(SITE, "index.html"), "utf8"));
  const again = await get("", { "accept-encoding": "br", "if-none-match": html.headers.etag });
  assert.equal(again.status, 304);
});

test("the built page carries the served policy in its <meta>, as www/index.html does", () => {
  for (const file of [join(SITE, "index.html"), join(ROOT, "www", "index.html")]) {
    const html = readFileSync(file, "utf8");
    assert.equal(html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1], META_CONTENT_SECURITY_POLICY, file);
  }
});

test("the built site shows the same numbers as www/, loads only its own hashed files, and breaks no policy (a violation is a console error)", async () => {
  const metrics = async (root) => {
    const opened = await openPage(browser, { root, contextOptions: { viewport: { width: 1400, height: 900 } } });
    try {
      await opened.page.waitForSelector("body[data-ready]");
      assert.equal(await opened.page.getAttribute("body", "data-ready"), "true");
      assert.deepEqual(opened.consoleErrors, []);
      const values = await opened.page.evaluate(() => Object.fromEntries([...document.querySelectorAll("[data-metric]")].map((el) => [el.dataset.metric, el.dataset.value])));
      return { values, requests: opened.requests, origin: new URL(opened.url).origin };
    } finally {
      await opened.close();
    }
  };
  const built = await metrics(SITE);
  const source = await metrics(join(ROOT, "www"));
  assert.ok(Object.keys(built.values).length > 10);
  assert.deepEqual(built.values, source.values);
  for (const url of built.requests) {
    const parsed = new URL(url);
    if (parsed.protocol === "data:" || parsed.protocol === "blob:") continue;
    assert.equal(parsed.origin, built.origin, url);
    if (parsed.pathname !== "/") assert.match(parsed.pathname, HASHED_NAME, url);
  }
});

test("the built site's bootstrap worker (a hashed module worker) loads the hashed engine and completes", async () => {
  const opened = await openPage(browser, { root: SITE, path: "?reps=200&seed=3", contextOptions: { viewport: { width: 1400, height: 900 } } });
  try {
    await opened.page.waitForSelector("body[data-ready=true]");
    await opened.page.click("#bootstrap-run");
    await opened.page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 120000 });
    assert.deepEqual(opened.consoleErrors, []);
    const workerScripts = opened.requests.filter((url) => /bootstrap-worker/.test(url));
    assert.equal(workerScripts.length, 1);
    assert.match(new URL(workerScripts[0]).pathname, HASHED_NAME);
  } finally {
    await opened.close();
  }
});

test("every page of the built site opens with no console error and no failed request", async () => {
  const pages = readdirSync(SITE).filter((name) => name.endsWith(".html"));
  assert.ok(pages.includes("index.html"));
  for (const name of pages) {
    const opened = await openPage(browser, { root: SITE, path: name });
    try {
      const failed = [];
      opened.page.on("response", (response) => response.status() >= 400 && failed.push(response.url()));
      await opened.page.waitForLoadState("networkidle");
      assert.deepEqual(failed, [], name);
      assert.deepEqual(opened.consoleErrors, [], name);
    } finally {
      await opened.close();
    }
  }
});
