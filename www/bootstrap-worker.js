// A module Web Worker that runs a bootstrap in slices, so the page stays responsive,
// shows progress and can cancel.
//
// Messages in:  {request, chunk?}  (request: {"analysis": "bootstrap", ...}; chunk:
//               replicates per step, with progress after every step; without it the
//               worker sizes its steps itself and reports progress every SLICE_MS)
//               {type: "cancel"}   (stops the current run after its current step)
// Messages out: {type: "progress", done, total}   after every step or slice
//               {type: "result", response}       the same response as analyse(request)
//               {type: "error", code, message}   a coded error (see src/error.rs)
//               {type: "cancelled", done, total}
// The numbers do not depend on the steps: a run in chunks gives the same resamples as
// one call (tests/bootstrap.rs, tests/wasm.rs).
import init, { BootstrapRun } from "./pkg/sibstat.js";

const ready = init();
let current = 0; // id of the run in progress; a cancel or a new request ends the old one
let cancelled = false;

// Progress about 20 times a second; a step of about STEP_MS between clock reads.
const SLICE_MS = 50;
const STEP_MS = 4;
const FIRST_STEP = 32;

// A macrotask between slices lets a queued "cancel" message be handled. A message on a
// channel, not setTimeout: nested timeouts are clamped to 4 ms each, which made the
// old 200-replicate steps spend most of their time waiting.
// One waiting run per message posted, in order: a new request that arrives while the
// old run waits must not take the old run's wake-up, or the old run never ends.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()();
const yieldToMessages = () =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

self.onmessage = async (event) => {
  const message = event.data ?? {};
  if (message.type === "cancel") {
    cancelled = true;
    return;
  }
  const id = ++current;
  cancelled = false;
  let run = null;
  try {
    await ready;
    run = new BootstrapRun(message.request);
    const fixed = Number.isFinite(message.chunk) && message.chunk > 0;
    let step = fixed ? message.chunk : FIRST_STEP;
    for (;;) {
      const sliceStart = performance.now();
      let progress;
      for (;;) {
        const stepStart = performance.now();
        progress = run.run(step);
        if (fixed || progress.done >= progress.total) break;
        const now = performance.now();
        // Double the step while it is short (a clock read per step costs little).
        if (now - stepStart < STEP_MS) step *= 2;
        if (now - sliceStart >= SLICE_MS) break;
      }
      const { done, total } = progress;
      self.postMessage({ type: "progress", done, total });
      if (done >= total) break;
      await yieldToMessages();
      if (cancelled || id !== current) {
        self.postMessage({ type: "cancelled", done, total });
        return;
      }
    }
    self.postMessage({ type: "result", response: run.result() });
  } catch (error) {
    self.postMessage({ type: "error", code: error?.code ?? "internal_error", message: String(error?.message ?? error) });
  } finally {
    run?.free();
  }
};
