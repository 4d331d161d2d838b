// The one side-by-side table of `./build.sh bench`: reads the `BENCH {json}` lines of
// benches/engine.rs, scripts/bench-browser.mjs and the reference scripts (R, Python)
// from the files given, adds the module's size, and prints markdown; every other line
// of the files named after `--lines` (other benchmarks' own markdown or plain lines,
// such as the page timings of scripts/bench-report.mjs) is appended as it is.
//   node scripts/bench-table.mjs raw.txt [...] [--lines other.txt ...]
import { readFileSync, existsSync } from "node:fs";
import { cpus } from "node:os";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { ROOT } from "../tests/e2e/browser.mjs";

const args = process.argv.slice(2);
const split = args.indexOf("--lines");
const rawFiles = split < 0 ? args : args.slice(0, split);
const lineFiles = split < 0 ? [] : args.slice(split + 1);

const records = [];
for (const file of rawFiles) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("BENCH ")) records.push(JSON.parse(line.slice(6)));
  }
}
const find = (table, row, col) => records.find((r) => r.table === table && r.row === row && r.col === col);

const ms = (v) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(3) : v.toFixed(4));
const cell = (table, row, col, floorCol) => {
  const r = find(table, row, col);
  if (!r || r.value === null) return "—";
  const floor = floorCol && find(table, row, floorCol);
  return floor && floor.value ? `${ms(r.value)} ms (${(r.value / floor.value).toFixed(1)}×)` : `${ms(r.value)} ms`;
};

const out = [];
out.push(`# sibstat benchmarks`);
out.push("");
out.push(`${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), medians of the runs shown in bench-results/raw.txt.`);
out.push("");
out.push("## Workloads W1–W5 (../shared/bench/README.md)");
out.push("");
out.push("Milliseconds; in brackets the ratio to the tight-loop floor on the same target (native columns to the native floor, Chromium columns to the wasm32 floor). W1–W3 have no floor: in brackets the ratio to sibstat on the same target.");
out.push("");
const columns = [
  ["sibstat native", "floor native", "sibstat native"],
  ["floor native", null, null],
  ["R", "floor native", "sibstat native"],
  ["numpy", "floor native", "sibstat native"],
  ["lifelines", "floor native", "sibstat native"],
  ["sibstat Chromium", "floor wasm32", "sibstat Chromium"],
  ["floor wasm32", null, null],
  ["plain JS Chromium", "floor wasm32", "sibstat Chromium"],
];
out.push(`| workload | ${columns.map((c) => c[0]).join(" | ")} |`);
out.push(`| --- | ${columns.map(() => "---:").join(" | ")} |`);
for (const row of ["W1", "W2", "W3", "W4", "W5"]) {
  const hasFloor = Boolean(find("workloads", row, "floor native") || find("workloads", row, "floor wasm32"));
  const cells = columns.map(([col, floorCol, selfCol]) => {
    if (!floorCol) return cell("workloads", row, col, null);
    if (hasFloor) return cell("workloads", row, col, floorCol);
    return col === selfCol ? cell("workloads", row, col, null) : cell("workloads", row, col, selfCol);
  });
  out.push(`| ${row} | ${cells.join(" | ")} |`);
}
const notes = records.filter((r) => r.table === "workloads" && r.note).map((r) => `${r.col} ${r.row}: ${r.note}`);
if (notes.length) {
  out.push("");
  out.push(`Notes: ${[...new Set(notes)].join("; ")}.`);
}
const skipped = records.filter((r) => r.table === "skipped");
for (const s of skipped) out.push(`- skipped: ${s.row} (${s.note})`);

out.push("");
out.push("## Scaling: W5 (B = 10,000, S(365), S(730)) on the same 338 rows with more individuals");
out.push("");
out.push("| individuals | sampler | native | native ÷ W5 floor | Chromium | Chromium ÷ wasm32 W5 floor |");
out.push("| ---: | --- | ---: | ---: | ---: | ---: |");
const floorN = find("workloads", "W5", "floor native");
const floorW = find("workloads", "W5", "floor wasm32");
for (const row of ["450", "45,000", "4,500,000"]) {
  const n = find("scaling", row, "sibstat native");
  const w = find("scaling", row, "sibstat Chromium");
  const ratio = (a, f) => (a && f ? `${(a.value / f.value).toFixed(1)}×` : "—");
  out.push(`| ${row} | ${n?.note ?? "—"} | ${n ? ms(n.value) + " ms" : "—"} | ${ratio(n, floorN)} | ${w ? ms(w.value) + " ms" : "—"} | ${ratio(w, floorW)} |`);
}
const draw = find("sampler", "individual draw", "sibstat native");
const binomial = find("sampler", "binomial draw", "sibstat native");
if (draw && binomial) {
  out.push("");
  out.push(`Sampler cost model: ${draw.value.toFixed(2)} ns per individual drawn one by one, ${binomial.value.toFixed(1)} ns per conditional binomial (${(binomial.value / draw.value).toFixed(1)} individual draws; resample.rs BINOMIAL_COST).`);
}

out.push("");
out.push("## The Joining Forces report's bootstrap (every request it offers, 20,000 replicates each)");
out.push("");
out.push("| where | replicates/s | detail |");
out.push("| --- | ---: | --- |");
for (const col of ["sibstat native", "sibstat Chromium"]) {
  const r = records.find((x) => x.table === "report" && x.col === col);
  out.push(`| ${col.replace("sibstat ", "")} | ${r?.value ? r.value.toFixed(0) : "—"} | ${r?.note ?? "not measured"} |`);
}

out.push("");
out.push("## The module's size");
out.push("");
out.push("| file | raw | gzip -9 | brotli q11 |");
out.push("| --- | ---: | ---: | ---: |");
for (const file of ["pkg/sibstat_bg.wasm", "pkg/sibstat.js"]) {
  const path = join(ROOT, file);
  if (!existsSync(path)) {
    out.push(`| ${file} | not built | | |`);
    continue;
  }
  const bytes = readFileSync(path);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  out.push(`| ${file} | ${kb(bytes.length)} | ${kb(gzip)} | ${kb(brotli)} |`);
}

const others = lineFiles.flatMap((f) => (existsSync(f) ? readFileSync(f, "utf8").split("\n") : [])).filter((l) => l.trim() && !l.startsWith("BENCH "));
if (others.length) {
  out.push("");
  out.push("## Page and offline file");
  out.push("");
  for (const line of others) out.push(/^[|#-]/.test(line) ? line : `- ${line}`);
}
console.log(out.join("\n"));
