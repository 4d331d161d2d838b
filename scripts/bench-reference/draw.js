// The reference the report's load time is measured against (scripts/bench-report.mjs):
// a page that loads the same vendored charting library and draws one line chart, and
// marks "sibstat:drawn" after the frame that shows it, as the report does.
// Synthetic points: only the drawing is measured.
const points = Array.from({ length: 120 }, (_, month) => ({ month, share: month / 119 }));
document.getElementById("chart").append(
  Plot.plot({
    width: 640,
    height: 320,
    y: { grid: true, label: "share" },
    marks: [Plot.lineY(points, { x: "month", y: "share" }), Plot.ruleY([0])],
  }),
);
requestAnimationFrame(() => setTimeout(() => performance.mark("sibstat:drawn"), 0));
