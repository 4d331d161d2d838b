// What the page hands the engine cannot break it: a request nested too deep, a
// cyclic object or odd JS values are refused with a coded error, and the engine
// answers the next request as before (a stack overflow inside the module would
// corrupt its memory and fail every later call).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("deep, cyclic and odd JS requests are refused with a code and leave the engine working", async () => {
  const { page, consoleErrors, close } = await openPage(browser);
  try {
    await page.waitForSelector("body[data-ready]");
    const results = await page.evaluate(async () => {
      const engine = await import("./pkg/sibstat.js");
      await engine.default();
      const call = (request) => {
        try {
          engine.analyse(request);
          return "ok";
        } catch (error) {
          return error.code ?? `${error.constructor.name}: ${error.message}`;
        }
      };
      const nest = (n) => {
        let value = 1;
        for (let i = 0; i < n; i++) value = [value];
        return value;
      };
      const cyclic = { analysis: "summary", values: [1] };
      cyclic.self = cyclic;
      const cyclicArray = [1];
      cyclicArray.push(cyclicArray);
      const requests = {
        deep_array: { analysis: "summary", values: nest(100_000) },
        deep_object: { analysis: "summary", values: [1], extra: JSON.parse("[".repeat(5000) + "]".repeat(5000)) },
        deep_in_map: new Map([["analysis", "summary"], ["values", nest(100_000)]]),
        deep_in_set: { analysis: "summary", values: new Set([nest(100_000)]) },
        cyclic_object: cyclic,
        cyclic_array: { analysis: "summary", values: cyclicArray },
        function_value: { analysis: "summary", values: [1], count: () => 1 },
        typed_array: { analysis: "summary", values: new Float64Array([1, 2]) },
        deep_text: `{"analysis": "summary", "values": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      };
      const out = {};
      for (const [name, request] of Object.entries(requests)) {
        out[name] = call(request);
        out[`${name}, then`] = call({ analysis: "summary", values: [1, 2, 3] });
      }
      return out;
    });
    for (const [name, result] of Object.entries(results)) {
      if (name.endsWith(", then")) assert.equal(result, "ok", `the engine after ${name}`);
      else assert.match(result, /^(invalid_type|malformed_json|unknown_key|missing_key)$/, name);
    }
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
