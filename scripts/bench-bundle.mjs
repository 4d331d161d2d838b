// The offline file (`./build.sh bench`): its size, and its time to first full render
// when opened from disk (file://, network off) in headless Chromium — from navigation
// start to the page's `body[data-ready]` (engine compiled, every section drawn), read
// in the page from performance.now(). Reports, never assertions.
//   node scripts/bench-bundle.mjs [dist/sibstat-report.html] [runs]
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "../tests/e2e/browser.mjs";

const file = resolve(process.argv[2] ?? "dist/sibstat-report.html");
const runs = Number(process.argv[3] ?? 7);
const bytes = statSync(file).size;
const gzip = gzipSync(readFileSync(file), { level: 9 }).length;
console.log(`offline file ${file.split("/").slice(-2).join("/")}: ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB), ${gzip} bytes gzip`);

const browser = await launch();
try {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    // A fresh context each time: nothing cached between runs.
    const context = await browser.newContext();
    await context.setOffline(true);
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.ready) {
          window.__readyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"], childList: true });
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-ready]");
    const ready = await page.evaluate(() => ({ at: window.__readyAt, state: document.body.dataset.ready }));
    if (ready.state !== "true") throw new Error(`the offline file did not render: data-ready=${ready.state}`);
    samples.push(ready.at);
    await context.close();
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(
    `offline file from disk, navigation to first full render: median ${median.toFixed(0)} ms over ${runs} loads (min ${samples[0].toFixed(0)}, max ${samples.at(-1).toFixed(0)})`,
  );
} finally {
  await browser.close();
}
