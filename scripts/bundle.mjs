// The offline briefing file: one self-contained HTML file made from a page directory
// (`./build.sh bundle` makes dist/sibstat-report.html from www/). It opens by
// double-click from disk (file://) and needs no network: everything the page loads is
// inlined, and its Content-Security-Policy forbids every connection.
//
// Generic over the page: whatever index.html links is inlined.
//   <link rel="stylesheet" href>  -> <style>, bundled by esbuild; url(...) (fonts,
//                                    images) become data: URLs
//   <script src> (classic),       -> <script> with the file's text (the vendored d3 and
//   <link rel="preload" as="script">  Observable Plot UMD builds)
//   <script type="module" src>    -> one inline module for all of them, importing each
//                                    in document order: the entries and their static
//                                    and dynamic imports bundled by esbuild
//   <img src>, <link rel="icon">  -> data: URLs
// Inside the bundled JavaScript (the plugin below):
//   new URL("x.wasm", import.meta.url)   -> a promised Response of the inlined module.
//        This is how wasm-bindgen's `--target web` glue finds its module when `init()`
//        has no argument; it awaits the value and compiles a Response as it streams in,
//        so nothing is fetched. The module is inlined gzip-compressed (base64 of the
//        gzip, about 40 % of base64 of the module) and inflated by the browser's
//        DecompressionStream.
//   new Worker(new URL("./w.js", import.meta.url), opts) or new Worker("./w.js", opts)
//        -> a classic worker from a Blob URL of w.js bundled on its own (IIFE, wasm
//        inlined the same way). The wasm's base64 text is shared: the worker's code
//        holds a placeholder that is filled from the page's copy when the Blob is made.
//   fetch(new URL("x", import.meta.url)) or fetch("x") of a file of the page
//        -> a Response made from the inlined bytes (connect-src is 'none'); text
//        files gzip-compressed like the wasm.
// Inline scripts are allowed by their sha256 hashes in the Content-Security-Policy,
// the offline form of the one policy in scripts/csp.mjs.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { cspMeta, offlinePolicy } from "./csp.mjs";
import { applyPrerender, readPrerender } from "./prerender.mjs";

const MIME = {
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".csv": "text/csv",
  ".txt": "text/plain",
  ".wasm": "application/wasm",
};
const ASSET_LOADERS = Object.fromEntries(
  Object.keys(MIME).filter((ext) => ext !== ".json" && ext !== ".wasm").map((ext) => [ext, "dataurl"]),
);

/** The bundled page's policy (scripts/csp.mjs). `scriptHashes` are 'sha256-…' sources of the inline scripts. */
export const bundleCsp = offlinePolicy;

export const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

const dataUrl = (file) =>
  `data:${MIME[extname(file).toLowerCase()] ?? "application/octet-stream"};base64,${readFileSync(file).toString("base64")}`;

const isLocal = (ref) => !/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(ref);

function attr(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i"));
  return m ? (m[2] ?? m[3] ?? m[4]) : undefined;
}
/** The tag with attribute `name` set to `value` (the attribute exists). */
const setAttr = (tag, name, value) =>
  tag.replace(new RegExp(`(\\s${name}\\s*=\\s*)("[^"]*"|'[^']*'|[^\\s>]+)`, "i"), (_, before) => `${before}"${escapeAttr(value)}"`);
const hasAttr = (tag, name) => new RegExp(`\\s${name}(\\s|=|>|/)`, "i").test(tag);

/** Escapes text for an HTML attribute in double quotes. */
const escapeAttr = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

/** Script text is raw inside <script>: it must not close the element. */
function checkScriptText(text, what) {
  // "<!--" then "<script" would put the HTML parser in its double-escaped state.
  if (/<\/script/i.test(text) || /<!--[\s\S]*<script/i.test(text)) {
    throw new Error(`${what}: contains "</script", or "<!--" before "<script", which would break the inline script`);
  }
  return text;
}

// --- The esbuild plugin --------------------------------------------------------------

const STRING = String.raw`(?:"([^"\\\n]*)"|'([^'\\\n]*)'|\x60([^\x60\\$\n]*)\x60)`;
const URL_OF = String.raw`new\s+URL\(\s*${STRING}\s*,\s*import\.meta\.url\s*\)`;
// new Worker(new URL("…", import.meta.url) | "…"  followed by , or )
const WORKER_RE = new RegExp(String.raw`new\s+Worker\(\s*(?:${URL_OF}|${STRING})\s*(?=[,)])`, "g");
const FETCH_RE = new RegExp(String.raw`fetch\(\s*(?:${URL_OF}|${STRING})\s*\)`, "g");
const WASM_URL_RE = new RegExp(URL_OF, "g");
const pick = (m, from) => m[from] ?? m[from + 1] ?? m[from + 2];
// scripts/site.mjs finds the same references to give them content-hashed names.
export { FETCH_RE, WORKER_RE, WASM_URL_RE as URL_RE, pick, isLocal, attr, setAttr, escapeAttr, MIME };

