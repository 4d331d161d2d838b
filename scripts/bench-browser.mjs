// Browser benchmarks in headless Chromium (`./build.sh bench`): the shared workloads
// W1–W5 through sibstat's WebAssembly module (www/pkg), the W4/W5 tight-loop floor
// compiled to wasm32 (benches/floor, loaded raw), the plain-JavaScript references
// (scripts/bench-plain.js), the scaling of the bootstrap with the number of
// individuals, and the Joining Forces report's bootstrap through the chunked handle
// as the Web Worker runs it. Reports, never assertions: `BENCH {json}` lines for
// scripts/bench-table.mjs and plain lines for a reader.
//   node scripts/bench-browser.mjs [floor.wasm]
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, launch, openPage } from "../tests/e2e/browser.mjs";

const floorPath = process.argv[2] ?? join(ROOT, "target", "floor", "wasm32-unknown-unknown", "release", "sibstat_bench_floor.wasm");
const surv = JSON.parse(readFileSync(join(ROOT, "benches", "data", "surv450.json"), "utf8"));
const logit = JSON.parse(readFileSync(join(ROOT, "benches", "data", "logit264.json"), "utf8"));
const plain = readFileSync(join(ROOT, "scripts", "bench-plain.js"), "utf8");
const floorBase64 = existsSync(floorPath) ? readFileSync(floorPath).toString("base64") : null;
// The report's bootstrap requests, as the native CLI gives them for the default view
// (the page gets the same from its prepared report).
let reportRequests = null;
let reportProblem = "";
try {
  const cli = join(ROOT, "target", "release", "sibstat");
  const report = JSON.parse(execFileSync(cli, ["analyse", "-"], { input: '{"analysis":"joining_forces"}' }).toString());
  reportRequests = report.bootstrap_requests.map((r) => r.request);
} catch (error) {
  reportProblem = String(error.message ?? error).split("\n")[0];
}

const emit = (table, row, col, value, unit, runs, note = "") =>
  console.log(`BENCH ${JSON.stringify({ table, row, col, value, unit, runs, note })}`);

