// The engine: the WebAssembly module loaded once, and the report package prepared once
// by it (`new Report(data, reconstruction)`: validated, figure 3.2 reconstructed, the
// printed numbers reconciled); each view state is then one `report.view(state)` call.
// The package's files are data beside the page (www/data/, copied by build.sh; inlined
// in the offline file), never compiled into the engine.
import init, { Report, version } from "../pkg/sibstat.js";

let ready = null;
let report = null;

async function text(response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${response.statusText}`);
  return response.text();
}

/** Loads the engine and prepares the report package (once); resolves to the package's description. */
export function loadEngine() {
  ready ??= Promise.all([
    init(),
    fetch(new URL("../data/joining_forces.json", import.meta.url)).then(text),
    fetch(new URL("../data/reconstruction.json", import.meta.url)).then(text),
  ]).then(([, data, reconstruction]) => {
    report = new Report(data, reconstruction);
    return report.package();
  });
  return ready;
}

/** The prepared report's answer to a view state; throws the engine's Error (with .code) on refusal. */
export function run(request) {
  return report.view(request);
}

export function engineVersion() {
  return version();
}
