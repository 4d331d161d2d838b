// Number formatting in the reader's language: Dutch uses the decimal comma (and a
// point for thousands), English the decimal point. Formatting only: every number comes
// from the engine or the published data, none is computed here.

const LOCALES = { nl: "nl-NL", en: "en-GB" };
const cache = new Map();

function formatter(lang, options) {
  const key = `${lang}|${JSON.stringify(options)}`;
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(LOCALES[lang] ?? "nl-NL", options));
  return cache.get(key);
}

export const DASH = "—";
const missing = (x) => x === null || x === undefined || Number.isNaN(x);

/** A plain number with a fixed number of decimals. */
export function number(x, lang, digits = 0) {
  if (missing(x)) return DASH;
  return formatter(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** A count (whole number, thousands grouped). */
export function count(x, lang) {
  if (missing(x)) return DASH;
  return formatter(lang, { maximumFractionDigits: 0 }).format(x);
}

/** A fraction as a percentage ("40,7%" in Dutch, "40.7%" in English). */
export function percent(fraction, lang, digits = 1) {
  if (missing(fraction)) return DASH;
  return `${number(fraction * 100, lang, digits)}%`;
}

/** A printed percentage (0–100, as published) with its sign kept: "-0%" stays "-0%". */
export function printedPercent(value, lang) {
  if (missing(value)) return DASH;
  return `${number(value, lang, Number.isInteger(value) ? 0 : 1)}%`;
}

/** Percentage points from a fraction difference ("+3,2 pp" / "−4,0 pt"). */
export function points(fraction, lang, digits = 1) {
  if (missing(fraction)) return DASH;
  const value = fraction * 100;
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  return `${sign}${number(Math.abs(value), lang, digits)} ${lang === "en" ? "pp" : "%-punt"}`;
}

/**
 * An interval with one bound the engine could not give (a limit not reached): "vanaf
 * 8,5" / "from 8.5", "tot 13,4" / "up to 13.4", never "8,5–—".
 */
function halfOpen(lower, upper, lang, f) {
  if (missing(upper)) return `${lang === "en" ? "from" : "vanaf"} ${f(lower)}`;
  return `${lang === "en" ? "up to" : "tot"} ${f(upper)}`;
}

/** An interval of fractions as percentages: "35,1–47,0%"; with a negative bound "[−36,4%; −18,5%]". */
export function percentInterval(lower, upper, lang, digits = 1) {
  if (missing(lower) && missing(upper)) return DASH;
  const f = (x) => number(x * 100, lang, digits);
  if (missing(lower) || missing(upper)) return `${halfOpen(lower, upper, lang, f)}%`;
  if (lower < 0 || upper < 0) return `[${f(lower)}%${lang === "nl" ? ";" : ","} ${f(upper)}%]`;
  return `${f(lower)}–${f(upper)}%`;
}

/** An interval of plain numbers: "10,2–13,4"; with a negative bound "[−36,4; −18,5]". */
export function interval(lower, upper, lang, digits = 1) {
  if (missing(lower) && missing(upper)) return DASH;
  const f = (x) => number(x, lang, digits);
  if (missing(lower) || missing(upper)) return halfOpen(lower, upper, lang, f);
  if (lower < 0 || upper < 0) return `[${f(lower)}${lang === "nl" ? ";" : ","} ${f(upper)}]`;
  return `${f(lower)}–${f(upper)}`;
}

/** A p-value: three decimals, "< 0,001" below. */
export function pValue(p, lang) {
  if (missing(p)) return DASH;
  if (p < 0.001) return `< ${number(0.001, lang, 3)}`;
  return number(p, lang, 3);
}

/** A number in a CSV cell: full precision, the decimal comma in Dutch. */
export function csvNumber(x, lang) {
  if (missing(x)) return "";
  const text = String(x);
  return lang === "nl" ? text.replace(".", ",") : text;
}

/** Axis tick format for Plot: fractions as percentages without decimals. */
export function percentTick(lang) {
  return (x) => `${number(x * 100, lang, 0)}%`;
}

/** Axis tick format for plain numbers. */
export function numberTick(lang) {
  return (x) => number(x, lang, Number.isInteger(x) ? 0 : 1);
}
