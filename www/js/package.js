// The report package as the engine describes it (Report.package(): cohorts, causes,
// definitions, labels in Dutch and English). The page's controls, URL validation and
// labels come from here, never from constants, so another package (a third cohort, a
// new cause) needs no change of the page. Pure functions plus one current package.

let current = null;

/** Sets the package the page shows (once, after the engine has prepared it). */
export function setPackage(pkg) {
  current = pkg;
}

/** The package the page shows. */
export function currentPackage() {
  return current;
}

function text(labels, lang) {
  return labels ? (lang === "en" ? labels.en : labels.nl) : undefined;
}

/**
 * What a view state may hold under a package: the known causes in table order, the
 * definition ids (plus custom), the cohort keys (all first), and the defaults (the
 * package's own definition and its success causes).
 */
export function choicesOf(pkg) {
  const definitions = pkg.definitions.map((d) => d.id);
  const own = pkg.definitions.find((d) => d.id === pkg.default_definition) ?? pkg.definitions[0];
  return {
    causes: pkg.causes.filter((c) => !c.unknown).map((c) => c.id),
    definitions: [...definitions, "custom"],
    cohorts: [pkg.all.key, ...pkg.cohorts.map((c) => c.key)],
    defaultDefinition: own.id,
    defaultCauses: [...own.success],
  };
}

/** The known causes a state counts as success (what the checkboxes show). */
export function successCausesOf(pkg, state) {
  if (state.def === "custom") return state.causes;
  return pkg.definitions.find((d) => d.id === state.def)?.success ?? [];
}

function cohorts(pkg) {
  return [...pkg.cohorts, pkg.all];
}

/** Column id of the tables for a cohort key of the state (`1` → `cohort1`). */
export function columnOfKey(key, pkg = current) {
  return cohorts(pkg).find((c) => c.key === key)?.id ?? key;
}

/** Cohort key of the state for a column id (`cohort1` → `1`); other columns unchanged. */
export function keyOfColumn(column, pkg = current) {
  return cohorts(pkg).find((c) => c.id === column)?.key ?? column;
}

/** The label of a cohort key or any column id (`min2y`); `long` adds its period. */
export function columnLabel(lang, keyOrColumn, { long = false, pkg = current } = {}) {
  const cohort = cohorts(pkg).find((c) => c.key === keyOrColumn || c.id === keyOrColumn);
  if (cohort) return text(long ? cohort.long_label : cohort.label, lang);
  return text(pkg.columns?.find((c) => c.id === keyOrColumn)?.label, lang) ?? keyOrColumn;
}

/** The label of a cause id. */
export function causeLabelOf(lang, id, pkg = current) {
  return text(pkg.causes.find((c) => c.id === id)?.label, lang) ?? id;
}

/** The name of a named definition (undefined for custom). */
export function definitionLabelOf(lang, id, pkg = current) {
  return text(pkg.definitions.find((d) => d.id === id)?.label, lang);
}

/** The one-line description of a named definition (undefined for custom). */
export function definitionHintOf(lang, id, pkg = current) {
  return text(pkg.definitions.find((d) => d.id === id)?.hint, lang);
}
