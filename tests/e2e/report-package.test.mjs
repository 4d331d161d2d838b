// Another report package through the same page, with no code change: the made-up
// "one year later" package of tests/fixtures/report-2023 (a third cohort, an extra
// outflow cause) served as the page's data/ (scripts/serve.mjs --data) and bundled into
// the offline file (scripts/bundle.mjs --data). Its controls come from the package
// (cohort 3, the new cause's checkbox), every section draws, every toggle and download
// works, and the shares are the hand computations of tests/joining_forces.rs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, artifact } from "./browser.mjs";
import { SECTION_IDS, pageMetrics, redrawAfter, servePackage } from "./report.mjs";
import { bundlePage } from "../../scripts/bundle.mjs";

const PACKAGE = join(ROOT, "tests", "fixtures", "report-2023");

const served = servePackage(PACKAGE);
const open = served.open;

const share = async (page) => Number((await pageMetrics(page))["outflow.success_share"]);

test("the 2023 package: controls from its data, every section, the hand-computed shares through every toggle", async () => {
  const { page, errors, close } = await open(served.url);
  try {
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#messages"));
    // The controls are the package's: a third cohort and the new cause.
    assert.ok(await page.isVisible("#cohort-3"), "cohort 3 is a choice");
    assert.match(await page.innerText("label[for=cohort-3]"), /Cohort 3/);
    assert.match(await page.innerText("label[for=cause-own_business]"), /Start eigen onderneming/);
    assert.ok(await page.isChecked("#cause-own_business"), "the new cause is a success of the effect measurement");
    for (const id of SECTION_IDS) {
      const section = page.locator(`#${id}`);
      assert.ok((await section.innerText()).length > 80, `section ${id} has content`);
      assert.equal(await section.locator(".missing:not([data-gap])").count(), 0, `section ${id}: ${await section.locator(".missing").allInnerTexts()}`);
    }
    // The made-up numbers are consistent: the reconciliation says so, with no empty table.
    assert.match(await page.innerText("#reconciliation"), /Ze kloppen allemaal/);
    assert.equal(await page.locator("#reconciliation table").count(), 0);
    // Hand computations (tests/joining_forces.rs): effect 259/355; per cohort 149/208,
    // 77/102, 33/45; result, every cohort 264/355; the new cause alone, cohort 3: 1/45.
    assert.equal(await share(page), 259 / 355);
    for (const [cohort, expected] of [["1", 149 / 208], ["2", 77 / 102], ["3", 33 / 45]]) {
      await redrawAfter(page, () => page.check(`#cohort-${cohort}`));
      assert.equal(await share(page), expected, `cohort ${cohort}`);
    }
    await redrawAfter(page, () => page.check("#cohort-all"));
    await redrawAfter(page, () => page.check("#def-result"));
    assert.equal(await share(page), 264 / 355);
    await redrawAfter(page, () => page.check("#cohort-3"));
    for (const cause of ["own_job", "elsewhere_defence", "outside_defence", "iva"]) await redrawAfter(page, () => page.uncheck(`#cause-${cause}`));
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("causes")), "own_business");
    assert.equal(await share(page), 1 / 45);
    for (const unknown of ["success", "failure"]) {
      await redrawAfter(page, () => page.check(`#unknown-${unknown}`));
      assert.equal(await page.getAttribute("body", "data-ready"), "true");
    }
    await redrawAfter(page, () => page.check("#lang-en"));
    assert.match(await page.innerText("label[for=cause-own_business]"), /Started own business/);
    // Every download of every section.
    const buttons = await page.locator("[data-download]").count();
    assert.ok(buttons >= 6, `${buttons} download buttons`);
    for (let i = 0; i < buttons; i += 1) {
      const button = page.locator("[data-download]").nth(i);
      const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
      assert.ok(readFileSync(await download.path()).length > 20, download.suggestedFilename());
    }
    await page.screenshot({ path: artifact("report-2023-package.png"), fullPage: false });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the 2023 package in the offline file (bundle --data): the same numbers from file://", async () => {
  const file = artifact("sibstat-report-2023.html");
  await bundlePage({ root: join(ROOT, "www"), out: file, data: PACKAGE });
  const { page, errors, close } = await open(`${pathToFileURL(file).href}?cohort=3`);
  try {
    assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#messages"));
    assert.equal(await share(page), 33 / 45);
    assert.ok(await page.isVisible("#cause-own_business"));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
