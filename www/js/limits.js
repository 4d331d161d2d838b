// The limits the engine enforces (its `limits()` export: replicates, seeds, ...), set
// once when the engine has loaded. The page's inputs and its URL validation use them,
// so they accept exactly what the engine accepts and no copy of a number can drift.

let current = null;

/** Sets the engine's limits (engine.js, once the module is loaded). */
export function setLimits(limits) {
  current = limits;
}

/** The engine's limits; throws when read before the engine has loaded. */
export function engineLimits() {
  if (!current) throw new Error("the engine's limits are read before the engine has loaded");
  return current;
}
