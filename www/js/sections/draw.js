// Draws the sections for a view, redrawing only those whose inputs changed, and gives
// the main thread back between sections so that no task grows long (a slow phone stays
// responsive, and a newer state can stop an older drawing): often while a section's code
// runs cold, seldom once it has run (a toggle's changed sections in one task: SLICE_MS).
//
// What a section read is recorded as it draws: each section sees the state and the
// response through proxies that note the top-level names read (`response.outflow`,
// `state.cohort`). A section is redrawn when one of those values differs (compared as
// JSON) from the one it was drawn with, or when the language or the response's
// presence changed; otherwise its drawing is kept as it is. The proxies read through
// to the newest state and response, so what a kept section does later (a download of
// its CSV) uses the newest values too. A section's charts' widths are among the values
// too, and for a section that says so (readsPage) the engine's version and where the
// workbench is (the offline file's sibling).
//
// Sections drawn at build time (scripts/prerender.mjs: the default view drawn by this
// code in headless Chromium, written into the served HTML with each section's names
// read and a digest of the values) are taken over the same way: when the engine's
// first answer arrives, a prerendered section whose values have that digest is kept as
// it is (the reader's focus, scroll position and open disclosures untouched); any other
// is drawn. A kept section's buttons are bound when first clicked: the section is drawn
// once off the page and its buttons take the place of the prerendered ones.
import { askedWidths, forgetAskedWidths, rememberWidths, widthFor } from "../charts.js";
import { fillOf, fillWhenOpen, h, takeDeferred, watchScrollRegions } from "../dom.js";
import { t } from "../i18n.js";
import { SECTIONS } from "./index.js";
import { workbenchHref } from "./methods.js";

// section id -> {id, holder, context, reads: {state: Set, response: Set}, widths: [max],
// drawnWith: Map|null, hadResponse, unbound (kept from the prerender, buttons not bound)}
const drawn = new Map();

// A slice of drawing runs at most this long before the main thread is given back, so
// that at 4x CPU slowdown no task comes near the 200 ms of a long task. A section drawn
// for the first time in this page runs its code (and Plot's) cold: its steps are long
// (a chart's first Plot call about 50 ms at load), so slices are short then. Once every
// section in the slice has been drawn before (a toggle, a language switch), its steps
// are short (the longest, figure 3.2's chart, about 8 ms) and a toggle's changed
// sections are drawn in one task: given back in between, a frame would be painted
// half-drawn and the reader would wait for a second one (README, "How the page stays fast").
const SLICE_MS = 30;
const WARM_SLICE_MS = 120;

// The sections whose drawing code has run in this page.
const warm = new Set();

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
  if (entry.readsPage) {
    values.set("version", entry.holder.version);
    values.set("workbench", workbenchHref());
  }
  for (const max of entry.widths) values.set(`width:${max}`, String(widthFor(entry.id, max)));
  return values;
}

