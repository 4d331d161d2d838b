// The sections of the page in the order of chapter 3, each drawn from the engine's
// response for the current view. Each section's cited sources become its footnotes;
// the sections with charts are redrawn at the new width when the window is resized.
import { rememberWidths } from "../charts.js";
import { beginNotes, endNotes, takeDeferred } from "../dom.js";
import { drawBootstrap } from "./bootstrap.js";
import { drawDuration } from "./duration.js";
import { drawMethods } from "./methods.js";
import { drawOutflow } from "./outflow.js";
import { drawParticipants } from "./participants.js";
import { drawPredictors } from "./predictors.js";
import { drawReconciliation } from "./reconciliation.js";
import { drawSanctions } from "./sanctions.js";
import { drawSummary } from "./summary.js";
import { drawWellbeing } from "./wellbeing.js";

/** A section's draw with its footnotes collected and listed at its end. */
function withNotes(id, draw) {
  return (context) => {
    beginNotes(id, context.lang);
    try {
      const parts = [draw(context)].flat().filter(Boolean);
      const notes = endNotes(context.lang);
      return notes ? [...parts, notes] : parts;
    } finally {
      endNotes(context.lang);
    }
  };
}

const latest = new Map();

/** Remembers the context a chart section was drawn with, for a redraw at a new width. */
function remembered(id, draw) {
  return (context) => {
    latest.set(id, context);
    return draw(context);
  };
}

/** The same for a chart section kept as it was drawn at build time (sections/draw.js). */
const keep = (id) => (context) => latest.set(id, context);

export const SECTIONS = [
  { id: "summary", draw: withNotes("summary", drawSummary) },
  { id: "participants", draw: withNotes("participants", drawParticipants) },
  { id: "outflow", draw: remembered("outflow", withNotes("outflow", drawOutflow)), keep: keep("outflow"), charts: true },
  { id: "duration", draw: remembered("duration", withNotes("duration", drawDuration)), keep: keep("duration"), charts: true },
  { id: "predictors", draw: withNotes("predictors", drawPredictors) },
  { id: "sanctions", draw: withNotes("sanctions", drawSanctions) },
  { id: "wellbeing", draw: withNotes("wellbeing", drawWellbeing) },
  { id: "reconciliation", draw: withNotes("reconciliation", drawReconciliation) },
  { id: "bootstrap", draw: drawBootstrap },
  // It prints the engine's version and links the workbench (sections/draw.js: readsPage).
  { id: "methods", draw: drawMethods, needsResponse: false, readsPage: true },
];

if (typeof window !== "undefined") {
  let width = window.innerWidth;
  let timer = null;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (Math.abs(window.innerWidth - width) < 24) return;
      width = window.innerWidth;
      rememberWidths();
      for (const section of SECTIONS.filter((s) => s.charts)) {
        const root = document.getElementById(section.id);
        const context = latest.get(section.id);
        if (!root || !context) continue;
        root.replaceChildren(root.querySelector("h2"), ...[section.draw(context)].flat().filter(Boolean));
        for (const fill of takeDeferred()) fill();
      }
    }, 150);
  });
}
