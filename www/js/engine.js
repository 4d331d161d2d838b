// The engine: the WebAssembly module loaded once, one `analyse` call per request (the
// workbench). The report prepares its package with report-engine.js.
import init, { analyse, limits, version } from "../pkg/sibstat.js";
import { setLimits } from "./limits.js";

let ready = null;

/** Loads the engine (once), and takes its limits for the page's inputs. */
export function loadEngine() {
  ready ??= init().then(() => setLimits(limits()));
  return ready;
}

/** The engine's answer to a request; throws the engine's Error (with .code) on refusal. */
export function run(request) {
  return analyse(request);
}

export function engineVersion() {
  return version();
}
