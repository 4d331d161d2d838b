// The bootstrap Web Worker in headless Chromium: it reports progress chunk by chunk,
// completes with the same numbers as the native CLI for the same request and seed,
// reports coded errors, and can be cancelled.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, launch, openPage } from "./browser.mjs";

const CLI = join(ROOT, "target", "release", "sibstat");

// survival::aml (R's survival package), rows aggregated, two groups.
const REQUEST = {
  analysis: "bootstrap",
  of: {
    analysis: "kaplan_meier",
    data: {
      time: [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 8, 12, 16, 23, 27, 30, 33, 43, 45],
      status: [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
      count: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1],
      group: ["M", "M", "M", "M", "M", "M", "M", "M", "M", "M", "M", "N", "N", "N", "N", "N", "N", "N", "N", "N", "N"],
    },
  },
  statistics: ["survival@12[M]", "median[N]", "survival@grid[N]"],
  grid: [5, 10, 20, 30],
  replicates: 1000,
  seed: 42,
  strata: true,
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Runs the worker with `messages` posted in order (a function of the messages seen so
// far decides when to post a cancel) and collects every message it sends until it ends.
async function runWorker(page, request, chunk, cancelAfter = null) {
  return page.evaluate(
    ({ request, chunk, cancelAfter }) =>
      new Promise((resolve) => {
        const worker = new Worker("./bootstrap-worker.js", { type: "module" });
        const seen = [];
        worker.onmessage = (event) => {
          seen.push(event.data);
          const { type } = event.data;
          if (type === "progress" && cancelAfter !== null && seen.length === cancelAfter) {
            worker.postMessage({ type: "cancel" });
          }
          if (type === "result" || type === "error" || type === "cancelled") {
            worker.terminate();
            resolve(seen);
          }
        };
        worker.onerror = (event) => resolve([{ type: "worker-error", message: event.message }]);
        worker.postMessage({ request, chunk });
      }),
    { request, chunk, cancelAfter },
  );
}

test("the worker reports progress and gives the native CLI's numbers", async () => {
  const { page, consoleErrors, close } = await openPage(browser);
  try {
    const messages = await runWorker(page, REQUEST, 150);
    const progress = messages.filter((m) => m.type === "progress");
    assert.deepEqual(
      progress.map((m) => m.done),
      [150, 300, 450, 600, 750, 900, 1000],
    );
    assert.ok(progress.every((m) => m.total === 1000));
    const last = messages.at(-1);
    assert.equal(last.type, "result", JSON.stringify(last));
    const run = spawnSync(CLI, ["analyse", "-"], { input: JSON.stringify(REQUEST), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const native = JSON.parse(run.stdout);
    // The same seed: the same resamples, so the same numbers (to the last bit).
    assert.deepEqual(last.response, native);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test("without a chunk the worker sizes its steps and gives the same numbers", async () => {
  const { page, consoleErrors, close } = await openPage(browser);
  try {
    const request = { ...REQUEST, replicates: 20000 };
    const messages = await runWorker(page, request, undefined);
    const progress = messages.filter((m) => m.type === "progress");
    assert.ok(progress.length >= 1);
    const done = progress.map((m) => m.done);
    assert.ok(done.every((d, i) => i === 0 || d > done[i - 1]), `progress increases: ${done}`);
    assert.equal(done.at(-1), 20000);
    const last = messages.at(-1);
    assert.equal(last.type, "result", JSON.stringify(last));
    const run = spawnSync(CLI, ["analyse", "-"], { input: JSON.stringify(request), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(last.response, JSON.parse(run.stdout));
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test("the worker can be cancelled between chunks", async () => {
  const { page, close } = await openPage(browser);
  try {
    // A run of many seconds in steps of 100: on a loaded machine the page's "cancel"
    // may take a second to arrive (a run of 100,000 sometimes finished first).
    const messages = await runWorker(page, { ...REQUEST, replicates: 1000000 }, 100, 2);
    const last = messages.at(-1);
    assert.equal(last.type, "cancelled", JSON.stringify(last));
    assert.ok(last.done < 1000000);
    assert.ok(!messages.some((m) => m.type === "result"));
  } finally {
    await close();
  }
});

test("a new request ends the run in progress, which says so, and is answered", async () => {
  const { page, close } = await openPage(browser);
  try {
    // The second run is long enough to give the thread back between its slices too,
    // while the first still waits for its turn.
    const messages = await page.evaluate(
      (request) =>
        new Promise((resolve) => {
          const worker = new Worker("./bootstrap-worker.js", { type: "module" });
          const seen = [];
          const end = () => {
            worker.terminate();
            resolve(seen);
          };
          worker.onmessage = ({ data }) => {
            seen.push(data);
            if (data.type === "progress" && seen.length === 1) worker.postMessage({ request: { ...request, replicates: 200000 } });
            const ended = seen.filter((m) => m.type !== "progress").length;
            if (ended === 2) end();
            // A run that never ends would never say so: wait a while after the result.
            if (data.type === "result" || data.type === "error") setTimeout(end, 3000);
          };
          worker.postMessage({ request: { ...request, replicates: 1000000 } });
        }),
      REQUEST,
    );
    const ends = messages.filter((m) => m.type !== "progress").map((m) => [m.type, m.total ?? m.response?.replicates]);
    assert.deepEqual(ends, [
      ["cancelled", 1000000],
      ["result", 200000],
    ]);
  } finally {
    await close();
  }
});

test("the worker reports coded errors", async () => {
  const { page, close } = await openPage(browser);
  try {
    const messages = await runWorker(page, { ...REQUEST, replicates: 0 }, 100);
    assert.equal(messages.length, 1);
    assert.equal(messages[0].type, "error");
    assert.equal(messages[0].code, "invalid_replicates");
    const strata = await runWorker(page, { ...REQUEST, statistics: ["median"], of: { analysis: "summary", values: [1, 2] } }, 100);
    assert.equal(strata[0].code, "strata_without_groups");
  } finally {
    await close();
  }
});
