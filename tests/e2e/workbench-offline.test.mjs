// The workbench's offline file (dist/sibstat-workbench.html) in headless Chromium:
// copied alone to another directory, opened over file:// with the network off, it
// loads an example, runs an analysis and a bootstrap in its worker, gives the CLI's
// numbers, keeps the state in its link, and requests nothing beyond itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, artifact, launch } from "./browser.mjs";
import { bundlePage } from "../../scripts/bundle.mjs";
import { act, cliAnalyse, differences, settled, shown } from "./workbench.mjs";

const WWW = join(ROOT, "www");
const DIST = join(ROOT, "dist", "sibstat-workbench.html");

let browser;
let stick; // a directory standing in for a USB stick
let file;

const newestUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }, 0);

before(async () => {
  browser = await launch();
  let built = DIST;
  if (!existsSync(DIST) || statSync(DIST).mtimeMs < newestUnder(WWW)) {
    built = artifact("sibstat-workbench.html");
    await bundlePage({ root: WWW, out: built, page: "workbench.html" });
  }
  stick = mkdtempSync(join(tmpdir(), "sibstat-workbench-"));
  mkdirSync(join(stick, "Tabellen"));
  file = join(stick, "Tabellen", "werkbank offline.html");
  cpSync(built, file);
});
after(async () => {
  await browser?.close();
  if (stick) rmSync(stick, { recursive: true, force: true });
});

/** The offline file in a context with the network off; any request but the file, data: or blob: is aborted and recorded. */
async function openOffline(query) {
  const context = await browser.newContext();
  await context.setOffline(true);
  const own = pathToFileURL(file).href;
  const foreign = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(data|blob):/.test(url) || url.split(/[?#]/)[0] === own) return route.continue();
    foreign.push(url);
    return route.abort("internetdisconnected");
  });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const url = r.url();
    if (!/^(data|blob):/.test(url) && url.split(/[?#]/)[0] !== own) foreign.push(url);
  });
  await page.goto(`${own}?${query}`);
  return { page, foreign, errors, close: () => context.close() };
}

test("the offline file has the strict policy: nothing can be sent", () => {
  const html = readFileSync(file, "utf8");
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /worker-src blob:/);
  assert.doesNotMatch(csp, /'self'|https?:/);
});

test("over file:// with the network off: an example, an analysis and the bootstrap give the CLI's numbers", async () => {
  const { page, foreign, errors, close } = await openOffline("example=aml&analysis=kaplan_meier");
  try {
    assert.equal(await settled(page), "ready", await page.textContent("#problem"));
    const km = await shown(page);
    assert.deepEqual(differences(km.response, cliAnalyse(km.request)), []);
    // The bootstrap in its (inlined) worker, chosen in the page.
    await act(page, () => page.selectOption("#analysis-select", "bootstrap"));
    await page.fill("#opt-replicates", "300");
    assert.equal(await act(page, () => page.press("#opt-replicates", "Enter")), "ready", await page.textContent("#problem"));
    const boot = await shown(page);
    assert.equal(boot.request.analysis, "bootstrap");
    assert.equal(boot.request.replicates, 300);
    assert.deepEqual(differences(boot.response, cliAnalyse(boot.request)), []);
    // The state is in the file's link.
    assert.match(page.url(), /^file:\/\/.*\?analysis=bootstrap&replicates=300#data=/);
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("over file://, a logit on the UCB example and a link with data reopen offline", async () => {
  const first = await openOffline("example=ucb&analysis=logit&lang=en");
  let link;
  let original;
  try {
    assert.equal(await settled(first.page), "ready");
    original = await shown(first.page);
    assert.deepEqual(differences(original.response, cliAnalyse(original.request)), []);
    link = first.page.url();
    assert.deepEqual(first.foreign, []);
  } finally {
    await first.close();
  }
  const second = await openOffline(link.split("?")[1]);
  try {
    assert.equal(await settled(second.page), "ready");
    assert.deepEqual((await shown(second.page)).response, original.response);
    assert.deepEqual(second.foreign, []);
  } finally {
    await second.close();
  }
});
