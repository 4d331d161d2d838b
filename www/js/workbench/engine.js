// The engine for the workbench: the WebAssembly module loaded once and its generic
// `analyse(request)` (the report's engine.js prepares the report package instead).
import init, { analyse, version } from "../../pkg/sibstat.js";

let ready = null;

/** Loads the engine (once). */
export function loadEngine() {
  ready ??= init();
  return ready;
}

/** The engine's response to a request; throws the engine's Error (with .code) on refusal. */
export function run(request) {
  return analyse(request);
}

export function engineVersion() {
  return version();
}
