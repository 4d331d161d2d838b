// Shared by the workbench's browser tests: the CLI's answer to a request, a tolerant
// comparison of two responses, and waiting for the page to settle.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./browser.mjs";

export const CLI = join(ROOT, "target", "release", "sibstat");

/** `sibstat analyse -` on the request: the native engine's response. */
export function cliAnalyse(request) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run ./build.sh build first`);
  const run = spawnSync(CLI, ["analyse", "-"], { input: JSON.stringify(request), encoding: "utf8" });
  if (run.status !== 0) throw new Error(`sibstat analyse failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

// Native against WebAssembly: the same code, so equal to 1e-12 (tests/common/mod.rs).
export const TOLERANCE = 1e-12;

const close = (a, b) => a === b || Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

/** Paths where two JSON values differ beyond the tolerance (empty: equal). */
export function differences(a, b, path = "") {
  if (typeof a === "number" && typeof b === "number") return close(a, b) ? [] : [`${path}: ${a} vs ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}.${i}`));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => (k in a && k in b ? differences(a[k], b[k], path ? `${path}.${k}` : k) : [`${path}.${k}: missing on one side`]));
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

/** The value at a dotted path ("curves.0.survival.3"). */
export const atPath = (value, path) => path.split(".").reduce((x, key) => (x === undefined || x === null ? undefined : x[key]), value);

const SETTLED = ["ready", "problem", "waiting", "cancelled"];

/** Waits until the page has answered (a result, a located problem, or nothing to do). */
export async function settled(page, timeout = 30000) {
  await page.waitForFunction((states) => states.includes(document.body.dataset.state), SETTLED, { timeout });
  return page.evaluate(() => document.body.dataset.state);
}

/** Runs an action on the page and waits until the page has answered it (not an earlier state). */
export async function act(page, action) {
  await page.evaluate(() => delete document.body.dataset.state);
  await action();
  return settled(page);
}

/** The request and response the page shows, and every result cell's {path, value}. */
export async function shown(page) {
  return page.evaluate(() => ({
    request: JSON.parse(document.getElementById("request-json")?.textContent ?? "null"),
    response: JSON.parse(document.getElementById("response-json")?.textContent ?? "null"),
    cells: [...document.querySelectorAll("#results [data-path]")].filter((td) => td.dataset.path).map((td) => ({ path: td.dataset.path, value: td.dataset.value, text: td.textContent })),
  }));
}
