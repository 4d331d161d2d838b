// Every error and warning code the engine can emit has its Dutch and English text in
// the page (www/js/i18n.js), and the page translates no code the engine does not have.
// The codes come from the built WebAssembly module (`codes()`), the one the page loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import init, { codes, limits } from "../../www/pkg/sibstat.js";
import { ERROR_CODES, WARNING_CODES } from "../../www/js/i18n.js";

await init({ module_or_path: readFileSync(new URL("../../www/pkg/sibstat_bg.wasm", import.meta.url)) });

function checkTranslations(kind, engineCodes, table) {
  for (const code of engineCodes) {
    const pair = table[code];
    assert.ok(Array.isArray(pair), `${kind} code ${code} has no translation in www/js/i18n.js`);
    assert.equal(pair.length, 2, `${kind} code ${code}: give [Dutch, English]`);
    for (const text of pair) assert.ok(typeof text === "string" && text.trim().length > 10, `${kind} code ${code}: empty text`);
    assert.notEqual(pair[0], pair[1], `${kind} code ${code}: the Dutch text is the English one`);
  }
  const dead = Object.keys(table).filter((code) => !engineCodes.includes(code));
  assert.deepEqual(dead, [], `${kind} translations for codes the engine never emits`);
}

test("every error code of the engine has Dutch and English text, and no other is translated", () => {
  const { errors } = codes();
  assert.ok(errors.includes("malformed_json") && errors.includes("invalid_at_risk"), "the engine lists its codes");
  checkTranslations("error", errors, ERROR_CODES);
});

test("every warning code of the engine has Dutch and English text, and no other is translated", () => {
  const { warnings } = codes();
  assert.ok(warnings.includes("failed_replicates") && warnings.includes("complete_separation"), "the engine lists its codes");
  checkTranslations("warning", warnings, WARNING_CODES);
});

test("the engine states the limits the page's inputs use", () => {
  const l = limits();
  assert.equal(l.max_replicates, 1000000);
  assert.equal(l.max_seed, 2 ** 53);
  assert.equal(l.default_replicates, 2000);
});
