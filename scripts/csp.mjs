// The report's Content-Security-Policy, defined once. The static server's header
// (scripts/serve.mjs), the <meta> of every page the build writes (scripts/site.mjs) and
// the offline file (scripts/bundle.mjs) are derived from POLICY below; a test
// (tests/e2e/csp.test.mjs) checks that the served header, the pages' <meta> tags and
// the offline file agree with it.
//
// Nothing from elsewhere, no connection beyond the page's own files:
// - scripts, styles, fonts, images and workers only from the page's own files ('self');
// - 'wasm-unsafe-eval' lets the engine compile its WebAssembly;
// - styles also 'unsafe-inline': Observable Plot writes style attributes and a <style>
//   into every chart (no script is inline in the served page);
// - images also data: and blob: (chart images made in the page for downloads);
// - the only connection is to the page's own files (the engine's .wasm, the data);
// - no <base>, no form submissions; frame-ancestors (header only) forbids framing.

import { fileURLToPath } from "node:url";

/** Directive -> sources of the served page. */
export const POLICY = Object.freeze({
  "default-src": ["'none'"],
  "script-src": ["'self'", "'wasm-unsafe-eval'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "worker-src": ["'self'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
});

/** Directives a <meta> cannot carry (browsers ignore them there): header only. */
export const HEADER_ONLY = Object.freeze({ "frame-ancestors": ["'none'"] });

// The offline file has no files of its own to point at: everything is inlined. What
// 'self' stands for in each directive becomes the inline form of the same thing;
// a directive left with no source is 'none' (connect-src: no connection at all).
const OFFLINE_SELF = {
  "script-src": (hashes) => hashes, // the inline scripts, each by its sha256 hash
  "font-src": () => ["data:"], // fonts as data: URLs
  "worker-src": () => ["blob:"], // the bootstrap worker from a Blob of its inlined code
};

const join = (policy) =>
  Object.entries(policy)
    .map(([directive, sources]) => [directive, ...sources].join(" "))
    .join("; ");

/** The served page's policy as its <meta http-equiv="Content-Security-Policy"> carries it. */
export const META_CONTENT_SECURITY_POLICY = join(POLICY);

/** The served page's policy as the server sends it in the header. */
export const CONTENT_SECURITY_POLICY = join({ ...POLICY, ...HEADER_ONLY });

/** The offline file's policy; `scriptHashes` are the 'sha256-…' sources of its inline scripts. */
export function offlinePolicy(scriptHashes) {
  const offline = {};
  for (const [directive, sources] of Object.entries(POLICY)) {
    const inline = sources.flatMap((source) => (source === "'self'" ? (OFFLINE_SELF[directive]?.(scriptHashes) ?? []) : [source]));
    offline[directive] = inline.length ? inline : ["'none'"];
  }
  return join(offline);
}

/** The <meta> tag of a policy (attribute-escaped). */
export const cspMeta = (policy) => `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">`;

// `node scripts/csp.mjs` prints the header a static host should send (README: Deploying).
if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(CONTENT_SECURITY_POLICY);