const WASM_PLACEHOLDER = (i) => `__SIBSTAT_WASM_${i}__`;

/**
 * The plugin that makes bundled code offline. `context` is shared by the page's bundle
 * and its workers' bundles: the wasm files and workers met, in order.
 */
function offlinePlugin(context) {
  return {
    name: "sibstat-offline",
    setup(build) {
      const ns = "sibstat-offline";
      // Our virtual modules.
      build.onResolve({ filter: /^sibstat-offline:/ }, (args) => ({ path: args.path.slice(ns.length + 1), namespace: ns }));
      build.onLoad({ filter: /.*/, namespace: ns }, (args) => {
        const [kind, index] = args.path.split(":");
        if (kind === "wasm-b64") {
          // The page's copy of the base64 text of the gzip-compressed module.
          const file = context.wasm[Number(index)];
          const packed = gzipSync(readFileSync(file), { level: 9 });
          return { contents: `export default ${JSON.stringify(packed.toString("base64"))};`, loader: "js" };
        }
        if (kind === "wasm-bytes") {
          const source = context.worker
            ? // In a worker: a placeholder, filled in when the page makes the Blob.
              `const b64 = ${JSON.stringify(WASM_PLACEHOLDER(index))};`
            : `import b64 from "sibstat-offline:wasm-b64:${index}";`;
          return {
            contents: `${source}
const bin = atob(b64);
const packed = new Uint8Array(bin.length);
for (let i = 0; i < bin.length; i++) packed[i] = bin.charCodeAt(i);
const inflated = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
export default new Response(inflated, { headers: { "Content-Type": "application/wasm" } });`,
            loader: "js",
          };
        }
        if (kind === "worker") {
          const worker = context.workers[Number(index)];
          if (worker.code === null) throw new Error(`${relative(context.root, worker.path)} starts a worker of itself`);
          const parts = worker.code.split(/__SIBSTAT_WASM_(\d+)__/);
          const imports = [];
          const pieces = parts.map((part, i) => {
            if (i % 2 === 0) return JSON.stringify(part);
            imports.push(`import w${part} from "sibstat-offline:wasm-b64:${part}";`);
            return `w${part}`;
          });
          return {
            contents: `${imports.join("\n")}
let url;
export default function workerUrl() {
  url ??= URL.createObjectURL(new Blob([${pieces.join(", ")}], { type: "text/javascript" }));
  return url;
}
export function classic(options) {
  return Object.assign({}, options, { type: "classic" });
}`,
            loader: "js",
          };
        }
        if (kind === "asset") {
          const file = context.assets[Number(index)];
          // Text (the report's data) travels gzip-compressed when that is smaller, as the
          // wasm does, and is inflated by the browser.
          const bytes = readFileSync(file);
          const packed = gzipSync(bytes, { level: 9 });
          const gzipped = packed.length < bytes.length * 0.9;
          return {
            contents: `const b64 = ${JSON.stringify((gzipped ? packed : bytes).toString("base64"))};
const type = ${JSON.stringify(MIME[extname(file).toLowerCase()] ?? "application/octet-stream")};
export default function inlinedFetch() {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const body = ${gzipped ? 'new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))' : "bytes"};
  return Promise.resolve(new Response(body, { status: 200, headers: { "Content-Type": type } }));
}`,
            loader: "js",
          };
        }
        throw new Error(`unknown virtual module ${args.path}`);
      });

      // Rewrites of the page's own JavaScript.
      build.onLoad({ filter: /\.(m?js)$/ }, async (args) => {
        if (args.namespace !== "file") return undefined;
        const file = args.path;
        let code = readFileSync(file, "utf8");
        const imports = [];
        const local = (ref, base) => {
          const path = context.mapData(resolve(base, ref));
          if (!existsSync(path)) throw new Error(`${relative(context.root, file)}: ${ref} does not exist (resolved to ${path})`);
          return path;
        };
        const indexOf = (list, path) => {
          let i = list.indexOf(path);
          if (i < 0) i = list.push(path) - 1;
          return i;
        };
        // Workers first (their URLs are also `new URL(…)`).
        let workerSeq = 0;
        const workerJobs = [];
        code = code.replace(WORKER_RE, (...m) => {
          const viaUrl = pick(m, 1);
          const ref = viaUrl ?? pick(m, 4);
          // new URL(…, import.meta.url) is relative to this module; a bare string is
          // relative to the document.
          const path = local(ref, viaUrl !== undefined ? dirname(file) : context.root);
          const name = `__sibstatWorker${workerSeq++}`;
          workerJobs.push({ path, name });
          return `new Worker(${name}.url()`;
        });
        for (const job of workerJobs) {
          const index = await context.bundleWorker(job.path);
          imports.push(
            `import ${job.name}Url, { classic as ${job.name}Classic } from "sibstat-offline:worker:${index}";`,
            `const ${job.name} = { url: ${job.name}Url, classic: ${job.name}Classic };`,
          );
        }
        // The worker's options: the bundled worker is classic code.
        code = code.replace(/new Worker\((__sibstatWorker\d+)\.url\(\)\s*,\s*/g, "new Worker($1.url(), $1.classic(");
        code = balanceClassic(code);

        let fetchSeq = 0;
        code = code.replace(FETCH_RE, (...m) => {
          const viaUrl = pick(m, 1);
          const ref = viaUrl ?? pick(m, 4);
          if (!isLocal(ref)) return m[0];
          const path = local(ref, viaUrl !== undefined ? dirname(file) : context.root);
          const name = `__sibstatFetch${fetchSeq++}`;
          imports.push(`import ${name} from "sibstat-offline:asset:${indexOf(context.assets, path)}";`);
          return `${name}()`;
        });

        let wasmSeq = 0;
        code = code.replace(WASM_URL_RE, (...m) => {
          const ref = pick(m, 1);
          if (!isLocal(ref)) return m[0];
          const path = local(ref, dirname(file));
          // Any other file of the page (an image, a font): a data: URL.
          if (!ref.endsWith(".wasm")) return `new URL(${JSON.stringify(dataUrl(path))})`;
          const name = `__sibstatWasm${wasmSeq++}`;
          imports.push(`import ${name} from "sibstat-offline:wasm-bytes:${indexOf(context.wasm, path)}";`);
          return name;
        });
        if (imports.length === 0) return undefined;
        // Imports are hoisted, so prepending keeps the module's meaning.
        return { contents: `${imports.join("\n")}\n${code}`, loader: "js", resolveDir: dirname(file) };
      });
    },
  };
}

/** `new Worker(x.url(), x.classic(OPTS)` -> closes the classic( call after OPTS. */
function balanceClassic(code) {
  const marker = /new Worker\(__sibstatWorker\d+\.url\(\), __sibstatWorker\d+\.classic\(/g;
  let out = "";
  let last = 0;
  for (const m of code.matchAll(marker)) {
    let i = m.index + m[0].length;
    let depth = 1; // inside new Worker(
    let quote = null;
    for (; i < code.length; i++) {
      const c = code[i];
      if (quote) {
        if (c === "\\") i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === "`") quote = c;
      else if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        depth--;
        if (depth === 0) break;
      }
    }
    out += code.slice(last, i) + ")";
    last = i;
  }
  return out + code.slice(last);
}

/** Bundles a module entry (and what it imports) with the offline plugin. */
async function bundleModule(entry, context, { format, minify, stdin }) {
  const result = await esbuild.build({
    ...(stdin ? { stdin } : { entryPoints: [entry] }),
    bundle: true,
    write: false,
    format,
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    minify,
    legalComments: "none",
    charset: "utf8",
    loader: { ...ASSET_LOADERS, ".wasm": "binary" },
    outdir: "/virtual-out",
    plugins: [offlinePlugin(context)],
    logLevel: "silent",
  });
  for (const w of result.warnings) console.warn(`bundle: ${w.text} (${w.location?.file ?? entry})`);
  const js = result.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => f.text).join("\n");
  const css = result.outputFiles.filter((f) => f.path.endsWith(".css")).map((f) => f.text).join("\n");
  return { js, css };
}

async function bundleCss(file, minify) {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    minify,
    loader: ASSET_LOADERS,
    outdir: "/virtual-out",
    logLevel: "silent",
  });
  return result.outputFiles.map((f) => f.text).join("\n");
}

