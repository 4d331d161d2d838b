// Serves www/ on 127.0.0.1 with the right MIME types (application/wasm for the
// engine) and the page's Content-Security-Policy. Used by `./build.sh serve` and by
// the browser tests; only the standard library, so it runs wherever node does.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

// The served page's policy. Nothing from elsewhere: scripts, styles, fonts, images and
// workers only from the page's own files; the one connection is the engine's
// sibstat_bg.wasm, fetched from the same origin ('self'). Plot writes style attributes
// and a <style> into its SVGs, hence 'unsafe-inline' for styles only (no script is
// inline); 'wasm-unsafe-eval' lets the engine compile. img-src data: and blob: are
// for chart images made in the page. The offline file's policy is in bundle.mjs.
// META_CONTENT_SECURITY_POLICY is the policy www/index.html's <meta> carries
// (frame-ancestors works only as a header); a test keeps the two equal.
export const META_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
export const CONTENT_SECURITY_POLICY = `${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * Starts a static server for `root`; resolves to { server, url }. Port 0 picks a free
 * one. `data`: a report package directory served as the page's `data/` instead of
 * `root/data` (README, "Another report package").
 */
export async function serve(root, port = 0, host = "127.0.0.1", { data } = {}) {
  const base = resolve(root);
  const dataBase = data ? resolve(data) : null;
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    let file = normalize(join(base, path));
    if (dataBase && file.startsWith(join(base, "data", "/"))) file = normalize(join(dataBase, file.slice(join(base, "data", "/").length)));
    if (!file.startsWith(base) && !(dataBase && file.startsWith(dataBase))) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, {
        "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
      });
      response.end(body);
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
  const root = args[0] ?? "www";
  const port = Number(args[1] ?? 8080);
  const { url } = await serve(root, port, "127.0.0.1", { data });
  console.log(`sibstat report on ${url} (Ctrl-C stops)`);
}
