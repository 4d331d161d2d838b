// The layers the compiler enforces (issue 10): the statistics core depends on no JSON,
// WebAssembly, CLI, API or report crate; no file of the core names the API or a report;
// the API knows no report; and the built WebAssembly module carries none of the
// report's labels (its data are loaded as data, never compiled in).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./browser.mjs";

function dependencies(pkg) {
  const out = execFileSync("cargo", ["tree", "--locked", "-p", pkg, "-e", "normal", "--prefix", "none"], { cwd: ROOT, encoding: "utf8" });
  return new Set(out.split("\n").map((line) => line.split(" ")[0]).filter(Boolean));
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("the core depends on no JSON, WebAssembly, CLI, API or report crate", () => {
  const deps = dependencies("sibstat-core");
  assert.ok(deps.has("statrs") && deps.has("nalgebra"), "cargo tree lists the core's dependencies");
  for (const forbidden of ["serde_json", "wasm-bindgen", "js-sys", "serde-wasm-bindgen", "clap", "sibstat-api", "sibstat-report", "sibstat-publish"]) {
    assert.ok(!deps.has(forbidden), `sibstat-core depends on ${forbidden}`);
  }
});

test("the API knows no report, and no report reaches the core", () => {
  const api = dependencies("sibstat-api");
  assert.ok(api.has("sibstat-core"));
  for (const forbidden of ["sibstat-report", "sibstat-publish", "wasm-bindgen", "clap"]) assert.ok(!api.has(forbidden), `sibstat-api depends on ${forbidden}`);
  const report = dependencies("sibstat-report");
  for (const forbidden of ["wasm-bindgen", "clap"]) assert.ok(!report.has(forbidden), `sibstat-report depends on ${forbidden}`);
});

test("no file of the core names the API or a report", () => {
  const core = filesUnder(join(ROOT, "crates/core/src"));
  assert.ok(core.length > 20);
  for (const file of core) {
    const text = readFileSync(file, "utf8");
    assert.doesNotMatch(text, /sibstat[_-](api|report|publish)|joining[ _]?forces|crate::(api|report|joining_forces)/i, file);
  }
});

test("the WebAssembly module carries none of the report's labels", () => {
  const wasm = readFileSync(join(ROOT, "www/pkg/sibstat_bg.wasm")).toString("latin1");
  const pkg = JSON.parse(readFileSync(join(ROOT, "data/joining_forces.json"), "utf8")).package;
  const labels = [];
  const collect = (value) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if ((key === "label" || key === "long_label") && inner && typeof inner === "object") labels.push(inner.nl, inner.en);
        else collect(inner);
      }
    }
  };
  collect(pkg);
  // Long enough to be the report's own words, not a common English one.
  const words = [...new Set(labels.filter((l) => typeof l === "string" && l.length >= 12))];
  assert.ok(words.length >= 10, `the package has labels (${words.length})`);
  // The module's strings are UTF-8; compare in the same encoding.
  const present = words.filter((w) => wasm.includes(Buffer.from(w, "utf8").toString("latin1")));
  assert.deepEqual(present, [], "report labels compiled into the module");
});
