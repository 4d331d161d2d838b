// The workbench (www/workbench.html) end to end in headless Chromium: every analysis
// run through the page on an example equals the native CLI's response to the same
// request; Dutch files and spreadsheet pastes are read right; bad input gets a located
// message and the reader's state is kept; a link reproduces the analysis with its data;
// axe-core finds nothing serious at desktop and phone width.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, artifact, launch, openPage } from "./browser.mjs";
import { META_CONTENT_SECURITY_POLICY } from "../../scripts/serve.mjs";
import { act, atPath, cliAnalyse, differences, settled, shown } from "./workbench.mjs";

let browser;
let session; // one served page, navigated from view to view
before(async () => {
  browser = await launch();
  session = await openPage(browser, { path: "workbench.html" });
  await settled(session.page);
});
after(async () => {
  await session?.close();
  await browser?.close();
});

const base = () => new URL(session.url).origin;
async function visit(query) {
  await session.page.goto(`${base()}/workbench.html?${query}`);
  return settled(session.page);
}

// Every analysis of the API on an example, with options that are not the defaults.
const VIEWS = [
  ["kaplan_meier", "example=aml&analysis=kaplan_meier&conf_type=log"],
  ["cumulative_incidence", "example=aml&analysis=cumulative_incidence&variance=aalen&conf_level=0.9"],
  // veteran's strata column is mapped by its header: a stratified Gray's test.
  ["cumulative_incidence", "example=veteran&analysis=cumulative_incidence"],
  ["logrank", "example=veteran&analysis=logrank"],
  ["life_table", "example=lung&analysis=life_table&breaks=0+100+200+400+800"],
  ["proportion", "example=ucb&analysis=proportion&row=2&method=clopper-pearson&null=0.5"],
  ["logit", "example=ucb&analysis=logit&margins=at_mean&ref.dept=C"],
  ["summary", "example=aml&analysis=summary&col.values=time&col.count=count"],
  ["bootstrap", "example=aml&analysis=bootstrap&replicates=200&seed=7"],
  ["guyot", "example=digitised&analysis=guyot&total_events=18"],
];

for (const [analysis, query] of VIEWS) {
  test(`${analysis} through the page equals the CLI's response to the same request (1e-12): ${query}`, async () => {
    assert.equal(await visit(query), "ready", await session.page.textContent("#problem"));
    const { request, response, cells } = await shown(session.page);
    assert.equal(request.analysis, analysis);
    const native = cliAnalyse(request);
    assert.deepEqual(differences(response, native), []);
    // Every number in the result tables is the engine's, unrounded in data-value.
    assert.ok(cells.length > 0, "the result shows numbers");
    for (const cell of cells) {
      const expected = atPath(native, cell.path);
      if (expected === null) assert.equal(cell.value, "", cell.path);
      else if (typeof expected === "boolean") assert.equal(cell.value, String(expected), cell.path);
      else assert.deepEqual(differences(Number(cell.value), expected, cell.path), []);
    }
    // The page's text uses Dutch number formatting: a decimal comma in every fraction.
    const fractions = cells.filter((c) => c.value !== "" && !Number.isInteger(Number(c.value)) && Math.abs(Number(c.value)) < 1000);
    assert.ok(fractions.length > 0);
    assert.deepEqual(fractions.filter((c) => !/^[-<\s]*\d+,\d+$/.test(c.text.trim())).map((c) => `${c.path}: ${c.text}`), []);
  });
}

test("the Kaplan–Meier medians of aml are R's (the former demo page's check)", async () => {
  // R 4.2.2, survival 3.5.3: print(survfit(Surv(time, status) ~ x, aml, conf.type =
  // "log-log")): Maintained 31 (13, NA), Nonmaintained 23 (5, 33).
  assert.equal(await visit("example=aml&analysis=kaplan_meier"), "ready");
  const value = (path) => session.page.getAttribute(`#results [data-path="${path}"]`, "data-value");
  assert.equal(await value("curves.0.median.estimate"), "31");
  assert.equal(await value("curves.0.median.lower"), "13");
  assert.equal(await value("curves.0.median.upper"), "");
  assert.equal(await value("curves.1.median.estimate"), "23");
  assert.equal(await value("curves.1.median.lower"), "5");
  assert.equal(await value("curves.1.median.upper"), "33");
  assert.ok((await session.page.locator("#results svg[role=img]").count()) >= 1);
});

