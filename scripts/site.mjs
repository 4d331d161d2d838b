// The deployable static site: `./build.sh build` makes dist/site/ from www/ with
// `node scripts/site.mjs www dist/site`. Upload dist/site/ to any static host
// (README: "Deploying").
//
// Generic over the pages: every top-level *.html of the page directory is written
// with its references replaced by content-hashed files under assets/
// (name.<10 hex of the content's sha256>.ext), which never change and can be cached
// forever; only the HTML keeps its name (and is revalidated on each visit).
//   <script type="module" src>     the entry and its imports bundled by esbuild into
//                                  one minified module
//   <script src> (classic),        the file as it is (the vendored d3 and Plot)
//   <link rel="preload" as="script">
//   <link rel="stylesheet">        minified; its url(...) files hashed too
//   <link rel="preload"|"prefetch"|  the hashed file; a modulepreload of a module that
//   "icon">, <img src>,            is bundled into an entry is dropped
//   <a href download>              (its code is inside the entry)
// Inside the bundled JavaScript (as scripts/bundle.mjs finds them):
//   new URL("x", import.meta.url)  -> new URL("./x.<hash>.ext", import.meta.url)
//   new Worker(new URL("w.js", import.meta.url) | "w.js", opts)
//                                  -> the worker bundled on its own, hashed
//   fetch("x") (relative to the page) -> fetch("assets/x.<hash>.ext")
// The <meta> Content-Security-Policy is the served policy of scripts/csp.mjs.
// With --prerender FILE (scripts/prerender.mjs), the page it drew carries its view.
// Every file is also written precompressed beside itself (x.br, x.gz) when that is
// smaller; scripts/serve.mjs (or the host) sends them with Content-Encoding.
// manifest.json maps each source file to its hashed name.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { FETCH_RE, URL_RE, WORKER_RE, attr, isLocal, pick, setAttr } from "./bundle.mjs";
import { META_CONTENT_SECURITY_POLICY, cspMeta } from "./csp.mjs";
import { applyPrerender, readPrerender } from "./prerender.mjs";

const ASSETS = "assets";
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".csv", ".txt"]);
const TARGET = ["chrome110", "firefox115", "safari16"];

const hashOf = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 10);

/**
 * Writes dist-style output for the pages of `root` into `out`; returns the manifest.
 * `prerender`: a file of scripts/prerender.mjs, whose view is written into its page.
 */
