// Shared set-up of the browser tests: Debian's Chromium through playwright-core,
// the page served by scripts/serve.mjs, and a record of console errors and requests.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ARTIFACTS = join(ROOT, "test-artifacts");

// Without the background-networking flags Chromium tries to reach Google's hosts.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
  });
}

/**
 * Serves `root` (www/ unless given; dist/site/ is the built site) and opens a page that
 * records console errors and every request.
 */
export async function openPage(browser, { path = "", contextOptions = {}, root = join(ROOT, "www") } = {}) {
  const { server, url } = await serve(root);
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const consoleErrors = [];
  const requests = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(url + path);
  const close = async () => {
    await context.close();
    await new Promise((done) => server.close(done));
  };
  return { page, url, consoleErrors, requests, close };
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
