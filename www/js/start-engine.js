// Starts the report's engine worker (www/report-worker.js) as early as the page can: a
// module of its own, a few lines long, loaded `async` ahead of everything else in
// index.html, so the worker compiles the engine and prepares the package while the
// page's own modules and Plot are still loading and running. It asks the worker for
// the URL's view at once (message id 0) and keeps what the worker says until
// report-engine.js takes the worker over (takeStartedWorker).
//
// The only place the worker is created: the offline bundler and the site builder find
// it here, written literally, and inline it once.
const worker = new Worker(new URL("../report-worker.js", import.meta.url), { type: "module" });
const early = [];
worker.onmessage = ({ data }) => early.push(data);
worker.onerror = (event) => {
  event.preventDefault?.();
  early.push({ type: "failed", error: { code: "internal_error", message: `report worker: ${event.message ?? "failed to start"}` } });
};
const askedAt = performance.now();
worker.postMessage({ id: 0, query: location.search });

// For report-engine.js, bundled apart from this module (dist/site, the offline file):
// a global is what the two bundles share.
globalThis.sibstatStartedWorker = { worker, early, askedAt };
