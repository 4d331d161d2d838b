// www/vendor/plot.js: Observable Plot from npm as one classic script that defines the
// global `Plot` with the functions the pages call, and only the parts of d3 those need
// (`./build.sh build`). The pages' scripts are scanned for `Plot.<name>`; every such
// name that Plot exports is included, so a page that starts using another mark gets it
// at the next build. Access by computed name (Plot[name]) is not seen: write Plot.name.
//   node scripts/vendor-plot.mjs [page directory, default www] [out, default www/vendor/plot.js]
import * as esbuild from "esbuild";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");

/** The page's own scripts (not the vendored or generated ones). */
function scripts(dir, skip) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (skip.has(path)) return [];
    if (statSync(path).isDirectory()) return scripts(path, skip);
    return /\.m?js$/.test(name) ? [path] : [];
  });
}

export async function vendorPlot({ root = join(ROOT, "www"), out = join(root, "vendor", "plot.js") } = {}) {
  const plot = await import("@observablehq/plot");
  const used = new Set();
  for (const file of scripts(root, new Set([join(root, "vendor"), join(root, "pkg")]))) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(/\bPlot\.([A-Za-z_$][\w$]*)/g)) if (name in plot) used.add(name);
  }
  const names = [...used].sort();
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules", "@observablehq", "plot", "package.json"), "utf8"));
  await esbuild.build({
    stdin: { contents: `import { ${names.join(", ")} } from "@observablehq/plot";\nglobalThis.Plot = { ${names.join(", ")} };\n`, resolveDir: ROOT, loader: "js" },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome110", "firefox115", "safari16"],
    legalComments: "eof",
    banner: {
      js: `/* Observable Plot ${version} (${names.join(", ")}) and the d3 modules they use (https://observablehq.com/plot, https://d3js.org), ISC licence, Copyright Observable, Inc. and Mike Bostock; bundled from npm by scripts/vendor-plot.mjs */`,
    },
    outfile: out,
    logLevel: "warning",
  });
  return { names, bytes: statSync(out).size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(ROOT, "www"));
  const out = resolve(process.argv[3] ?? join(root, "vendor", "plot.js"));
  const { names, bytes } = await vendorPlot({ root, out });
  console.log(`${out}: ${(bytes / 1024).toFixed(0)} KiB, Plot.${names.join(", Plot.")}`);
}