/** A short digest of a section's values (53-bit, cyrb53): what a prerendered section was drawn with. */
function digest(values) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const [key, value] of values) {
    const text = `${key}\u0000${value}\u0001`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * For scripts/prerender.mjs: what each drawn section read and the digest of the values,
 * written into the prerendered page and handed back to takeOverPrerendered.
 */
export function prerenderMemo() {
  const memo = {};
  for (const [id, entry] of drawn) {
    if (!entry.drawnWith) continue;
    memo[id] = { reads: { state: [...entry.reads.state], response: [...entry.reads.response] }, widths: entry.widths, hadResponse: entry.hadResponse, digest: digest(entry.drawnWith) };
  }
  return memo;
}

// The prerender's memo (section id -> its entry of prerenderMemo), and a click on a
// prerendered section's button made before the engine's first answer arrived.
let prerendered = {};
let queuedClick = null;

/**
 * Takes over the sections drawn at build time: `memo` is prerenderMemo's. Until each is
 * checked against the engine's answer (drawSections), a click on one of its buttons is
 * kept and carried out then.
 */
export function takeOverPrerendered(memo) {
  prerendered = memo ?? {};
  document.addEventListener("click", clickBeforeBound, true);
  // A click on a summary, and "toggle" (which does not bubble: captured, it passes the document).
  document.addEventListener("click", openedBeforeBound, true);
  document.addEventListener("toggle", openedBeforeBound, true);
}

/**
 * A disclosure of a kept prerendered section opened for the first time: its content is
 * built when opened (dom.js, disclosure), so the section is bound, which gives the
 * disclosure its builder before the event reaches it. One opened before the section was
 * checked is built when it is (keptFromPrerender).
 */
function openedBeforeBound(event) {
  const target = event.target instanceof Element ? event.target : null;
  const details = event.type === "click" ? target?.closest("summary")?.parentElement : target;
  if (!(details instanceof HTMLDetailsElement) || !("fill" in details.dataset) || fillOf(details)) return;
  const root = details.closest(".report-section");
  const entry = root && drawn.get(root.id);
  if (entry?.unbound && !root.hasAttribute("data-prerendered")) bind(root, entry);
}

/** A click on a button of a prerendered section whose handlers are not bound yet. */
function clickBeforeBound(event) {
  const button = event.target instanceof Element ? event.target.closest("button") : null;
  const root = button?.closest(".report-section");
  if (!root) return;
  const entry = drawn.get(root.id);
  const unchecked = root.hasAttribute("data-prerendered");
  if (!unchecked && !entry?.unbound) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const index = [...root.querySelectorAll("button")].indexOf(button);
  if (unchecked) {
    // Carried out when the engine's answer has been drawn; the page's status says it loads.
    queuedClick = { id: root.id, index };
    button.setAttribute("aria-busy", "true");
    return;
  }
  bind(root, entry)[index]?.click();
}

/** A section's context for a draw (the proxies of its entry, the newest view). */
function contextOf(entry) {
  const { holder } = entry;
  return { ...entry.context, lang: holder.lang, version: holder.version, update: holder.update, response: holder.hasResponse ? entry.context.response : null };
}

/**
 * Binds the buttons of a kept prerendered section: draws it off the page and puts its
 * buttons in place of the prerendered ones (the same markup, focus moved along), and its
 * disclosures' builders on the prerendered disclosures (an open one is built now); when
 * the buttons differ, the section drawn now replaces the prerendered one. Returns the
 * section's buttons.
 */
function bind(root, entry) {
  entry.unbound = false;
  const section = SECTIONS.find((s) => s.id === entry.id);
  const container = document.createElement("div");
  container.append(...[section.draw(contextOf(entry))].flat().filter(Boolean));
  for (const fill of takeDeferred()) fill();
  const fresh = [...container.querySelectorAll("button")];
  const live = [...root.querySelectorAll("button")];
  if (fresh.length === live.length && fresh.every((button, i) => button.outerHTML === live[i].outerHTML.replace(' aria-busy="true"', ""))) {
    const freshDisclosures = [...container.querySelectorAll("details[data-fill]")];
    [...root.querySelectorAll("details[data-fill]")].forEach((details, i) => {
      const build = freshDisclosures[i] && fillOf(freshDisclosures[i]);
      if (build && details.className === freshDisclosures[i].className) fillWhenOpen(details, build);
    });
    fresh.forEach((button, i) => {
      const focused = document.activeElement === live[i];
      live[i].replaceWith(button);
      if (focused) button.focus();
    });
    return fresh;
  }
  root.replaceChildren(root.querySelector("h2"), ...container.childNodes);
  return [...root.querySelectorAll("button")];
}

/** Carries out a click kept while `root` was not yet checked. */
function replayClick(root, entry) {
  if (queuedClick?.id !== root.id) return;
  const { index } = queuedClick;
  queuedClick = null;
  const buttons = entry.unbound ? bind(root, entry) : [...root.querySelectorAll("button")];
  buttons[index]?.click();
}

/**
 * A prerendered section for this view: kept when the values it would read now have the
 * digest it was drawn with (its reads as the prerender recorded them). True when kept.
 */
function keptFromPrerender(section, root, entry, hasResponse) {
  const memo = prerendered[section.id];
  root.removeAttribute("data-prerendered");
  // Laid out from now on as any section (style.css): the height drawn at build time goes.
  root.style.removeProperty("contain-intrinsic-size");
  if (!root.getAttribute("style")) root.removeAttribute("style");
  if (!memo || memo.hadResponse !== hasResponse) return false;
  for (const part of ["state", "response"]) for (const name of memo.reads[part]) entry.reads[part].add(name);
  entry.widths = memo.widths;
  const values = valuesRead(entry);
  if (digest(values) !== memo.digest) {
    entry.reads.state.clear();
    entry.reads.response.clear();
    entry.widths = [];
    return false;
  }
  entry.drawnWith = values;
  entry.hadResponse = hasResponse;
  entry.unbound = root.querySelector("button, details[data-fill]") !== null;
  watchScrollRegions(root);
  section.keep?.(contextOf(entry));
  // A disclosure the reader opened before the check is built now, what the reader sees kept in place.
  if (root.querySelector("details[data-fill][open]")) keepingView(() => bind(root, entry));
  return true;
}

/**
 * Runs `change` (a table built above what the reader looks at) and scrolls by what it
 * moved the reader's focus, or else the first section in view: scroll anchoring alone
 * does not hold it while the sections around it are being checked.
 */
function keepingView(change) {
  const focused = document.activeElement?.closest(".report-section") ? document.activeElement : null;
  const anchor = focused ?? [...document.querySelectorAll(".report-section")].find((section) => section.getBoundingClientRect().bottom > 0);
  const before = anchor?.getBoundingClientRect().top;
  change();
  const moved = anchor?.isConnected ? anchor.getBoundingClientRect().top - before : 0;
  if (moved) window.scrollBy(0, moved);
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
      entry = { id: section.id, readsPage: Boolean(section.readsPage), holder, reads, widths: [], drawnWith: null, hadResponse: null, unbound: false };
      entry.context = { ...context, state: reading(() => holder.state, reads.state), response: response && reading(() => holder.response, reads.response) };
      drawn.set(section.id, entry);
    }
    const hasResponse = Boolean(response);
    // The proxies now read the newest view, kept sections included.
    const { holder } = entry;
    const hadResponse = entry.hadResponse;
    Object.assign(holder, { state, lang, version: context.version, update: context.update, hasResponse, ...(response ? { response } : {}) });
    if (hasResponse && !entry.context.response) entry.context.response = reading(() => holder.response, entry.reads.response);
    if (root.hasAttribute("data-prerendered") && keptFromPrerender(section, root, entry, hasResponse)) {
      replayClick(root, entry);
      if (!(await nextSlice())) return false;
      continue;
    }
    if (hadResponse === hasResponse && unchanged(entry)) continue;
    // A section's first drawing is cold and long: it starts a slice of its own when this one has run a while.
    if (!warm.has(section.id) && !(await nextSlice(SLICE_MS))) return false;
    // Drawn now: its buttons are bound.
    entry.unbound = false;
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
    forgetAskedWidths(section.id);
    const sectionContext = contextOf(entry);
    entry.drawnWith = null;
    let started = performance.now();
    const failed = (error) => {
      console.error(`section ${section.id}:`, error);
      takeDeferred();
      root.replaceChildren(heading, h("p", { class: "missing" }, t(lang, "missing.engine")));
    };
    const budget = warm.has(section.id) ? WARM_SLICE_MS : SLICE_MS;
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
      if (!(await nextSlice(budget))) return false;
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
    entry.widths = askedWidths(section.id);
    entry.drawnWith = valuesRead(entry);
    warm.add(section.id);
    replayClick(root, entry);
    if (!(await nextSlice(budget))) return false;
  }
  return !superseded();

  /** Gives the main thread back when this slice has run `budget` ms; false when a newer view began. */
  async function nextSlice(budget = SLICE_MS) {
    if (performance.now() - slice <= budget) return true;
    await nextTask();
    if (superseded()) return false;
    slice = performance.now();
    return true;
  }
}
