// One Content-Security-Policy (scripts/csp.mjs): the static server's header, the
// <meta> of the source page and the offline file's policy all come from it and agree
// directive by directive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./browser.mjs";
import { CONTENT_SECURITY_POLICY, HEADER_ONLY, META_CONTENT_SECURITY_POLICY, POLICY, offlinePolicy } from "../../scripts/csp.mjs";
import { serve } from "../../scripts/serve.mjs";
import { bundlePage, sha256 } from "../../scripts/bundle.mjs";

const directives = (policy) => Object.fromEntries(policy.split(/;\s*/).map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));

test("the served header is the policy plus its header-only directives; the page's <meta> is the policy", async () => {
  const { server, url } = await serve(join(ROOT, "www"));
  try {
    const header = await new Promise((resolve, reject) =>
      request(url, (res) => {
        res.resume();
        resolve(res.headers["content-security-policy"]);
      })
        .on("error", reject)
        .end(),
    );
    assert.equal(header, CONTENT_SECURITY_POLICY);
    assert.deepEqual(directives(header), { ...POLICY, ...HEADER_ONLY });
  } finally {
    await new Promise((done) => server.close(done));
  }
  // Every page of www/ that carries a <meta> policy carries this one.
  const pages = readdirSync(join(ROOT, "www")).filter((name) => name.endsWith(".html"));
  assert.ok(pages.includes("index.html"));
  for (const page of pages) {
    const html = readFileSync(join(ROOT, "www", page), "utf8");
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
    if (page === "index.html") assert.ok(meta, "index.html carries the policy");
    if (meta === undefined) continue;
    assert.equal(meta, META_CONTENT_SECURITY_POLICY, page);
    assert.deepEqual(directives(meta), { ...POLICY });
  }
});

test("the offline file's policy has the same directives, with the page's own files replaced by their inline forms", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sibstat-csp-"));
  try {
    writeFileSync(join(dir, "index.html"), '<!doctype html><html><head><meta charset="utf-8"><script src="a.js"></script></head><body></body></html>');
    writeFileSync(join(dir, "a.js"), "document.title = 'a';\n");
    const { html, csp, scriptHashes } = await bundlePage({ root: dir });
    assert.deepEqual(scriptHashes, [sha256("document.title = 'a';\n")]);
    assert.equal(csp, offlinePolicy(scriptHashes));
    assert.ok(html.includes(`content="${csp}"`));
    const offline = directives(csp);
    assert.deepEqual(Object.keys(offline), Object.keys(POLICY), "the same directives, in the same order");
    for (const [name, sources] of Object.entries(POLICY)) {
      assert.ok(!offline[name].includes("'self'"), `${name}: nothing of the page's own files is left to load`);
      // Every source other than 'self' is kept as it is.
      for (const source of sources.filter((s) => s !== "'self'")) assert.ok(offline[name].includes(source), `${name} keeps ${source}`);
    }
    assert.deepEqual(offline["connect-src"], ["'none'"]);
    assert.deepEqual(offline["script-src"], [...scriptHashes, "'wasm-unsafe-eval'"]);
    assert.deepEqual(offline["worker-src"], ["blob:"]);
    assert.deepEqual(offline["font-src"], ["data:"]);
    assert.ok(!/https?:|\*/.test(csp + CONTENT_SECURITY_POLICY), "no host anywhere");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
