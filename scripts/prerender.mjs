// The report's default view drawn at build time, for the served HTML: `./build.sh build`
// runs `node scripts/prerender.mjs www dist/prerender.json` before scripts/site.mjs and
// scripts/bundle.mjs, which write it into the pages they make (dist/site/index.html,
// dist/sibstat-report.html). www/index.html stays the source: a generated copy there
// would be committed noise that goes stale with every change of the page, the engine or
// the data.
//
// The view is drawn by the page's own code over www/ in headless Chromium (the flags of
// tests/e2e/browser.mjs), at 1400×900 (the charts' widths are those of any screen whose
// sections are at least as wide as the widest chart; a narrower one redraws its charts),
// from the engine's answer in its worker: no number is computed here. Written:
//   body      the drawn <body>: the masthead's texts, the controls, every section; the
//             view-dependent parts marked data-prerendered (js/prerender-guard.js hides
//             them under a URL that asks for another view), each section's height as
//             its contain-intrinsic-size (style.css), the status left empty,
//             each section's heading with an elementtiming name (scripts/bench-report.mjs)
//   title, lang
//   data      {query, lang, package, limits, version, sections}: what the page needs to
//             take over before its engine is ready (js/prerendered.js) and the memo of
//             what each section read (sections/draw.js prerenderMemo)
//   sources   a digest of every file of www/: applyPrerender refuses a prerender made
//             from other sources (a stale dist/prerender.json)
//   node scripts/prerender.mjs [ROOT] [OUT]
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "../tests/e2e/browser.mjs";
import { serve } from "./serve.mjs";

export const PRERENDER_PAGE = "index.html";
export const PRERENDER_VIEWPORT = { width: 1400, height: 900 };

/** A digest of every file under `root` (names and contents), in a fixed order. */
export function sourcesDigest(root) {
  root = resolve(root);
  const hash = createHash("sha256");
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${relative(root, path)}\0`).update(readFileSync(path)).update("\0");
    }
  };
  walk(root);
  return hash.digest("hex");
}

/** Draws the default view of `root`'s report page; resolves to the prerender (see above). */
export async function prerender(root) {
  root = resolve(root);
  const browser = await launch();
  const { server, url } = await serve(root);
  try {
    const context = await browser.newContext({ viewport: PRERENDER_VIEWPORT });
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(url);
    await page.waitForSelector("body[data-ready]", { timeout: 120000 });
    const ready = await page.getAttribute("body", "data-ready");
    if (ready !== "true" || errors.length) throw new Error(`the page did not draw its default view (data-ready=${ready}): ${errors.join("; ")}`);
    const drawn = await page.evaluate(async () => {
      const [draw, pkg, limits, engine, state] = await Promise.all(
        ["./js/sections/draw.js", "./js/package.js", "./js/limits.js", "./js/report-engine.js", "./js/state.js"].map((path) => import(path)),
      );
      const view = state.parseQuery("").state;
      const data = {
        query: state.toQuery(view),
        lang: document.documentElement.lang,
        package: pkg.currentPackage(),
        limits: limits.engineLimits(),
        version: engine.engineVersion(),
        sections: draw.prerenderMemo(),
      };
      if (location.search || data.lang !== view.lang) throw new Error("not the default view");
      document.getElementById("status").textContent = "";
      // Each section's height as drawn: its size until laid out (style.css, content-visibility).
      for (const section of document.querySelectorAll(".report-section")) section.style.containIntrinsicSize = `auto ${Math.round(section.getBoundingClientRect().height)}px`;
      for (const el of document.querySelectorAll(".masthead, #controls, #state-box, .report-section")) el.setAttribute("data-prerendered", "");
      // Element Timing reports when each section's heading is first painted (the benchmark's "first paint of every section").
      for (const heading of document.querySelectorAll(".report-section > h2")) heading.setAttribute("elementtiming", `sibstat:${heading.parentElement.id}`);
      const body = document.body.innerHTML;
      // The markup must parse back to the same document (a <details> inside a <p>, say,
      // would not): then the served page is the page drawn.
      const parsed = new DOMParser().parseFromString(`<!doctype html><html><head></head><body>${body}</body></html>`, "text/html").body.innerHTML;
      if (parsed !== body) {
        let at = 0;
        while (parsed[at] === body[at]) at++;
        throw new Error(`the drawn page does not parse back to itself at …${body.slice(Math.max(0, at - 160), at + 80)}…`);
      }
      return { body, title: document.title, lang: data.lang, data };
    });
    const missing = Object.keys(drawn.data.sections).length;
    if (missing < 10) throw new Error(`only ${missing} sections drawn`);
    await context.close();
    return { page: PRERENDER_PAGE, sources: sourcesDigest(root), ...drawn };
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }
}

const escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The page `html` (the source of `prerendered.page` under `root`) with the prerendered
 * body, title and data. Throws when the prerender was made from other sources.
 */
export function applyPrerender(html, prerendered, root) {
  if (prerendered.sources !== sourcesDigest(root)) {
    throw new Error(`the prerender was made from other sources than ${root}: run node scripts/prerender.mjs ${root} (./build.sh build does)`);
  }
  // Data in a JSON block, which no policy runs; "<" escaped so that it cannot close it.
  const data = JSON.stringify(prerendered.data).replace(/</g, "\\u003c");
  const body = `<body>${prerendered.body}\n<script type="application/json" id="sibstat-prerender">${data}</script>\n</body>`;
  if (!/<body>[\s\S]*<\/body>/.test(html)) throw new Error("the page has no plain <body> to fill");
  return html
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(prerendered.title)}</title>`)
    .replace(/<html lang="[^"]*"/, () => `<html lang="${prerendered.lang}"`)
    .replace(/<body>[\s\S]*<\/body>/, () => body);
}

/** Reads a prerender file for `page` (null when it is another page's). */
export function readPrerender(file, page) {
  const prerendered = JSON.parse(readFileSync(file, "utf8"));
  return prerendered.page === page ? prerendered : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? "www";
  const out = process.argv[3] ?? "dist/prerender.json";
  const started = performance.now();
  const result = await prerender(root);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, JSON.stringify(result));
  console.log(`${out}: the default view of ${root}/${result.page}, ${(Buffer.byteLength(result.body) / 1024).toFixed(0)} KiB of body, ${Object.keys(result.data.sections).length} sections, in ${(performance.now() - started).toFixed(0)} ms`);
}
