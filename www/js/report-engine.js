// The report's engine: the report package prepared once by the WebAssembly module
// (`new Report(data, reconstruction)`: validated, figure 3.2 reconstructed, the printed
// numbers reconciled); each view state is then one `view(state)` call, so a toggle
// never parses or fits again. The package's files are data beside the page (www/data/,
// copied by build.sh; inlined in the offline file), never compiled into the engine.
import { Report } from "../pkg/sibstat.js";
import { loadEngine } from "./engine.js";

let reportReady = null;
let report = null;

async function text(response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${response.statusText}`);
  return response.text();
}

/** Loads the engine and prepares the report package (once); resolves to the package's description. */
export function loadReport() {
  reportReady ??= Promise.all([
    loadEngine(),
    fetch(new URL("../data/joining_forces.json", import.meta.url)).then(text),
    fetch(new URL("../data/reconstruction.json", import.meta.url)).then(text),
  ]).then(([, data, reconstruction]) => {
    report = new Report(data, reconstruction);
    return report.package();
  });
  return reportReady;
}

/** The prepared report's answer to a view state; throws the engine's Error (with .code) on refusal. */
export function view(state) {
  return report.view(state);
}