test("the Guyot reconstruction's rows feed a survival analysis with one button", async () => {
  assert.equal(await visit("example=digitised&analysis=guyot"), "ready");
  const guyot = (await shown(session.page)).response;
  assert.equal(await act(session.page, () => session.page.click("#use-guyot-rows")), "ready");
  const { request, response } = await shown(session.page);
  assert.equal(request.analysis, "kaplan_meier");
  assert.deepEqual(request.data, guyot.data);
  assert.deepEqual(differences(response, cliAnalyse(request)), []);
});

test("a dropped file is read; a mapping changed by hand changes the request", async () => {
  await visit("analysis=logrank");
  const csv = "tijd;status;aantal;tak\n1;1;2;x\n2;0;1;x\n3;1;1;y\n4;1;2;y\n";
  const state = await act(session.page, async () => {
    const transfer = await session.page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "gesleept.csv", { type: "text/csv" }));
      return data;
    }, csv);
    await session.page.dispatchEvent("#drop-zone", "drop", { dataTransfer: transfer });
  });
  // Dutch headers mapped; "tak" is no known name for the group, so the page asks for it.
  assert.equal(state, "problem");
  assert.match(await session.page.textContent("#problem"), /Koppel een kolom aan ‘Groep’ onder 3\. Kolommen\./);
  assert.equal(await act(session.page, () => session.page.selectOption("#col-group", "tak")), "ready");
  const { request } = await shown(session.page);
  assert.deepEqual(request.data.group, ["x", "x", "y", "y"]);
  assert.match(session.page.url(), /col\.group=tak/);
});

