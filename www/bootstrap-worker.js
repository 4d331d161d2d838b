// A module Web Worker that runs a bootstrap in chunks, so the page stays responsive,
// shows progress and can cancel.
//
// Messages in:  {request, chunk?}  (request: {"analysis": "bootstrap", ...}; chunk:
//               replicates per step, default 200)
//               {type: "cancel"}   (stops the current run after its current chunk)
// Messages out: {type: "progress", done, total}   after every chunk
//               {type: "result", response}       the same response as analyse(request)
//               {type: "error", code, message}   a coded error (see src/error.rs)
//               {type: "cancelled", done, total}
import init, { BootstrapRun } from "./pkg/sibstat.js";

const ready = init();
let current = 0; // id of the run in progress; a cancel or a new request ends the old one
let cancelled = false;

// A macrotask between chunks lets a queued "cancel" message be handled.
const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));

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
    const chunk = message.chunk ?? 200;
    for (;;) {
      const { done, total } = run.run(chunk);
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
