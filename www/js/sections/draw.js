// Draws the sections for a view, redrawing only those whose inputs changed, and gives
// the main thread back between sections so that no task grows long (a slow phone stays
// responsive, and a newer state can stop an older drawing).
//
// What a section read is recorded as it draws: each section sees the state and the
// response through proxies that note the top-level names read (`response.outflow`,
// `state.cohort`). A section is redrawn when one of those values differs (compared as
// JSON) from the one it was drawn with, or when the language or the response's
// presence changed; otherwise its drawing is kept as it is. The proxies read through
// to the newest state and response, so what a kept section does later (a download of
// its CSV) uses the newest values too.
import { rememberWidths } from "../charts.js";
import { h, takeDeferred } from "../dom.js";
import { t } from "../i18n.js";
import { SECTIONS } from "./index.js";

// section id -> {holder, context, reads: {state: Set, response: Set}, drawnWith: Map|null}
const drawn = new Map();

// A slice of drawing runs at most this long before the main thread is given back (at
// 4x CPU slowdown a slice stays well under the 200 ms of a long task).
const SLICE_MS = 30;

/**
 * Reads the charts' widths for the view about to be drawn: once, before anything of the
 * page changes, while its layout is still clean (the page keeps its scrollbar's gutter,
 * style.css, so a section's width does not depend on how long the page is).
 */
export function measureCharts() {
  rememberWidths(SECTIONS.filter((s) => s.charts).map((s) => s.id));
}

/** Gives the main thread back for one task (scheduler.yield keeps our place in line). */
export function nextTask() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

// The name recorded when a section enumerates the whole state or response.
const ALL = "*";

/**
 * A proxy of `source()` that records the names read into `reads` ("outflow"), one level
 * deeper for plain objects ("metrics.t3_2.cause.x": the first dot separates them), and
 * the whole object for an enumeration.
 */
function reading(source, reads, prefix = "", nested = new Map()) {
  const record = (key) => typeof key === "string" && reads.add(prefix + key);
  return new Proxy(source(), {
    get(_, key) {
      const value = source()?.[key];
      if (!prefix && typeof key === "string" && value && typeof value === "object" && !Array.isArray(value)) {
        if (!nested.has(key)) nested.set(key, reading(() => source()?.[key], reads, `${key}.`));
        return nested.get(key);
      }
      record(key);
      return value;
    },
    has(_, key) {
      record(key);
      return key in (source() ?? {});
    },
    ownKeys() {
      reads.add(prefix ? prefix.slice(0, -1) : ALL);
      return Reflect.ownKeys(source() ?? {});
    },
    getOwnPropertyDescriptor(_, key) {
      record(key);
      const descriptor = Reflect.getOwnPropertyDescriptor(source() ?? {}, key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** The value at a recorded name ("outflow", "metrics.t3_2.cause.x", ALL) of `object`. */
function valueAt(object, name) {
  if (name === ALL) return object;
  const dot = name.indexOf(".");
  if (dot < 0) return object?.[name];
  return object?.[name.slice(0, dot)]?.[name.slice(dot + 1)];
}

// The JSON of each object compared, by identity: the parts every view shares are the
// same objects in every response (report-engine.js), written out once. Nothing of a
// response is changed after it arrives.
const jsonOfObject = new WeakMap();

function json(value) {
  if (!value || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  let text = jsonOfObject.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    jsonOfObject.set(value, text);
  }
  return text;
}

/** The values a section read, as JSON, for comparison with the next view. */
function valuesRead(entry) {
  const values = new Map();
  for (const part of ["state", "response"]) {
    for (const name of entry.reads[part]) values.set(`${part}:${name}`, json(valueAt(entry.holder[part], name)));
  }
  values.set("lang", entry.holder.lang);
  return values;
}

function unchanged(entry) {
  if (!entry.drawnWith) return false;
  const now = valuesRead(entry);
  if (now.size !== entry.drawnWith.size) return false;
  for (const [key, value] of now) if (entry.drawnWith.get(key) !== value) return false;
  return true;
}

/**
 * Draws every section for `context` ({lang, state, response, version, update}).
 * `superseded()` says a newer view has begun: the drawing stops at its next step.
 * Resolves to true when every section is drawn, false when stopped.
 */
export async function drawSections(context, superseded) {
  const { lang, state, response } = context;
  let slice = performance.now();
  for (const section of SECTIONS) {
    const root = document.getElementById(section.id);
    if (!root) continue;
    let entry = drawn.get(section.id);
    if (!entry) {
      const holder = { state, response, lang };
      const reads = { state: new Set(), response: new Set() };
      entry = { holder, reads, drawnWith: null, hadResponse: null };
      entry.context = { ...context, state: reading(() => holder.state, reads.state), response: response && reading(() => holder.response, reads.response) };
      drawn.set(section.id, entry);
    }
    const hasResponse = Boolean(response);
    // The proxies now read the newest view, kept sections included.
    const { holder } = entry;
    const hadResponse = entry.hadResponse;
    Object.assign(holder, { state, lang, ...(response ? { response } : {}) });
    if (hasResponse && !entry.context.response) entry.context.response = reading(() => holder.response, entry.reads.response);
    if (hadResponse === hasResponse && unchanged(entry)) continue;
    const heading = h("h2", { id: `${section.id}-title` }, t(lang, `section.${section.id}`));
    root.setAttribute("aria-labelledby", `${section.id}-title`);
    entry.hadResponse = hasResponse;
    if (!hasResponse && section.needsResponse !== false) {
      root.replaceChildren(heading);
      entry.drawnWith = null;
      continue;
    }
    entry.reads.state.clear();
    entry.reads.response.clear();
    const sectionContext = { ...entry.context, lang, version: context.version, update: context.update, response: hasResponse ? entry.context.response : null };
    entry.drawnWith = null;
    let started = performance.now();
    const failed = (error) => {
      console.error(`section ${section.id}:`, error);
      takeDeferred();
      root.replaceChildren(heading, h("p", { class: "missing" }, t(lang, "missing.engine")));
    };
    try {
      root.replaceChildren(heading, ...[section.draw(sectionContext)].flat().filter(Boolean));
    } catch (error) {
      failed(error);
      continue;
    }
    // What the section left for after it is in the page (its chart), each a step.
    let ok = true;
    for (const fill of takeDeferred()) {
      // For the benchmark (scripts/bench-report.mjs): which sections a view redrew, and how long each step took.
      performance.measure(`sibstat:section:${section.id}`, { start: started });
      if (!(await nextSlice())) return false;
      started = performance.now();
      try {
        fill();
      } catch (error) {
        failed(error);
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    performance.measure(`sibstat:section:${section.id}`, { start: started });
    // Kept as drawn until one of the values it read changes.
    entry.drawnWith = valuesRead(entry);
    if (!(await nextSlice())) return false;
  }
  return !superseded();

  /** Gives the main thread back when this slice has run long enough; false when a newer view began. */
  async function nextSlice() {
    if (performance.now() - slice <= SLICE_MS) return true;
    await nextTask();
    if (superseded()) return false;
    slice = performance.now();
    return true;
  }
}
