// Native and WebAssembly give the same responses: every fixture request (and a set of
// bad requests) goes through the native CLI and through the engine in headless
// Chromium; numbers must agree to 1e-12, errors in code and message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launch, openPage } from "./browser.mjs";

const WASM_PARITY = 1e-12;
const CLI = join(ROOT, "target", "release", "sibstat");

function fixtureRequests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixtureRequests(path);
    if (!name.endsWith(".json")) return [];
    const fixture = JSON.parse(readFileSync(path, "utf8"));
    return fixture.request ? [{ name: path.slice(ROOT.length + 1), request: fixture.request }] : [];
  });
}

const BAD_REQUESTS = [
  { analysis: "kaplan_meyer" },
  { analysis: "kaplan_meier", data: { time: [1, 2], status: [1] } },
  { analysis: "kaplan_meier", data: { time: [-1], status: [1] } },
  { analysis: "kaplan_meier", data: { time: [1], status: [1], count: [0.5] } },
  { analysis: "kaplan_meier", data: { time: [1], status: [1] }, conf_level: 2 },
  { analysis: "kaplan_meier", data: { time: [1], status: [1] }, extra: true },
  { analysis: "proportion", successes: 5, trials: 4 },
].map((request, i) => ({ name: `bad request ${i}`, request }));

function native(request) {
  const run = spawnSync(CLI, ["analyse", "-"], { input: JSON.stringify(request), encoding: "utf8" });
  if (run.status === 0) return { ok: JSON.parse(run.stdout) };
  assert.equal(run.status, 2, `CLI exit status for ${JSON.stringify(request)}: ${run.stderr}`);
  return JSON.parse(run.stderr);
}

function compare(a, b, path, out) {
  if (typeof a === "number" && typeof b === "number") {
    const diff = Math.abs(a - b);
    if (!(diff <= WASM_PARITY || diff <= WASM_PARITY * Math.abs(b))) out.push(`${path}: wasm ${a}, native ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    else a.forEach((x, i) => compare(x, b[i], `${path}[${i}]`, out));
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) compare(a[key], b[key], `${path}.${key}`, out);
  } else if (a !== b) {
    out.push(`${path}: wasm ${JSON.stringify(a)}, native ${JSON.stringify(b)}`);
  }
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("every fixture request gives the native numbers in WebAssembly, to 1e-12", async () => {
  const cases = [...fixtureRequests(join(ROOT, "tests", "fixtures")), ...BAD_REQUESTS];
  assert.ok(cases.length > BAD_REQUESTS.length, "no fixture requests found");
  const { page, close } = await openPage(browser);
  try {
    const wasm = await page.evaluate(async (requests) => {
      const engine = await import("./pkg/sibstat.js");
      await engine.default();
      return requests.map((request) => {
        try {
          return { ok: engine.analyse(request) };
        } catch (error) {
          return { error: { code: error.code, message: error.message } };
        }
      });
    }, cases.map((c) => c.request));
    const mismatches = [];
    cases.forEach((c, i) => compare(wasm[i], native(c.request), c.name, mismatches));
    assert.deepEqual(mismatches.slice(0, 20), []);
  } finally {
    await close();
  }
});
