// A module Web Worker that holds the report's engine, so the page's main thread never
// compiles the module, prepares the report package or answers a view state (the
// preparation alone is hundreds of milliseconds on a slow phone).
//
// At start it loads the engine and the package's files beside the page (www/data/;
// inlined in the offline file) and prepares the report once (`new Report(data,
// reconstruction)`: validated, figure 3.2 reconstructed, the printed numbers reconciled).
// Messages out: {type: "ready", package, fixed, version, limits}   fixed: the parts of
//                               every view's response that are the same for every view
//                               state, by their place ("duration.reconstruction"), sent once
//               {type: "failed", error: {code, message}}   the package could not be prepared
// Messages in:  {id, query}     the page's URL query at load: the worker reads the view
//                               state from it with the page's own state.js and answers
//                               at once, without waiting for the page to ask
//               {id, request}   a view state (the engine request of state.js)
// Messages out: {id, key, text}  the prepared report's view without the fixed parts, as
//                                JSON text (key: the request as JSON, for a query)
//               {id, key, error: {code, message}}   a coded refusal
import init, { Report, limits, version } from "./pkg/sibstat.js";
import { setLimits } from "./js/limits.js";
import { setPackage } from "./js/package.js";
import { engineRequest, parseQuery } from "./js/state.js";

async function text(response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${response.statusText}`);
  return response.text();
}

// An engine error is a JS Error with a `code`; a structured clone would drop the code.
const plain = (error) => ({ code: error?.code ?? "internal_error", message: String(error?.message ?? error) });

// When each stage ended, in ms since the page's time origin (the worker's own clock
// starts later): for the benchmark (scripts/bench-report.mjs), sent with "ready".
const stages = {};
const stage = (name) => (stages[name] = performance.timeOrigin + performance.now());
stage("started");

const prepared = Promise.all([
  init().then(() => stage("compiled")),
  fetch(new URL("./data/joining_forces.json", import.meta.url)).then(text),
  fetch(new URL("./data/reconstruction.json", import.meta.url)).then(text),
]).then(([, data, reconstruction]) => {
  stage("fetched");
  const report = new Report(data, reconstruction);
  stage("prepared");
  // The parts every view shares, the package among them, converted once: the package
  // and the limits validate a query here as they do in the page, and the "ready"
  // message carries the same objects (one structured clone of the package).
  const fixed = report.fixed_parts();
  const engineLimits = limits();
  setPackage(fixed.package);
  setLimits(engineLimits);
  return { report, fixed, engineLimits };
});

prepared.then(
  ({ fixed, engineLimits }) => self.postMessage({ type: "ready", package: fixed.package, fixed, version: version(), limits: engineLimits, stages }),
  (error) => self.postMessage({ type: "failed", error: plain(error) }),
);

self.onmessage = async ({ data }) => {
  const { id, query } = data ?? {};
  let report;
  try {
    ({ report } = await prepared);
  } catch {
    return; // said once by the "failed" message
  }
  let key = null;
  try {
    const request = query === undefined ? data.request : engineRequest(parseQuery(query).state);
    key = JSON.stringify(request);
    // Text, not an object: the worker builds no object it would only post on (a
    // structured clone of the text costs what one of the object does), and the page
    // parses it once.
    const text = report.view_only_json(request);
    if (query !== undefined) stage("first_view");
    self.postMessage({ id, key, text, stages });
  } catch (error) {
    self.postMessage({ id, key, error: plain(error) });
  }
};
