// The engine: the WebAssembly module loaded once, one `analyse` call per request (the
// workbench). The report prepares its package with report-engine.js.
import init, { analyse, version } from "../pkg/sibstat.js";

let ready = null;

/** Loads the engine (once). */
export function loadEngine() {
  ready ??= init();
  return ready;
}

/** The engine's answer to a request; throws the engine's Error (with .code) on refusal. */
export function run(request) {
  return analyse(request);
}

export function engineVersion() {
  return version();
}