const browser = await launch();
try {
  // A blank page of the served site: the module and nothing else running.
  const { page, close } = await openPage(browser, { path: "/bench-blank", contextOptions: { bypassCSP: true } });
  await page.addScriptTag({ content: plain });
  const results = await page.evaluate(
    async ({ surv, logit, floorBase64, reportRequests, reportProblem }) => {
      const engine = await import("/pkg/sibstat.js");
      await engine.default();
      const median = (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      };
      // A sample times `inner` calls: the page's clock is coarsened to 0.1 ms.
      const time = (runs, fn, inner = 1) => {
        fn();
        const samples = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          for (let k = 0; k < inner; k++) fn();
          samples.push((performance.now() - t0) / inner);
        }
        return median(samples);
      };
      // Median times of `a` and `b` run in turns (a, b, a, b, ...) after a warm-up each:
      // a load that comes and goes on a shared machine falls on both, so their ratio
      // holds where two medians taken one after the other drift apart.
      const timePair = (runs, a, b) => {
        a();
        b();
        const first = [];
        const second = [];
        for (let i = 0; i < runs; i++) {
          let t0 = performance.now();
          a();
          first.push(performance.now() - t0);
          t0 = performance.now();
          b();
          second.push(performance.now() - t0);
        }
        return [median(first), median(second)];
      };
      const out = [];
      // The floor compiled to wasm32, loaded raw.
      let floor = null;
      if (floorBase64) {
        const bytes = Uint8Array.from(atob(floorBase64), (c) => c.charCodeAt(0));
        const { instance } = await WebAssembly.instantiate(bytes, {});
        const f = instance.exports;
        const n = surv.time.length;
        const tp = f.floor_alloc(n);
        const sp = f.floor_alloc(n);
        const op = f.floor_alloc(4);
        const view = () => new Float64Array(f.memory.buffer);
        view().set(surv.time, tp / 8);
        view().set(surv.status, sp / 8);
        floor = (reps) => f.floor_w5(tp, sp, n, 365, 730, reps, 1, op);
      }
      const covariates = ["age", "score", "sex", "armB", "armC", "stage2", "stage3", "stage4"];
      const w1 = { analysis: "kaplan_meier", data: surv, conf_type: "log-log" };
      const w2 = { analysis: "cumulative_incidence", data: surv };
      const w3 = {
        analysis: "logit",
        data: { successes: logit.y, trials: logit.y.map(() => 1), covariates: Object.fromEntries(covariates.map((c) => [c, logit[c]])) },
        model: { terms: covariates },
      };
      const boot = (of, replicates) => ({ analysis: "bootstrap", of, statistics: ["survival@365", "survival@730"], replicates, seed: 1 });
      for (const [row, request, runs, inner] of [["W1", w1, 51, 20], ["W2", w2, 51, 20], ["W3", w3, 21, 10]]) {
        out.push(["workloads", row, "sibstat Chromium", time(runs, () => engine.analyse(request), inner), "ms", runs, ""]);
      }
      // W4 and W5 in turns with the floor when it is built.
      for (const [row, reps, runs] of [["W4", 2000, 21], ["W5", 10000, 11]]) {
        const request = boot(w1, reps);
        if (floor) {
          const [ours, floorMs] = timePair(runs, () => engine.analyse(request), () => floor(reps));
          out.push(["workloads", row, "sibstat Chromium", ours, "ms", runs, "in turns with the floor"]);
          out.push(["workloads", row, "floor wasm32", floorMs, "ms", runs, "in turns with sibstat"]);
        } else {
          out.push(["workloads", row, "sibstat Chromium", time(runs, () => engine.analyse(request)), "ms", runs, ""]);
        }
      }
      // Plain JavaScript on the same data.
      out.push(["workloads", "W1", "plain JS Chromium", time(51, () => plainKaplanMeier(surv.time, surv.status), 50), "ms", 51, "hand-written KM, Greenwood, log-log"]);
      for (const [row, reps, runs] of [["W4", 2000, 9], ["W5", 10000, 7]]) {
        out.push(["workloads", row, "plain JS Chromium", time(runs, () => plainBootstrapKm(surv.time, surv.status, 365, 730, reps, 1)), "ms", runs, "xoshiro128**, typed arrays"]);
      }
      // Scaling: the 338 distinct (time, event) rows with 1, 100 and 10,000 times the
      // individuals.
      const rows = new Map();
      surv.time.forEach((t, i) => {
        const key = `${t},${surv.status[i] !== 0 ? 1 : 0}`;
        rows.set(key, (rows.get(key) ?? 0) + 1);
      });
      const keys = [...rows.keys()].map((k) => k.split(",").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [scale, row] of [[1, "450"], [100, "45,000"], [10000, "4,500,000"]]) {
        const of = { analysis: "kaplan_meier", data: { time: keys.map((k) => k[0]), status: keys.map((k) => k[1]), count: keys.map((k) => rows.get(`${k[0]},${k[1]}`) * scale) } };
        out.push(["scaling", row, "sibstat Chromium", time(5, () => engine.analyse(boot(of, 10000))), "ms", 5, ""]);
      }
      // The Joining Forces report's bootstrap: every request, 20,000 replicates each,
      // through BootstrapRun in chunks of 200 as www/bootstrap-worker.js runs it.
      if (reportRequests) {
        const requests = reportRequests.map((r) => ({ ...r, replicates: 20000 }));
        const all = () => {
          for (const request of requests) {
            const run = new engine.BootstrapRun(request);
            while (run.done < run.total) run.run(200);
            run.result();
            run.free();
          }
        };
        const ms = time(3, all);
        out.push(["report", "Joining Forces bootstrap (all requests, 20,000 replicates each)", "sibstat Chromium", (20000 * requests.length) / (ms / 1000), "replicates/s", 3, `${requests.length} requests in ${ms.toFixed(0)} ms, chunks of 200`]);
      } else {
        out.push(["report", "Joining Forces bootstrap (all requests, 20,000 replicates each)", "sibstat Chromium", null, "replicates/s", 0, `not measured: ${reportProblem}`]);
      }
      return out;
    },
    { surv, logit, floorBase64, reportRequests, reportProblem },
  );
  await close();
  for (const r of results) {
    emit(...r);
    const [table, row, col, value, unit, runs, note] = r;
    console.log(`${table} ${row} ${col}: ${value === null ? "—" : value.toFixed(unit === "ms" ? 3 : 0)} ${unit}${runs ? ` (median of ${runs})` : ""}${note ? `; ${note}` : ""}`);
  }
  if (!floorBase64) console.log(`floor wasm32: skipped (${floorPath} not built)`);
} finally {
  await browser.close();
}