test("downloads: a result table as CSV in the reader's convention, a chart as SVG", async () => {
  assert.equal(await visit("example=aml&analysis=kaplan_meier"), "ready");
  const [csv] = await Promise.all([session.page.waitForEvent("download"), session.page.click('[aria-label="Download: medians"] [data-download="csv"]')]);
  const text = readFileSync(await csv.path(), "utf8");
  assert.match(text, /^\ufeff# sibstat: Mediaan/);
  assert.match(text, /Maintained;11;31;13;\r\n/);
  const [svg] = await Promise.all([session.page.waitForEvent("download"), session.page.click('[aria-label="Download: kaplan-meier"] [data-download="svg"]')]);
  assert.match(readFileSync(await svg.path(), "utf8"), /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});

test("the grid is one tab stop; arrow keys and Enter move between cells", async () => {
  assert.equal(await visit("example=aml&analysis=kaplan_meier"), "ready");
  const tabbable = () => session.page.$$eval("#data-grid [tabindex='0']", (els) => els.map((el) => el.id));
  assert.deepEqual(await tabbable(), ["h-0"]);
  await session.page.focus("#h-0");
  await session.page.keyboard.press("ArrowDown");
  await session.page.keyboard.press("ArrowDown");
  await session.page.keyboard.press("End");
  await session.page.keyboard.press("ArrowRight");
  assert.equal(await session.page.evaluate(() => document.activeElement.id), "c-1-1");
  assert.deepEqual(await tabbable(), ["c-1-1"]);
  await session.page.keyboard.press("Enter");
  assert.equal(await session.page.evaluate(() => document.activeElement.id), "c-2-1");
});

test("a Dutch CSV file (';', decimal comma, Dutch headers) is mapped and analysed without a further click", async () => {
  await visit("analysis=kaplan_meier&conf_level=0.9");
  const csv = "tijd;status;aantal;groep\n1,5;1;2;A\n2;0;1;A\n3,25;1;1;A\n1.000;1;1;B\n0,5;1;3;B\n";
  assert.equal(await act(session.page, () => session.page.setInputFiles("#file-input", { name: "tabel.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") })), "ready", await session.page.textContent("#problem"));
  const { request } = await shown(session.page);
  assert.deepEqual(request.data, { time: [1.5, 2, 3.25, 1000, 0.5], status: [1, 0, 1, 1, 1], count: [2, 1, 1, 1, 3], group: ["A", "A", "A", "B", "B"] });
  assert.equal(request.conf_level, 0.9, "the reader's option is kept");
  // The numbers appear in Dutch in the page's text.
  assert.match(await session.page.textContent("#preview-table"), /1,5/);
});

test("a CSV saved by a Dutch spreadsheet in Windows-1252 keeps its accents", async () => {
  await visit("analysis=kaplan_meier");
  const csv = "tijd;status;aantal;groep\n1,5;1;2;Zeeën\n2;0;1;Zeeën\n3;1;1;Café\n";
  // latin1 gives the Windows-1252 bytes of these letters (é 0xE9, ë 0xEB): invalid UTF-8.
  assert.equal(await act(session.page, () => session.page.setInputFiles("#file-input", { name: "excel.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "latin1") })), "ready");
  assert.deepEqual((await shown(session.page)).request.data.group, ["Zeeën", "Zeeën", "Café"]);
});

test("a file with headers successes,trials,… runs the logit without a click", async () => {
  await visit("analysis=logit");
  const csv = "successes,trials,age,sex\n3,10,20.5,m\n6,12,30,f\n9,11,40,m\n2,9,25,f\n";
  assert.equal(await act(session.page, () => session.page.setInputFiles("#file-input", { name: "x.csv", mimeType: "text/csv", buffer: Buffer.from(csv) })), "ready", await session.page.textContent("#problem"));
  const { request, response } = await shown(session.page);
  assert.deepEqual(request.data.covariates, { age: [20.5, 30, 40, 25], sex: ["m", "f", "m", "f"] });
  assert.deepEqual(request.model.terms, ["age", "sex"]);
  assert.deepEqual(differences(response, cliAnalyse(request)), []);
});

test("cells pasted from a spreadsheet (tabs, decimal comma) are read right", async () => {
  await visit("analysis=kaplan_meier&lang=en");
  const pasted = "time\tstatus\tcount\n2,5\t1\t3\n4\t0\t2\n7,75\t1\t1\n";
  await session.page.fill("#paste-input", pasted);
  assert.equal(await act(session.page, () => session.page.click("#paste-apply")), "ready", await session.page.textContent("#problem"));
  const { request } = await shown(session.page);
  assert.deepEqual(request.data, { time: [2.5, 4, 7.75], status: [1, 0, 1], count: [3, 2, 1] });
  // English page: the decimal point.
  assert.match(await session.page.textContent("#preview-table"), /2\.5/);
});

test("a bad file gives a located message in the reader's language and keeps the state", async () => {
  await visit("example=aml&analysis=cumulative_incidence&variance=aalen");
  const before = await shown(session.page);
  // A line with too many cells is refused as a whole: the table shown stays.
  const ragged = "time,status,count\n1,1,1\n2,1,1,7,8\n";
  await session.page.setInputFiles("#file-input", { name: "ragged.csv", mimeType: "text/csv", buffer: Buffer.from(ragged) });
  await session.page.waitForSelector("#problem:not([hidden])");
  assert.match(await session.page.textContent("#problem"), /Regel 3 heeft 5 cellen/);
  assert.equal(await session.page.inputValue("#analysis-select"), "cumulative_incidence");
  assert.equal(await session.page.inputValue("#opt-variance"), "aalen");
  assert.equal(await session.page.inputValue("#c-0-0"), "9", "the table is kept");
  assert.deepEqual((await shown(session.page)).request, before.request);
  // A cell that is no number: row, column, value and what to do; the cell is marked.
  const bad = "time,status,count\n1,1,1\n2,1,1\nabc,0,1\n";
  assert.equal(await act(session.page, () => session.page.setInputFiles("#file-input", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) })), "problem");
  const where = session.page.locator("#problem .wb-problem-where");
  assert.equal(await where.getAttribute("data-row"), "3");
  assert.equal(await where.getAttribute("data-column"), "time");
  assert.equal(await where.getAttribute("data-value"), "abc");
  assert.match(await where.textContent(), /Rij 3, kolom ‘time’, waarde ‘abc’: ‘abc’ is geen getal/);
  assert.equal(await session.page.getAttribute("#c-2-0", "aria-invalid"), "true");
  assert.equal(await session.page.inputValue("#opt-variance"), "aalen", "the options are kept");
  // Fixing the cell in the grid runs the analysis again.
  await session.page.fill("#c-2-0", "3");
  assert.equal(await act(session.page, () => session.page.press("#c-2-0", "Enter")), "ready");
});

test("an engine error is translated and located in the table (English)", async () => {
  await visit("analysis=kaplan_meier&lang=en");
  await session.page.fill("#paste-input", "time\tstatus\n1\t1\n-2\t1\n3\t0\n");
  assert.equal(await act(session.page, () => session.page.click("#paste-apply")), "problem");
  assert.equal(await session.page.getAttribute("#problem", "data-code"), "negative_time");
  const text = await session.page.textContent("#problem");
  assert.match(text, /Row 2, column ‘time’, value ‘-2’: A time is negative\./);
  assert.equal(await session.page.getAttribute("#c-1-0", "aria-invalid"), "true");
});

test("a link reproduces the analysis, its options and its small data", async () => {
  await visit("analysis=life_table&lang=en");
  await session.page.fill("#paste-input", "time\tstatus\tcount\tgroup\n2\t1\t3\ta\n5\t0\t2\ta\n7\t1\t4\tb\n9\t1\t1\tb\n");
  assert.equal(await act(session.page, () => session.page.click("#paste-apply")), "ready");
  await session.page.fill("#opt-breaks", "0 4 8");
  assert.equal(await act(session.page, () => session.page.press("#opt-breaks", "Enter")), "ready");
  await session.page.waitForFunction(() => document.getElementById("request-json")?.textContent.includes('"breaks"'));
  const original = await shown(session.page);
  const link = session.page.url();
  assert.match(link, /#data=/);
  assert.equal(await session.page.textContent("#store-note"), "The data are in the link’s #-part (compressed); that part is never sent to a server.");
  // A fresh browser context: nothing shared but the link.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(link);
    assert.equal(await settled(page), "ready");
    const again = await shown(page);
    assert.deepEqual(again.request, original.request);
    assert.deepEqual(again.response, original.response);
    assert.equal(await page.getAttribute("html", "lang"), "en");
  } finally {
    await context.close();
  }
});

test("a table too large for a link is kept in this browser, and the page says so", async () => {
  await visit("analysis=kaplan_meier");
  const rows = Array.from({ length: 4000 }, (_, i) => `${(i * 7919) % 997}\t${i % 3 === 0 ? 0 : 1}\t${1 + (i % 5)}`);
  // Set at once (typing 4,000 lines into the box would take the test's time, not the page's).
  await session.page.evaluate((text) => (document.getElementById("paste-input").value = text), `time\tstatus\tcount\n${rows.join("\n")}\n`);
  assert.equal(await act(session.page, () => session.page.click("#paste-apply")), "ready");
  assert.match(session.page.url(), /#data=local$/);
  assert.match(await session.page.textContent("#store-note"), /alleen in deze browser bewaard/);
});

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`axe-core finds no serious or critical violation at ${width} px`, async () => {
    // axe is injected as an inline script, which the page's CSP rightly forbids.
    const { page, close } = await openPage(browser, { path: "workbench.html?example=ucb&analysis=logit", contextOptions: { bypassCSP: true, viewport: { width, height } } });
    try {
      assert.equal(await settled(page), "ready");
      await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8") });
      const violations = await page.evaluate(async () => (await window.axe.run()).violations);
      const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(severe.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
      // Nothing wider than the screen but the boxes that scroll on their own.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      await page.screenshot({ path: artifact(`workbench-${width}.png`), fullPage: true });
    } finally {
      await close();
    }
  });
}

test("the bootstrap shows its progress and can be cancelled; the reader's choices stay", async () => {
  await session.page.goto(`${base()}/workbench.html?example=lung&analysis=bootstrap&replicates=400000&seed=3`);
  await session.page.waitForFunction(() => Number(document.getElementById("boot-progress")?.value) > 0);
  assert.equal(await act(session.page, () => session.page.click("#boot-cancel")), "cancelled");
  assert.match(await session.page.textContent("#boot-text"), /Bootstrap geannuleerd na [\d.]+ van 400\.000 replicaties\./);
  assert.equal(await session.page.inputValue("#opt-seed"), "3");
  assert.equal(await session.page.inputValue("#opt-replicates"), "400000");
});

test("the page carries the served Content-Security-Policy in its meta element", () => {
  const html = readFileSync(join(ROOT, "www", "workbench.html"), "utf8");
  assert.equal(html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)[1], META_CONTENT_SECURITY_POLICY);
});

test("no console error and no request beyond the page's own files", async () => {
  const { page, url, consoleErrors, requests, close } = await openPage(browser, { path: "workbench.html?example=veteran&analysis=bootstrap&of=kaplan_meier&replicates=100" });
  try {
    assert.equal(await settled(page), "ready");
    assert.deepEqual(consoleErrors, []);
    const origin = new URL(url).origin;
    assert.deepEqual(requests.filter((r) => !r.startsWith(origin) && !/^(data|blob):/.test(r)), []);
  } finally {
    await close();
  }
});
