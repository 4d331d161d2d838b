// The Kaplan–Meier demo page (km.html): loads the engine, asks it for Kaplan–Meier curves of an aggregate
// example, and draws what it returns. Formatting and drawing only.
import init, { analyse, version } from "./pkg/sibstat.js";
import { medianRows, survivalSteps } from "./js/adapters.js";

// R survival's `aml` as aggregate rows: identical (time, status, group) rows counted.
export const EXAMPLE_REQUEST = {
  analysis: "kaplan_meier",
  conf_type: "log-log",
  data: {
    time: [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    status: [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    count: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1],
    group: [
      "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained",
      "Maintained", "Maintained", "Maintained", "Maintained", "Maintained",
      "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained",
      "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained",
    ],
  },
};

const format = (x) => (x === null || x === undefined ? "—" : String(x));

function drawChart(response) {
  const steps = survivalSteps(response);
  const chart = Plot.plot({
    width: 760,
    height: 380,
    marginLeft: 50,
    x: { label: "Weeks since remission", grid: true },
    y: { label: "Still in remission", domain: [0, 1], grid: true, percent: false },
    color: { legend: true, scheme: "tableau10" },
    marks: [
      Plot.areaY(steps, {
        x: "time", y1: "lower", y2: "upper", fill: "group", fillOpacity: 0.18,
        curve: "step-after", defined: (d) => d.lower !== null && d.upper !== null, ariaHidden: true,
      }),
      Plot.lineY(steps, { x: "time", y: "survival", stroke: "group", curve: "step-after", strokeWidth: 2, ariaHidden: true }),
      Plot.ruleY([0], { ariaHidden: true }),
    ],
  });
  // One image for assistive technology (the marks are hidden); the table below is its
  // text alternative.
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", "Kaplan–Meier curves with confidence bands per group");
  document.getElementById("km-chart").replaceChildren(chart);
}

function fillMedians(response) {
  const body = document.querySelector("#km-medians tbody");
  body.replaceChildren(
    ...medianRows(response).map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.group = row.group;
      for (const [key, value] of [["group", row.group], ["n", row.atRiskAtStart], ["median", row.median], ["lower", row.lower], ["upper", row.upper]]) {
        const td = document.createElement(key === "group" ? "th" : "td");
        if (key === "group") td.scope = "row";
        td.textContent = format(value);
        if (key !== "group") {
          td.dataset.metric = `km.${row.group}.${key}`;
          td.dataset.value = value === null ? "" : String(value);
        }
        tr.append(td);
      }
      return tr;
    }),
  );
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = `The engine refused the request (${error.code ?? "error"}): ${error.message}`;
  box.hidden = false;
}

async function main() {
  const status = document.getElementById("status");
  try {
    await init();
    document.getElementById("engine-version").textContent = version();
    const response = analyse(EXAMPLE_REQUEST);
    drawChart(response);
    fillMedians(response);
    status.textContent = "Computed in your browser.";
    document.body.dataset.ready = "true";
  } catch (error) {
    status.textContent = "";
    showError(error);
    document.body.dataset.ready = "error";
  }
}

main();
