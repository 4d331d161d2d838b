// A package published from microdata (`sibstat publish`, issue 14) through the same
// report page: tests/fixtures/publish/package/, written by the CLI from the synthetic
// microdata (tests/publish.rs checks the fixture is exactly what publish writes). Its
// withheld cells show as withheld (with the rule, in the reader's language), every
// section draws or says in words why a number is not there, every toggle answers, the
// duration section draws the published rows where they allow it, and the offline file
// of the package works from file://.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, artifact } from "./browser.mjs";
import { SECTION_IDS, pageMetrics, redrawAfter, servePackage } from "./report.mjs";
import { bundlePage } from "../../scripts/bundle.mjs";

const PACKAGE = join(ROOT, "tests", "fixtures", "publish", "package");
const DATA = JSON.parse(readFileSync(join(PACKAGE, "joining_forces.json"), "utf8"));
const ROWS = JSON.parse(readFileSync(join(PACKAGE, "reconstruction.json"), "utf8"));

const served = servePackage(PACKAGE);
const open = served.open;

/** Checks a control and waits for the redraw (a control already checked changes nothing). */
async function choose(page, selector) {
  if (await page.isChecked(selector)) return;
  await redrawAfter(page, () => page.check(selector));
}

/** The published cell of table `t`, block, row, column. */
function cell(t, block, row, column) {
  const b = DATA.tables.find((x) => x.id === t).blocks.find((x) => x.id === block);
  return (row === "total" ? b.total : b.rows.find((r) => r.id === row)).cells[column];
}

test("the published package: withheld cells shown as withheld, every section and toggle", async () => {
  const { page, errors, close } = await open(served.url);
  try {
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#messages"));
    for (const id of SECTION_IDS) {
      const section = page.locator(`#${id}`);
      assert.ok((await section.innerText()).length > 40, `section ${id} has content`);
    }
    // The masthead says where the numbers come from.
    assert.match(await page.textContent(".masthead .kicker"), new RegExp(`peildatum ${ROWS.cutoff}, onthullingscontrole k = ${ROWS.k}`));
    // Table 3.1 of every cohort: a withheld cell reads "withheld (rule)" to a screen
    // reader, a printed one its count.
    const withheld = DATA.tables.flatMap((t) => t.blocks.flatMap((b) => b.rows.flatMap((r) => Object.values(r.cells)))).filter((c) => c.withheld);
    assert.ok(withheld.length > 20, `${withheld.length} withheld cells in the package`);
    const participants = page.locator("#participants");
    assert.ok(await participants.locator("[aria-label*='afgeschermd']").count() > 0, "withheld cells are labelled");
    assert.match(await participants.innerText(), /drempel|threshold/i);
    // The outflow section says why the success share is not computed, in Dutch.
    assert.match(await page.innerText("#outflow"), /afgeschermd/);
    // Every toggle answers: definitions, causes, the unknown policy, the cohorts.
    const definitions = DATA.package.definitions.map((d) => d.id);
    for (const cohort of ["1", "2", "all"]) {
      await choose(page, `#cohort-${cohort}`);
      for (const definition of definitions) {
        await choose(page, `#def-${definition}`);
        for (const unknown of ["success", "failure", "exclude"]) {
          await choose(page, `#unknown-${unknown}`);
          assert.equal(await page.getAttribute("body", "data-ready"), "true", `${cohort} ${definition} ${unknown}`);
        }
      }
    }
    await redrawAfter(page, () => page.uncheck("#cause-own_job"));
    assert.equal(await page.getAttribute("body", "data-ready"), "true");
    // Cohort 1 under the report's own definition: the published rows give the curve.
    await choose(page, `#def-${DATA.package.default_definition}`);
    await choose(page, "#cohort-1");
    const metrics = await pageMetrics(page);
    const steps = ROWS.cohorts[0].steps;
    assert.ok(Number(metrics["duration.success_cif_12m"]) > 0, JSON.stringify(metrics));
    assert.ok(await page.locator("#duration svg").count() > 0, "the duration chart is drawn");
    assert.match(await page.innerText("#duration"), /gepubliceerd|published/i);
    // The at-risk row starts at everyone in the published rows of cohort 1.
    const total = steps.reduce((n, s) => n + s.events.success + s.events.other + s.censored, 0);
    assert.match(await page.innerText("#duration"), new RegExp(String(total)));
    // Cohort 2: a withheld count of its rows: the section says so instead of a curve.
    await choose(page, "#cohort-2");
    assert.match(await page.innerText("#duration"), /afgeschermd|niet worden berekend/);
    // The same in English.
    await choose(page, "#lang-en");
    assert.match(await page.innerText("#participants"), /withheld/i);
    assert.equal(cell("t3_2", "outflow", "total", "all").count, 450);
    await page.screenshot({ path: artifact("published-package.png"), fullPage: false });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the published package in the offline file (bundle --data): it opens from file://", async () => {
  const file = artifact("sibstat-report-published.html");
  await bundlePage({ root: join(ROOT, "www"), out: file, data: PACKAGE });
  const { page, errors, close } = await open(`${pathToFileURL(file).href}?cohort=1`);
  try {
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#messages"));
    assert.ok(Number((await pageMetrics(page))["duration.success_cif_12m"]) > 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
