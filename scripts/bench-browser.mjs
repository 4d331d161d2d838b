// Browser benchmarks in headless Chromium (`./build.sh bench`): page load to first
// full render and the engine's speed in WebAssembly. Reports, never assertions.
import { launch, openPage } from "../tests/e2e/browser.mjs";

const browser = await launch();
try {
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const { page, close } = await openPage(browser);
    await page.waitForSelector("body[data-ready]");
    loads.push(performance.now() - started);
    if (i === 4) {
      const perRun = await page.evaluate(async () => {
        const engine = await import("./pkg/sibstat.js");
        await engine.default();
        // The same 400-individual request as benches/engine.rs, built the same way.
        let state = 20220101n;
        const mask = (1n << 64n) - 1n;
        const next = () => {
          state = (state * 6364136223846793005n + 1442695040888963407n) & mask;
          return Number(state >> 11n) / 2 ** 53;
        };
        const time = [], status = [], group = [];
        for (let i = 0; i < 400; i++) {
          time.push(Math.ceil(-Math.log(1 - next()) * 14));
          status.push(next() < 0.7 ? 1 : 0);
          group.push(i % 2 === 0 ? "cohort 1" : "cohort 2");
        }
        const request = { analysis: "kaplan_meier", data: { time, status, group } };
        engine.analyse(request);
        const samples = [];
        for (let r = 0; r < 500; r++) {
          const t0 = performance.now();
          engine.analyse(request);
          samples.push(performance.now() - t0);
        }
        samples.sort((a, b) => a - b);
        // The bootstrap of benches/engine.rs: 10,000 replicates through the chunked
        // handle (500 per chunk, as the Web Worker runs it).
        const boot = {
          analysis: "bootstrap",
          of: request,
          statistics: ["survival@12[cohort 1]", "median[cohort 1]", "survival@12[cohort 2]", "median[cohort 2]"],
          replicates: 10000,
          seed: 1,
        };
        const bootSamples = [];
        for (let r = 0; r < 5; r++) {
          const t0 = performance.now();
          const run = new engine.BootstrapRun(boot);
          while (run.done < run.total) run.run(500);
          run.result();
          run.free();
          bootSamples.push(performance.now() - t0);
        }
        bootSamples.sort((a, b) => a - b);
        return { km: samples[250], boot: bootSamples[2] };
      });
      console.log(`kaplan_meier, 400 individuals, 2 groups, in Chromium (WASM): median ${(perRun.km * 1000).toFixed(1)} µs over 500 runs`);
      console.log(`bootstrap, 10,000 replicates of survival@12 and median, 400-individual KM (2 groups), in Chromium (WASM, chunks of 500): median ${perRun.boot.toFixed(1)} ms over 5 runs`);
    }
    await close();
  }
  loads.sort((a, b) => a - b);
  console.log(`report page, navigation to data-ready: median ${loads[2].toFixed(0)} ms over 5 loads`);
} finally {
  await browser.close();
}