/**
 * Makes one self-contained HTML file from `root/page` (default index.html).
 * Returns { html, csp, scriptHashes, bytes }; writes `out` when given.
 */
export async function bundlePage({ root, out, minify = true, page = "index.html", data, prerender }) {
  root = resolve(root);
  const htmlFile = join(root, page);
  let html = readFileSync(htmlFile, "utf8");
  // The view drawn at build time (scripts/prerender.mjs), when it is this page's and of
  // the package the page carries (another package's file is drawn by its script alone).
  const prerendered = prerender && !data ? readPrerender(prerender, page) : null;
  if (prerendered) html = applyPrerender(html, prerendered, root);
  const pageData = join(root, "data") + sep;
  const context = {
    root,
    // `data`: a report package directory inlined as the page's `data/` (README,
    // "Another report package"); the page's code is the same.
    mapData: (path) => (data && path.startsWith(pageData) ? join(resolve(data), path.slice(pageData.length)) : path),
    wasm: [],
    assets: [],
    workers: [],
    worker: false,
    async bundleWorker(path) {
      let index = this.workers.findIndex((w) => w.path === path);
      if (index >= 0) return index;
      index = this.workers.push({ path, code: null }) - 1;
      const workerContext = Object.create(this);
      workerContext.worker = true;
      const { js } = await bundleModule(path, workerContext, { format: "iife", minify });
      this.workers[index].code = js;
      return index;
    },
  };
  const fromPage = (ref) => {
    const path = resolve(root, decodeURI(ref.split(/[?#]/)[0]));
    if (!path.startsWith(root) || !existsSync(path)) throw new Error(`${page}: ${ref} is not a file of the page`);
    return path;
  };

  // Stylesheets.
  const links = [...html.matchAll(/<link\b[^>]*>/gi)];
  for (const [tag] of links) {
    const rel = (attr(tag, "rel") ?? "").toLowerCase().split(/\s+/);
    const href = attr(tag, "href");
    if (!href || !isLocal(href)) continue;
    if (rel.includes("stylesheet")) {
      const media = attr(tag, "media");
      const css = await bundleCss(fromPage(href), minify);
      html = html.replace(tag, () => `<style${media ? ` media="${escapeAttr(media)}"` : ""}>${css.replace(/<\/style/gi, "<\\/style")}</style>`);
    } else if (rel.includes("icon") || rel.includes("apple-touch-icon")) {
      html = html.replace(tag, () => setAttr(tag, "href", dataUrl(fromPage(href))));
    } else if (rel.includes("preload") && (attr(tag, "as") ?? "").toLowerCase() === "script") {
      // A classic script the page runs later (www/index.html's Observable Plot): from
      // disk there is nothing to download early, so it is inlined as a script here and
      // has run when the page's module looks for it.
      html = html.replace(tag, () => `<script src="${escapeAttr(href)}"></script>`);
    } else if (rel.some((r) => ["preload", "modulepreload", "prefetch", "manifest"].includes(r))) {
      html = html.replace(tag, "");
    }
  }

  // Scripts, in document order.
  const scripts = [];
  const scriptTags = [...html.matchAll(/<script\b[^>]*>\s*<\/script\s*>/gi)];
  const extraCss = [];
  // The page's module scripts become one module, in place of the first, that imports
  // each in document order: what they share (the engine's inlined module, which two
  // entries' workers load) is carried once, not once per script.
  const moduleFiles = [];
  for (const [tag] of scriptTags) {
    const src = attr(tag, "src");
    if (!src || (attr(tag, "type") ?? "").toLowerCase() !== "module") continue;
    if (!isLocal(src)) throw new Error(`${page}: script from elsewhere (${src}); the offline file cannot carry it`);
    moduleFiles.push(fromPage(src));
  }
  let modulesPlaced = false;
  for (const [tag] of scriptTags) {
    const src = attr(tag, "src");
    if (!src) continue;
    if (!isLocal(src)) throw new Error(`${page}: script from elsewhere (${src}); the offline file cannot carry it`);
    const file = fromPage(src);
    let text;
    let open;
    if ((attr(tag, "type") ?? "").toLowerCase() === "module") {
      if (modulesPlaced) {
        html = html.replace(tag, "");
        continue;
      }
      modulesPlaced = true;
      const bundled =
        moduleFiles.length === 1
          ? await bundleModule(file, context, { format: "esm", minify })
          : await bundleModule(null, context, {
            format: "esm",
            minify,
            stdin: { contents: moduleFiles.map((f) => `import ${JSON.stringify(f)};`).join("\n"), resolveDir: root, sourcefile: `${page} (its module scripts)`, loader: "js" },
          });
      const { js, css } = bundled;
      if (css) extraCss.push(css);
      text = js;
      open = '<script type="module">';
    } else {
      text = readFileSync(file, "utf8");
      // The file's source-map comment would point at a file that is not there.
      text = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
      // esbuild writes "</script" in strings and regexes as "<\/script".
      if (/<\/script/i.test(text)) text = (await esbuild.transform(text, { loader: "js", charset: "utf8", legalComments: "inline" })).code;
      open = "<script>";
    }
    // The HTML parser turns CR LF into LF before the CSP hashes the text.
    text = text.replace(/\r\n?/g, "\n");
    checkScriptText(text, src);
    scripts.push(text);
    html = html.replace(tag, () => `${open}${text}</script>`);
  }
  // Inline module scripts of the page may import its modules: bundled the same way.
  for (const [tag, attrs, body] of [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)]) {
    if (/\ssrc\s*=/i.test(attrs) || (attr(`<x${attrs}>`, "type") ?? "").toLowerCase() !== "module" || scripts.includes(body)) continue;
    if (!/\bimport\b/.test(body)) continue;
    const stdin = { contents: body, resolveDir: root, sourcefile: `${page} (inline module)`, loader: "js" };
    const { js, css } = await bundleModule(null, context, { format: "esm", minify, stdin });
    if (css) extraCss.push(css);
    const text = checkScriptText(js.replace(/\r\n?/g, "\n"), "inline module");
    scripts.push(text);
    html = html.replace(tag, () => `<script type="module">${text}</script>`);
  }
  // Inline scripts already in the page need hashes too.
  const allScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)]
    .filter(([, attrs]) => !/\ssrc\s*=/.test(attrs) && !/type\s*=\s*["']?(application\/(ld\+)?json|text\/plain)/i.test(attrs))
    .map(([, , body]) => body);
  if (extraCss.length) html = html.replace(/<\/head>/i, () => `<style>${extraCss.join("\n")}</style></head>`);

  // Links that download one of the page's files (<a href="data.csv" download>).
  for (const [tag] of [...html.matchAll(/<a\b[^>]*>/gi)]) {
    const href = attr(tag, "href");
    if (href && isLocal(href) && hasAttr(tag, "download")) html = html.replace(tag, () => setAttr(tag, "href", dataUrl(fromPage(href))));
  }

  // Images.
  for (const [tag] of [...html.matchAll(/<img\b[^>]*>/gi)]) {
    const src = attr(tag, "src");
    if (src && isLocal(src)) html = html.replace(tag, () => setAttr(tag, "src", dataUrl(fromPage(src))));
  }

  // The policy, before anything that loads.
  const scriptHashes = [...new Set(allScripts.map(sha256))];
  const csp = bundleCsp(scriptHashes);
  const meta = cspMeta(csp);
  html = html.replace(/<meta\s+http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>\s*/i, "");
  if (/<meta\s+charset[^>]*>/i.test(html)) html = html.replace(/(<meta\s+charset[^>]*>)/i, (m) => `${m}\n  ${meta}`);
  else html = html.replace(/<head[^>]*>/i, (m) => `${m}\n  ${meta}`);
  html = html.replace(/<html\b([^>]*)>/i, (m, attrs) => (/data-offline/.test(attrs) ? m : `<html${attrs} data-offline="true">`));

  // Nothing local may be left to load.
  const leftovers = [...html.matchAll(/<(?:script|link|img|source|iframe|embed|object)\b[^>]*\s(?:src|href|data)\s*=\s*["']?([^"'\s>]+)/gi)]
    .map((m) => m[1])
    .filter((ref) => !/^(data:|blob:|#)/i.test(ref));
  if (leftovers.length) throw new Error(`${page}: not inlined: ${leftovers.join(", ")}`);

  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, html);
  }
  return { html, csp, scriptHashes, bytes: Buffer.byteLength(html), workers: context.workers.length, wasm: context.wasm.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/bundle.mjs [ROOT] [OUT] [PAGE] [--data DIR] [--prerender FILE]
  // PAGE: the page's HTML entry inside ROOT (default index.html; the workbench:
  // workbench.html). --data DIR: the report package to inline instead of ROOT/data.
  // --prerender FILE: the view scripts/prerender.mjs drew, written into its page.
  const args = process.argv.slice(2);
  const at = args.indexOf("--data");
  const data = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const pre = args.indexOf("--prerender");
  const prerender = pre >= 0 ? args.splice(pre, 2)[1] : undefined;
  const root = args[0] ?? "www";
  const out = args[1] ?? "dist/sibstat-report.html";
  const page = args[2] ?? "index.html";
  const started = performance.now();
  const result = await bundlePage({ root, out, page, data, prerender });
  console.log(
    `${out}: ${(result.bytes / 1024).toFixed(0)} KiB (${result.wasm} wasm, ${result.workers} worker${result.workers === 1 ? "" : "s"}, ${result.scriptHashes.length} inline scripts) in ${(performance.now() - started).toFixed(0)} ms`,
  );
}
