import { launch, openPage } from "./browser.mjs";
const browser = await launch();
const { page, close } = await openPage(browser);
await page.waitForSelector("body[data-ready]");
const cases = ["deep1000", "deep10000", "cyclic", "bigint", "map", "undef", "fn", "proto", "sparse", "typed"];
for (const name of cases) {
  await page.reload(); await page.waitForSelector("body[data-ready]");
  const out = await page.evaluate(async (name) => {
    const engine = await import("./pkg/sibstat.js");
    await engine.default();
    const call = (r) => { try { const x = engine.analyse(r); return "ok " + JSON.stringify(x).slice(0, 50); } catch (e) { return `${e.constructor.name} ${e.code ?? ""} ${String(e.message).slice(0, 100)}`; } };
    const nest = (n) => { let d = 1; for (let i = 0; i < n; i++) d = [d]; return d; };
    const make = {
      deep1000: () => ({ analysis: "summary", values: nest(1000) }),
      deep10000: () => ({ analysis: "summary", values: nest(10000) }),
      cyclic: () => { const c = { analysis: "summary", values: [1] }; c.self = c; return c; },
      bigint: () => ({ analysis: "summary", values: [1n] }),
      map: () => new Map([["analysis", "summary"]]),
      undef: () => ({ analysis: "summary", values: [1, undefined] }),
      fn: () => ({ analysis: "summary", values: [1], count: () => 1 }),
      proto: () => Object.create({ analysis: "summary", values: [1] }),
      sparse: () => ({ analysis: "summary", values: new Array(5) }),
      typed: () => ({ analysis: "summary", values: new Float64Array([1, 2]) }),
    };
    return [call(make[name]()), call({ analysis: "summary", values: [1, 2, 3] })];
  }, name);
  console.log(name.padEnd(10), out.join("  |  after: "));
}
await close(); await browser.close();
