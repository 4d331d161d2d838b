// The report's engine, in a Web Worker (www/report-worker.js): the worker loads the
// WebAssembly module and prepares the report package once (validated, figure 3.2
// reconstructed, the printed numbers reconciled); each view state is then one message
// answered by one `view(state)` call, so a toggle never parses or fits again and the
// page's main thread never runs the engine. The package's files are data beside the
// page (www/data/, copied by build.sh; inlined in the offline file), never compiled
// into the engine.
import { setLimits } from "./limits.js";

let reportReady = null;
let worker = null;
let version = "";
let nextId = 0;
const waiting = new Map(); // message id -> {resolve, reject}

/** The engine's error as the page knows it: an Error with the stable `code`. */
function engineError({ code, message }) {
  return Object.assign(new Error(message), { code });
}

/** Posts a message to the worker; resolves to its answer {key, response} or rejects with the engine's error. */
function ask(message) {
  const id = ++nextId;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  }).finally(() => {
    // For the benchmark (scripts/bench-report.mjs): the round trip to the worker.
    performance.measure("sibstat:view", { start: started });
  });
}

// The view of the URL's query at load, answered by the worker as soon as the package is
// prepared: {key, answer: Promise<{response, error}>}.
let first = null;

/**
 * Starts the worker and prepares the report package (once); resolves to the package's
 * description, rejects with the engine's error when the package cannot be prepared.
 * `query` (the page's URL query) is answered at once: see firstView.
 */
export function loadReport(query = "") {
  reportReady ??= new Promise((resolve, reject) => {
    // Written literally so that the offline bundler and the site builder find the worker.
    worker = new Worker(new URL("../report-worker.js", import.meta.url), { type: "module" });
    worker.onerror = (event) => {
      event.preventDefault?.();
      reject(new Error(`report worker: ${event.message ?? "failed to start"}`));
    };
    worker.onmessage = ({ data }) => {
      if (data.type === "ready") {
        version = data.version;
        setLimits(data.limits);
        resolve(data.package);
      } else if (data.type === "failed") {
        reject(engineError(data.error));
      } else if (waiting.has(data.id)) {
        const { resolve: answer, reject: refuse } = waiting.get(data.id);
        waiting.delete(data.id);
        if (data.error) refuse(Object.assign(engineError(data.error), { key: data.key }));
        else answer({ key: data.key, response: data.response });
      }
    };
    first = ask({ query }).then(
      ({ key, response }) => ({ key, response, error: null }),
      (error) => ({ key: error.key ?? null, response: null, error }),
    );
  });
  return reportReady;
}

/**
 * The view of the query given to loadReport, as the worker read it: {key (the engine
 * request as JSON), response, error}; the page uses it when its own request is the same.
 */
export function firstView() {
  return first;
}

/** The prepared report's answer to a view state; rejects with the engine's Error (with .code) on refusal. */
export function view(request) {
  return ask({ request }).then(({ response }) => response);
}

/** The engine's version, known once the report is prepared. */
export function engineVersion() {
  return version;
}