export async function buildSite({ root, out, minify = true, prerender }) {
  root = resolve(root);
  out = resolve(out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, ASSETS), { recursive: true });
  const manifest = {}; // source path (relative to root) -> hashed path (relative to out)
  const written = [];

  /** Writes `bytes` as the hashed copy of source `file`; returns its path relative to out. */
  const emit = (file, bytes) => {
    const ext = extname(file);
    const name = `${ASSETS}/${basename(file, ext)}.${hashOf(bytes)}${ext}`;
    writeFileSync(join(out, name), bytes);
    manifest[relative(root, file)] = name;
    written.push(name);
    return name;
  };
  const done = new Map(); // source file -> hashed path, so each file is made once
  const once = async (file, make) => {
    if (!done.has(file)) done.set(file, await make());
    return done.get(file);
  };
  const fromPage = (ref, page) => {
    const path = resolve(root, decodeURI(ref.split(/[?#]/)[0]));
    if (!path.startsWith(root) || !existsSync(path)) throw new Error(`${page}: ${ref} is not a file of the page`);
    return path;
  };

  const asset = (file) => once(file, () => emit(file, readFileSync(file)));

  const stylesheet = (file) =>
    once(file, async () => {
      let css = readFileSync(file, "utf8");
      const urls = [...css.matchAll(/url\(\s*(["']?)([^"')]+)\1\s*\)/g)];
      for (const [whole, , ref] of urls) {
        if (!isLocal(ref)) continue;
        const hashed = await asset(resolve(dirname(file), ref.split(/[?#]/)[0]));
        css = css.replace(whole, () => `url("${basename(hashed)}")`);
      }
      if (minify) css = (await esbuild.transform(css, { loader: "css", minify: true, target: TARGET })).code;
      return emit(file, Buffer.from(css));
    });

  const classicScript = (file) =>
    once(file, () => {
      // The file's source-map comment would point at a file that is not there.
      const text = readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
      return emit(file, Buffer.from(text));
    });

  /** A module (or worker) entry bundled with its imports; `format` "esm" or "iife". */
  const moduleBundle = (file, format) =>
    once(`${file}#${format}`, async () => {
      const result = await esbuild.build({
        entryPoints: [file],
        bundle: true,
        write: false,
        format,
        platform: "browser",
        target: TARGET,
        minify,
        legalComments: "none",
        charset: "utf8",
        outdir: "/virtual-out",
        plugins: [hashedReferences],
        logLevel: "silent",
      });
      const js = result.outputFiles.find((f) => f.path.endsWith(".js")).text;
      if (result.outputFiles.some((f) => f.path.endsWith(".css"))) throw new Error(`${relative(root, file)}: CSS imported from JavaScript is not supported`);
      return emit(file, Buffer.from(js));
    });

  // Rewrites references in the page's JavaScript to hashed files. All bundles live in
  // assets/, so a reference relative to import.meta.url is "./<hashed name>"; a
  // fetch("x") is relative to the document, which is at the site's root.
  const hashedReferences = {
    name: "sibstat-hashed-references",
    setup(build) {
      build.onLoad({ filter: /\.(m?js)$/ }, async (args) => {
        let code = readFileSync(args.path, "utf8");
        const here = dirname(args.path);
        // Rewritten references are held as tokens until the end, so that a later pattern
        // (new URL(…) inside new Worker(…) or fetch(…)) does not match them again.
        const tokens = [];
        const token = (text) => `__SIBSTAT_REF_${tokens.push(text) - 1}__`;
        const replaceAsync = async (re, make) => {
          const parts = [];
          let last = 0;
          for (const m of code.matchAll(re)) {
            parts.push(code.slice(last, m.index), await make(m));
            last = m.index + m[0].length;
          }
          code = parts.join("") + code.slice(last);
        };
        await replaceAsync(WORKER_RE, async (m) => {
          const viaUrl = pick(m, 1);
          const ref = viaUrl ?? pick(m, 4);
          const path = viaUrl !== undefined ? resolve(here, ref) : resolve(root, ref);
          if (!existsSync(path)) throw new Error(`${relative(root, args.path)}: ${ref} does not exist`);
          const after = code.slice(m.index + m[0].length, m.index + m[0].length + 200);
          const isModule = /^\s*,\s*\{[^}]*type\s*:\s*["']module["']/.test(after);
          const hashed = await moduleBundle(path, isModule ? "esm" : "iife");
          return token(`new Worker(new URL(${JSON.stringify(`./${basename(hashed)}`)}, import.meta.url)`);
        });
        await replaceAsync(FETCH_RE, async (m) => {
          const viaUrl = pick(m, 1);
          const ref = viaUrl ?? pick(m, 4);
          if (!isLocal(ref)) return m[0];
          const path = viaUrl !== undefined ? resolve(here, ref) : resolve(root, ref);
          const hashed = await asset(path);
          return token(viaUrl !== undefined ? `fetch(new URL(${JSON.stringify(`./${basename(hashed)}`)}, import.meta.url))` : `fetch(${JSON.stringify(hashed)})`);
        });
        await replaceAsync(URL_RE, async (m) => {
          const ref = pick(m, 1);
          if (!isLocal(ref)) return m[0];
          const path = resolve(here, ref);
          if (!existsSync(path)) throw new Error(`${relative(root, args.path)}: ${ref} does not exist`);
          const hashed = await asset(path);
          return token(`new URL(${JSON.stringify(`./${basename(hashed)}`)}, import.meta.url)`);
        });
        code = code.replace(/__SIBSTAT_REF_(\d+)__/g, (_, i) => tokens[Number(i)]);
        return { contents: code, loader: "js", resolveDir: here };
      });
    },
  };

  const pages = readdirSync(root).filter((name) => name.endsWith(".html"));
  for (const page of pages) {
    let html = readFileSync(join(root, page), "utf8");
    const prerendered = prerender ? readPrerender(prerender, page) : null;
    if (prerendered) html = applyPrerender(html, prerendered, root);
    const entries = [];
    // Module entries first: bundling them hashes what they reference (the wasm).
    for (const [tag] of [...html.matchAll(/<script\b[^>]*>\s*<\/script\s*>/gi)]) {
      const src = attr(tag, "src");
      if (!src) continue;
      if (!isLocal(src)) throw new Error(`${page}: script from elsewhere (${src})`);
      const file = fromPage(src, page);
      const isModule = (attr(tag, "type") ?? "").toLowerCase() === "module";
      const hashed = isModule ? await moduleBundle(file, "esm") : await classicScript(file);
      if (isModule) entries.push(file);
      html = html.replace(tag, () => setAttr(tag, "src", hashed));
    }
    for (const [tag] of [...html.matchAll(/<link\b[^>]*>/gi)]) {
      const href = attr(tag, "href");
      if (!href || !isLocal(href)) continue;
      const rel = (attr(tag, "rel") ?? "").toLowerCase().split(/\s+/);
      const file = fromPage(href, page);
      if (rel.includes("stylesheet")) {
        const hashed = await stylesheet(file);
        html = html.replace(tag, () => setAttr(tag, "href", hashed));
      } else if (rel.includes("modulepreload")) {
        // The entry is preloaded by its hashed name; a module bundled into it is gone.
        const hashed = entries.includes(file) ? done.get(`${file}#esm`) : null;
        html = html.replace(tag, () => (hashed ? setAttr(tag, "href", hashed) : ""));
      } else if (rel.includes("preload") && (attr(tag, "as") ?? "").toLowerCase() === "script") {
        // A classic script the page runs later (js/main.js inserts Observable Plot's):
        // the same hashed file a <script src> of it would load.
        const hashed = await classicScript(file);
        html = html.replace(tag, () => setAttr(tag, "href", hashed));
      } else {
        const hashed = done.get(file) ?? done.get(`${file}#esm`) ?? (await asset(file));
        html = html.replace(tag, () => setAttr(tag, "href", hashed));
      }
    }
    for (const [tag] of [...html.matchAll(/<img\b[^>]*>/gi)]) {
      const src = attr(tag, "src");
      if (src && isLocal(src)) {
        const hashed = await asset(fromPage(src, page));
        html = html.replace(tag, () => setAttr(tag, "src", hashed));
      }
    }
    for (const [tag] of [...html.matchAll(/<a\b[^>]*\sdownload\b[^>]*>/gi)]) {
      const href = attr(tag, "href");
      if (href && isLocal(href)) {
        const hashed = await asset(fromPage(href, page));
        html = html.replace(tag, () => setAttr(tag, "href", hashed));
      }
    }
    // Lines left empty by dropped preloads.
    html = html.replace(/\n[ \t]*(?=\n)/g, "");
    const meta = cspMeta(META_CONTENT_SECURITY_POLICY);
    if (/<meta\s+http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>/i.test(html)) {
      html = html.replace(/<meta\s+http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>/i, () => meta);
    } else {
      html = html.replace(/(<meta\s+charset[^>]*>)/i, (m) => `${m}\n  ${meta}`);
    }
    writeFileSync(join(out, page), html);
    written.push(page);
  }

  // Precompressed copies, where they are smaller.
  const sizes = {};
  for (const name of written) {
    const path = join(out, name);
    const bytes = readFileSync(path);
    sizes[name] = { raw: bytes.length };
    if (!COMPRESSIBLE.has(extname(name))) continue;
    const gz = gzipSync(bytes, { level: 9 });
    const br = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    if (gz.length < bytes.length) writeFileSync(`${path}.gz`, gz);
    if (br.length < bytes.length) writeFileSync(`${path}.br`, br);
    Object.assign(sizes[name], { gzip: gz.length, brotli: br.length });
  }
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, sizes, pages };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/site.mjs [ROOT] [OUT] [--prerender FILE]
  const args = process.argv.slice(2);
  const at = args.indexOf("--prerender");
  const prerender = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const root = args[0] ?? "www";
  const out = args[1] ?? "dist/site";
  const { sizes, pages } = await buildSite({ root, out, prerender });
  const total = (key) => Object.values(sizes).reduce((sum, s) => sum + (s[key] ?? s.raw), 0);
  console.log(`${out}: ${pages.join(", ")} and ${Object.keys(sizes).length - pages.length} hashed assets; ${(total("raw") / 1024).toFixed(0)} KiB raw, ${(total("gzip") / 1024).toFixed(0)} KiB gzip, ${(total("brotli") / 1024).toFixed(0)} KiB brotli`);
  for (const [name, s] of Object.entries(sizes)) if (name.endsWith(".wasm")) console.log(`  ${name}: ${s.raw} bytes raw, ${s.gzip} gzip, ${s.brotli} brotli`);
}
