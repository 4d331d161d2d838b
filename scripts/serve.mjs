// Serves a page directory on 127.0.0.1 as a static host should: the right MIME types
// (application/wasm for the engine), the Content-Security-Policy of scripts/csp.mjs,
// precompressed files (x.br, x.gz beside x, written by `./build.sh build` into
// dist/site/) chosen from the request's Accept-Encoding and sent with
// Content-Encoding, and caching by name: a content-hashed file (name.<10 hex>.ext)
// never changes, so it is cached for a year as immutable; everything else (the HTML)
// is revalidated on every visit (no-cache, answered 304 while its ETag matches).
// Used by `./build.sh serve` (dist/site/) and by the browser tests (www/ or dist/site/);
// only the standard library, so it runs wherever node does.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { basename, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from "./csp.mjs";

export { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY };

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv; charset=utf-8",
  ".woff2": "font/woff2",
};

/** A content-hashed file name as scripts/site.mjs writes it: name.<10 hex digits>.ext */
export const HASHED_NAME = /\.[0-9a-f]{10}\.[a-z0-9]+$/;
export const IMMUTABLE = "public, max-age=31536000, immutable";

// Preferred first: brotli is smaller than gzip for every file of the page.
const ENCODINGS = [
  ["br", ".br"],
  ["gzip", ".gz"],
];

/** The encodings a request accepts (q=0 refuses one). */
function accepted(header = "") {
  const accept = new Set();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) accept.add(name);
  }
  return accept;
}

async function fileStat(path) {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * Starts a static server for `root`; resolves to { server, url }. Port 0 picks a free
 * one. `data`: a report package directory served as the page's `data/` instead of
 * `root/data` (README, "Another report package").
 */
export async function serve(root, port = 0, host = "127.0.0.1", { data } = {}) {
  const base = resolve(root);
  const dataBase = data ? resolve(data) : null;
  const server = createServer(async (request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let file = normalize(join(base, path));
    // A report package served as the page's data/ (--data DIR).
    const dataDir = join(base, "data") + "/";
    if (dataBase && file.startsWith(dataDir)) file = normalize(join(dataBase, file.slice(dataDir.length)));
    const inside = (dir) => file === dir || file.startsWith(dir + "/");
    if (!inside(base) && !(dataBase && inside(dataBase))) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const original = await fileStat(file);
      if (!original) throw new Error("not a file");
      // The precompressed copy the client accepts, if the build wrote one.
      const accept = accepted(request.headers["accept-encoding"]);
      let body = file;
      let encoding = null;
      let size = original;
      for (const [name, suffix] of ENCODINGS) {
        if (!accept.has(name)) continue;
        const s = await fileStat(file + suffix);
        if (s) {
          [body, encoding, size] = [file + suffix, name, s];
          break;
        }
      }
      const etag = `"${size.size.toString(16)}-${Math.floor(size.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;
      const headers = {
        "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": HASHED_NAME.test(basename(file)) ? IMMUTABLE : "no-cache",
        ETag: etag,
        Vary: "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
      };
      if (encoding) headers["Content-Encoding"] = encoding;
      if (request.headers["if-none-match"] === etag) {
        response.writeHead(304, headers).end();
        return;
      }
      headers["Content-Length"] = size.size;
      response.writeHead(200, headers);
      response.end(request.method === "HEAD" ? undefined : await readFile(body));
    } catch {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  await new Promise((done) => server.listen(port, host, done));
  const { port: actual } = server.address();
  return { server, url: `http://${host}:${actual}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/serve.mjs [ROOT] [PORT] [--data DIR]
  const args = process.argv.slice(2);
  const at = args.indexOf("--data");
  const data = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const root = args[0] ?? "dist/site";
  const port = Number(args[1] ?? 8080);
  const { url } = await serve(root, port, "127.0.0.1", { data });
  console.log(`sibstat report (${root}) on ${url} (Ctrl-C stops)`);
}
