// The sections of the page in the order of chapter 3, each drawn from the engine's
// response for the current view.
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

export const SECTIONS = [
  { id: "summary", draw: drawSummary },
  { id: "participants", draw: drawParticipants },
  { id: "outflow", draw: drawOutflow },
  { id: "duration", draw: drawDuration },
  { id: "predictors", draw: drawPredictors },
  { id: "sanctions", draw: drawSanctions },
  { id: "wellbeing", draw: drawWellbeing },
  { id: "reconciliation", draw: drawReconciliation },
  { id: "bootstrap", draw: drawBootstrap },
  { id: "methods", draw: drawMethods, needsResponse: false },
];
