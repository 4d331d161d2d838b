// Starts the report's engine worker (www/report-worker.js) as early as the page can: a
// module of its own, a few lines long, loaded `async` ahead of everything else in
// index.html, so the worker compiles the engine and prepares the package while the
// page's own modules and Plot are still loading and running. It asks the worker for
// the URL's view at once (message id 0) and keeps what the worker says until
// report-engine.js takes the worker over.
//
// report-engine.js imports this module too: async scripts run in the order they
// arrive, so the page's module may run first, and in the built site each is bundled
// apart. Whichever runs first starts the worker; the other finds it (a global is what
// two bundles share).
function start() {
  const worker = new Worker(new URL("../report-worker.js", import.meta.url), { type: "module" });
  const early = [];
  worker.onmessage = ({ data }) => early.push(data);
  worker.onerror = (event) => {
    event.preventDefault?.();
    early.push({ type: "failed", error: { code: "internal_error", message: `report worker: ${event.message ?? "failed to start"}` } });
  };
  const askedAt = performance.now();
  worker.postMessage({ id: 0, query: location.search });
  return { worker, early, askedAt };
}

globalThis.sibstatStartedWorker ??= start();

/** The started worker: {worker, early (its messages so far), askedAt (when the URL's view was asked)}. */
export function startedWorker() {
  return globalThis.sibstatStartedWorker;
}
