// The report as a reader meets it (issue 12): at 1280×800 and 390×844, in Dutch and
// English — the first screen, the folding controls, the bootstrap that never fails a
// view, plain words instead of ids and English, tiers and sources, the printout, charts
// and tables on a phone, figure 3.2's table, the bootstrap's focus and announcements,
// and bad input. Screenshots and the printed pages go to test-artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ARTIFACTS, ROOT, artifact, launch } from "./browser.mjs";
import { engineResponse, openReport, pageMetrics, redrawAfter, requestOf } from "./report.mjs";

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LANGS = ["nl", "en"];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function open(lang, size, query = "", extra = {}) {
  const params = new URLSearchParams(query);
  if (lang === "en") params.set("lang", "en");
  const search = params.toString() ? `?${params}` : "";
  return openReport(browser, search, { contextOptions: { viewport: SIZES[size], acceptDownloads: true, ...extra } });
}

/** Opens the control panel where it folds away (a phone). */
async function openPanel(page) {
  if (await page.isVisible("#controls-toggle")) {
    if ((await page.getAttribute("#controls-toggle", "aria-expanded")) !== "true") await page.click("#controls-toggle");
  }
}

async function setReplicates(page, n) {
  await openPanel(page);
  if (!(await page.isVisible("#reps"))) await page.click("#options summary");
  await redrawAfter(page, async () => {
    await page.fill("#reps", String(n));
    await page.locator("#reps").blur();
  });
}

/** Runs the bootstrap and waits for its end; returns the section's visible text. */
async function runBootstrap(page) {
  await page.locator("#bootstrap-run").scrollIntoViewIfNeeded();
  await page.click("#bootstrap-run");
  await page.waitForSelector('#bootstrap [data-bootstrap="done"], #bootstrap [data-bootstrap="partial"], #bootstrap [data-bootstrap="error"], #bootstrap [data-bootstrap="unavailable"]', { timeout: 120000 });
  return page.innerText("#bootstrap");
}

const ENGLISH_IN_DUTCH = [/\bUnder the\b/, /unknown moment/, /\bcolumn\b/, /\btable 3\./, /\bline \d/, /\bplus \d+ of\b/, /\bcohort[12]\b/];
const RAW_IDS = [/\bt3_\d\.[a-z_]+\./, /\bfn10\./, /\bfig3_2\./, /\bbox1\./, /\bcif1@/, /invalid_time_point/];

// 1 — the bootstrap completes for a cohort whose follow-up ends before 24 months, keeps
// what it computed and says what is undefined in plain words.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`1: the bootstrap of cohort 2 completes, keeps its results and says what is undefined (${lang}, ${size})`, async () => {
      const { page, consoleErrors, close } = await open(lang, size, "cohort=2&reps=30");
      try {
        const text = await runBootstrap(page);
        assert.equal(await page.locator('#bootstrap [data-bootstrap="error"]').count(), 0, text);
        const progress = await page.evaluate(() => { const p = document.getElementById("bootstrap-progress"); return [p.value, p.max]; });
        assert.equal(progress[0], progress[1], "the progress reaches its end");
        assert.ok(await page.locator("#bootstrap-result tbody tr").count() >= 2, "the statistics computed are shown");
        const plain = page.locator("#bootstrap .not-bootstrapped li");
        assert.ok(await plain.count() >= 1, "the statistic beyond the follow-up is named");
        const words = await plain.first().innerText();
        assert.match(words, lang === "en" ? /24 months/ : /24 maanden/);
        for (const raw of RAW_IDS) assert.doesNotMatch(text, raw, `raw id in the bootstrap section: ${raw}`);
        assert.deepEqual(consoleErrors, []);
      } finally {
        await close();
      }
    });
  }
}

test("1: the offline file runs the bootstrap of cohort 2 to its end over file://", async () => {
  const file = join(ROOT, "dist", "sibstat-report.html");
  assert.ok(existsSync(file), "./build.sh bundle writes dist/sibstat-report.html");
  const context = await browser.newContext({ viewport: SIZES.desktop, offline: true });
  const page = await context.newPage();
  try {
    await page.goto(`${pathToFileURL(file)}?cohort=2&reps=30`);
    await page.waitForSelector("body[data-ready=true]");
    const text = await runBootstrap(page);
    assert.equal(await page.locator('#bootstrap [data-bootstrap="error"]').count(), 0, text);
    assert.ok(await page.locator("#bootstrap-result tbody tr").count() >= 2);
    assert.ok(await page.locator("#bootstrap .not-bootstrapped li").count() >= 1);
  } finally {
    await context.close();
  }
});

// 2 — on a phone the panel folds to one line above the key figures and scrolls away.
for (const lang of LANGS) {
  test(`2: on a phone the controls fold to one line, the key figures come first (${lang})`, async () => {
    const { page, close } = await open(lang, "phone");
    try {
      assert.equal(await page.getAttribute("#controls-toggle", "aria-expanded"), "false");
      assert.ok(!(await page.isVisible("#def-result")), "folded");
      assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("controls")).position), "static");
      const toggle = await page.locator("#controls-toggle").boundingBox();
      assert.ok(toggle.height < 80, `the folded panel is one line (${toggle.height}px)`);
      const card = await page.locator('.key-card[data-key="success"]').boundingBox();
      assert.ok(card.y < SIZES.phone.height / 2, `the first key figure is in the upper half (${card.y}px)`);
      await page.click("#controls-toggle");
      assert.ok(await page.isVisible("#def-result"));
      await redrawAfter(page, () => page.check("#def-result"));
      assert.ok(await page.isVisible("#def-result"), "the panel stays open through a redraw");
      await page.evaluate(() => window.scrollTo(0, 2000));
      const after = await page.locator("#controls").boundingBox();
      assert.ok(after.y + after.height < 0, "the panel scrolls away with the page");
    } finally {
      await close();
    }
  });
  test(`2: on a desktop the panel is open, sticky, and has no fold button (${lang})`, async () => {
    const { page, close } = await open(lang, "desktop");
    try {
      assert.ok(!(await page.isVisible("#controls-toggle")));
      assert.ok(await page.isVisible("#def-result"));
      assert.ok(await page.isVisible("#copy-link"), "copy link stays on screen");
      assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("controls")).position), "sticky");
    } finally {
      await close();
    }
  });
}

// 3 — the first screen carries the message: the key figures with the result
// measurement against the payment targets; the state box only on paper.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`3: the first screen shows the key figures and the standing against the payment targets (${lang}, ${size})`, async () => {
      const { page, consoleErrors, close } = await open(lang, size);
      try {
        const viewport = SIZES[size];
        const response = await engineResponse(page, await requestOf(page, await page.evaluate(() => location.search)));
        const targets = page.locator('.key-card[data-key="targets"]');
        const box = await (await targets.locator(".key-big")).boundingBox();
        assert.ok(box.y + box.height <= viewport.height, `the 28-month result is on the first screen (${box.y}px)`);
        const shown = await pageMetrics(page);
        assert.equal(shown["duration.result_28m"], String(response.metrics["duration.result_28m"]));
        const standing = await targets.innerText();
        const r = response.duration.result_measurement;
        const pct = (x) => `${(x * 100).toFixed(1).replace(".", lang === "nl" ? "," : ".").replace(/[,.]0$/, "")}%`;
        assert.ok(standing.includes(pct(r.target_2y)) && standing.includes(pct(r.target_4y)), `both targets named: ${standing}`);
        assert.match(standing, lang === "en" ? /28 months after their first day of sickness/ : /28 maanden na de eerste ziektedag/);
        // The notice that qualifies the result sits in its card, not at the top.
        assert.ok(await targets.locator('[data-code="beyond_follow_up"]').count() === 1);
        assert.equal(await page.locator('#messages [data-code="beyond_follow_up"]').count(), 0);
        assert.ok(!(await page.isVisible("#state-box")), "the state box is for print only");
        if (size === "desktop") {
          for (const key of ["success", "targets", "duration", "sanctions"]) {
            const b = await page.locator(`.key-card[data-key="${key}"] .key-big`).boundingBox();
            assert.ok(b.y + b.height <= viewport.height, `${key} on the first desktop screen`);
          }
        }
        await page.screenshot({ path: artifact(`first-screen-${lang}-${size}.png`) });
        assert.deepEqual(consoleErrors, []);
      } finally {
        await close();
      }
    });
  }
}

// 4 — no raw ids or English reach a Dutch reader; a finding shows its arithmetic.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`4: readers see plain words, the reconciliation's arithmetic, ids only in the CSV (${lang}, ${size})`, async () => {
      const { page, close } = await open(lang, size);
      try {
        // Every disclosure open but the engine's own words ("technical detail", the assumptions in English).
        await page.evaluate(() => { for (const d of document.querySelectorAll("main details:not(.tech-detail):not(.assumptions)")) d.open = true; });
        const text = await page.innerText("main");
        for (const raw of RAW_IDS) assert.doesNotMatch(text, raw, `raw id: ${raw}`);
        if (lang === "nl") for (const english of ENGLISH_IN_DUTCH) assert.doesNotMatch(text, english, `English in the Dutch page: ${english}`);
        const headers = await page.locator("#reconciliation thead th").allInnerTexts();
        assert.ok(!headers.some((h) => /^Id$/i.test(h.trim())), `no Id column: ${headers}`);
        const footnote = await page.innerText('#reconciliation tr[data-finding="fn10.flow"]');
        assert.match(footnote, lang === "nl" ? /527 − 74 − 8 = 445; gedrukt 450/ : /527 − 74 − 8 = 445; printed 450/);
        assert.match(footnote, lang === "nl" ? /voetnoot 10|par\. 3\.1/ : /footnote 10|sec\. 3\.1/);
        // The fit table names table 3.2's counts by cause and cohort in the reader's language.
        const fit = await page.innerText('#duration tr[data-point^="t3_2.cause.own_job."]');
        assert.match(fit, lang === "nl" ? /Uitstroom: Plaatsing\/terugkeer eigen werk, cohort 1, incl\. 12 met onbekend moment/ : /Outflow: .*own job.*, cohort 1, incl\. 12 of unknown moment/i);
        // Engine detail is behind a closed "technical detail".
        const tech = page.locator("main .tech-detail");
        if (await tech.count()) assert.equal(await tech.first().getAttribute("open"), null);
        const [download] = await Promise.all([page.waitForEvent("download"), page.locator('#reconciliation [data-download="csv"]').click()]);
        const csv = readFileSync(await download.path(), "utf8");
        assert.match(csv, /fn10\.flow/, "the ids are in the CSV");
      } finally {
        await close();
      }
    });
  }
}

// 5 — a tier is a name for assistive technology; in tables once per column; sources
// are numbered footnotes that keyboard users reach.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`5: tiers have accessible names, tables state them per column, sources are focusable footnotes (${lang}, ${size})`, async () => {
      const { page, close } = await open(lang, size);
      try {
        const names = { nl: ["gepubliceerd", "afgeleid", "gereconstrueerd"], en: ["published", "derived", "reconstructed"] }[lang];
        const badge = await page.locator('.key-card[data-key="success"] .key-big .tier').first();
        assert.match(await badge.locator(".sr-only").innerText(), new RegExp(names[1]));
        assert.equal(await badge.locator('[aria-hidden="true"]').count(), 1);
        assert.equal(await page.locator("#participants tbody .tier").count(), 0, "no badge per cell");
        assert.ok(await page.locator("#participants thead .tier").count() >= 2, "one badge per column");
        const link = page.locator("#summary a.tier").first();
        const href = await link.getAttribute("href");
        assert.match(href, /^#summary-src-\d+$/);
        assert.ok((await page.innerText(href)).length > 5, "the footnote names its source");
        await link.focus();
        assert.equal(await page.evaluate(() => document.activeElement.className), await link.getAttribute("class"));
        await page.keyboard.press("Enter");
        assert.equal(await page.evaluate(() => location.hash), href);
        assert.match(await page.innerText("#participants caption"), lang === "nl" ? /Bron: tabel 3\.1/ : /Source: table 3\.1/);
      } finally {
        await close();
      }
    });
  }
}

// 6 — the printout: few A4 pages, the message on page 1, nothing clipped, screen-only
// text left out, the engine's notices in.
function pdfPages(path) {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [path]).toString())[1]);
}
function pdfText(path, pageNumber) {
  return execFileSync("pdftotext", ["-f", String(pageNumber), "-l", String(pageNumber), path, "-"]).toString();
}

for (const lang of LANGS) {
  test(`6: the printout is a clean A4 document (${lang})`, async () => {
    const { page, close } = await open(lang, "desktop");
    try {
      await page.emulateMedia({ media: "print" });
      const path = artifact(`print-${lang}.pdf`);
      await page.pdf({ path, format: "A4", printBackground: true, preferCSSPageSize: true });
      const pages = pdfPages(path);
      assert.ok(pages <= 8, `${pages} A4 pages`);
      writeFileSync(artifact(`print-${lang}-pages.txt`), `${pages}\n`);
      for (const old of readdirSync(ARTIFACTS).filter((f) => f.startsWith(`print-${lang}-page-`))) rmSync(join(ARTIFACTS, old));
      execFileSync("pdftoppm", ["-r", "60", "-png", path, artifact(`print-${lang}-page`)]);
      const first = pdfText(path, 1);
      const firstWords = first.replace(/\s+/g, " ");
      assert.match(firstWords, lang === "nl" ? /Kerncijfers/ : /Key figures/);
      assert.match(firstWords, lang === "nl" ? /Deze weergave/ : /This view/, "the state box on page 1");
      assert.match(firstWords, lang === "nl" ? /betalingsdoelen/ : /payment targets/);
      assert.ok(firstWords.length > 1500, "page 1 is full");
      const all = Array.from({ length: pages }, (_, i) => pdfText(path, i + 1));
      const text = all.join("\n");
      for (const screenOnly of lang === "nl" ? ["Start bootstrap", "Download:", "Weergave aanpassen", "Kopieer link"] : ["Run bootstrap", "Download:", "Change the view", "Copy link"]) {
        assert.ok(!text.includes(screenOnly), `screen-only text printed: ${screenOnly}`);
      }
      assert.match(text, lang === "nl" ? /geëxtrapoleerd/ : /extrapolated/, "the engine's notice prints");
      assert.match(text, lang === "nl" ? /Bronnen/ : /Sources/, "the sources print");
      // The reconciliation table is whole: its last column (where) of the last finding prints.
      const response = await engineResponse(page, await requestOf(page, await page.evaluate(() => location.search)));
      const lastLine = response.reconciliation.findings.at(-1).source.line;
      assert.ok(text.includes(String(lastLine)), "the reconciliation's last column is not clipped");
      // No page ends with a section heading, and every page carries content.
      const headings = ["summary", "participants", "outflow", "duration", "predictors", "sanctions", "wellbeing", "reconciliation", "methods"];
      const titles = await Promise.all(headings.map((id) => page.innerText(`#${id} h2`)));
      all.forEach((pageText, i) => {
        const lines = pageText.split("\n").map((l) => l.trim()).filter(Boolean);
        assert.ok(lines.length > 8, `page ${i + 1} is nearly empty`);
        assert.ok(!titles.includes(lines.at(-1)), `page ${i + 1} ends with the heading ${lines.at(-1)}`);
      });
    } finally {
      await close();
    }
  });
}

// 7 — charts drawn at the phone's width; scrolling tables take focus and are named.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`7: charts fill their container and scrolling tables are focusable regions (${lang}, ${size})`, async () => {
      const { page, close } = await open(lang, size);
      try {
        for (const id of ["outflow", "duration"]) {
          const { svgWidth, drawn, container, fontPx } = await page.evaluate((id) => {
            const svg = document.querySelector(`#${id} figure svg`);
            const text = svg.querySelector("text");
            return { svgWidth: Number(svg.getAttribute("width")), drawn: svg.getBoundingClientRect().width, container: document.getElementById(id).clientWidth, fontPx: text.getBoundingClientRect().height };
          }, id);
          assert.ok(svgWidth <= container + 1, `${id}: drawn within its container (${svgWidth} > ${container})`);
          assert.ok(Math.abs(drawn - svgWidth) < 2, `${id}: shown at the width it was drawn (${drawn} vs ${svgWidth})`);
          assert.ok(fontPx >= 11, `${id}: labels readable (${fontPx}px)`);
        }
        await page.waitForTimeout(100);
        const regions = await page.evaluate(() => [...document.querySelectorAll(".table-wrap")].filter((w) => w.checkVisibility() && w.scrollWidth > w.clientWidth + 1).map((w) => ({ tabindex: w.getAttribute("tabindex"), role: w.getAttribute("role"), label: w.getAttribute("aria-label"), cue: w.classList.contains("scrolls") })));
        if (size === "phone") assert.ok(regions.length >= 1, "some tables scroll on a phone");
        for (const r of regions) assert.deepEqual([r.tabindex, r.role, Boolean(r.label), r.cue], ["0", "region", true, true]);
      } finally {
        await close();
      }
    });
  }
}

// 8 — figure 3.2's table: one row per step, times with the decimals they have.
for (const lang of LANGS) {
  test(`8: figure 3.2's table has one row per engine step with its decimals (${lang})`, async () => {
    const { page, close } = await open(lang, "desktop");
    try {
      const response = await engineResponse(page, await requestOf(page, await page.evaluate(() => location.search)));
      const times = response.duration.cumulative_incidence.result.curves[0].time;
      await page.click("#duration .figure-table summary");
      const shown = await page.locator("#duration .figure-table tbody th").allInnerTexts();
      assert.equal(shown.length, times.length);
      assert.equal(new Set(shown).size, shown.length, "no time twice");
      const expect = times.map((x) => (Number.isInteger(x) ? String(x) : String(x).replace(".", lang === "nl" ? "," : ".")));
      assert.deepEqual(shown.map((s) => s.trim()), expect);
    } finally {
      await close();
    }
  });
}

// 9 — the bootstrap keeps focus, announces at quarters and at the end, its bar is named.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`9: the bootstrap moves focus sensibly and announces only quarters and the end (${lang}, ${size})`, async () => {
      const { page, close } = await open(lang, size, "reps=400");
      try {
        const name = await page.evaluate(() => document.getElementById("bootstrap-progress").labels[0]?.textContent);
        assert.match(name, lang === "nl" ? /Voortgang/ : /progress/i);
        await page.evaluate(() => {
          window.__said = [];
          new MutationObserver(() => { const t = document.getElementById("bootstrap-live")?.textContent; if (t && t !== window.__said.at(-1)) window.__said.push(t); })
            .observe(document.getElementById("bootstrap"), { subtree: true, childList: true, characterData: true });
        });
        await page.focus("#bootstrap-run");
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.activeElement?.id !== "bootstrap-run");
        const during = await page.evaluate(() => document.activeElement?.id);
        assert.ok(["bootstrap-cancel", "bootstrap-result"].includes(during), `focus after start: ${during}`);
        await page.waitForSelector('#bootstrap [data-bootstrap="done"]', { timeout: 120000 });
        assert.equal(await page.evaluate(() => document.activeElement?.id), "bootstrap-result", "focus on the result");
        const said = await page.evaluate(() => window.__said);
        assert.ok(said.length >= 1 && said.length <= 5, `announcements: ${JSON.stringify(said)}`);
        assert.match(said.at(-1), lang === "nl" ? /Bootstrap klaar/ : /Bootstrap finished/);
        // Cancel returns focus to Run.
        await setReplicates(page, 100000);
        await page.focus("#bootstrap-run");
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => Number(document.getElementById("bootstrap-progress")?.value) > 0);
        await page.focus("#bootstrap-cancel");
        await page.keyboard.press("Enter");
        await page.waitForSelector('#bootstrap [data-bootstrap="cancelled"]');
        assert.equal(await page.evaluate(() => document.activeElement?.id), "bootstrap-run");
      } finally {
        await close();
      }
    });
  }
}

// 10 — empty and bad input.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`10: no cause ticked asks for one; bad link parameters give one notice and a cleaned link (${lang}, ${size})`, async () => {
      const { page, close } = await open(lang, size, "def=custom&causes=");
      try {
        await openPanel(page);
        assert.ok(await page.isVisible("#no-cause"));
        assert.match(await page.innerText("#no-cause"), lang === "nl" ? /Vink minstens één oorzaak aan/ : /Tick at least one cause/);
        assert.equal(await page.getAttribute("#causes", "aria-describedby"), "no-cause");
        const card = await page.innerText('.key-card[data-key="success"]');
        assert.doesNotMatch(card, /0[,.]0%/, "no silent 0.0%");
        assert.ok(await page.isVisible('.key-card[data-key="success"] [data-notice="no-cause"]'));
      } finally {
        await close();
      }
      const bad = await open(lang, size, "def=magic&cohort=7&unknown=maybe&level=2&reps=-5&unknown_param=1&seed=3");
      try {
        const notices = bad.page.locator("#notices .notice");
        assert.equal(await notices.count(), 1, "one combined notice");
        const items = await notices.locator("li").allInnerTexts();
        assert.equal(items.length, 6);
        assert.ok(items.every((i) => /→/.test(i)), "each names what is used instead");
        assert.match(items.join("\n"), lang === "nl" ? /def=magic’ → standaard: Effectmeting/ : /def=magic’ → default: Effect measurement/);
        const search = await bad.page.evaluate(() => location.search);
        const expected = lang === "en" ? "?lang=en&seed=3" : "?seed=3";
        assert.equal(search, expected, "the cleaned link keeps the good parameters");
        const box = await notices.boundingBox();
        assert.ok(box.height < (size === "phone" ? 420 : 260), `the notice is compact (${box.height}px)`);
      } finally {
        await bad.close();
      }
    });
  }
}

// The smaller items.
test("exports keep the font, the title and the legend; the focus ring has 3:1; the workbench link; no half-empty intervals", async () => {
  const { page, close } = await open("nl", "desktop", "?naive=1");
  try {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('#duration [data-download="svg"]')]);
    const svg = readFileSync(await download.path(), "utf8");
    assert.match(svg, /<title>Figuur 3\.2/);
    assert.match(svg, /font-family="[^"]*(system-ui|sans-serif)/);
    assert.match(svg, /betalingsdoelen uit box 1/, "the legend is in the file");
    const [png] = await Promise.all([page.waitForEvent("download"), page.click('#duration [data-download="png"]')]);
    const bytes = readFileSync(await png.path());
    const height = bytes.readUInt32BE(20);
    const svgHeight = Number(/<svg[^>]*height="([\d.]+)"/.exec(svg)[1]);
    assert.equal(height, Math.round(svgHeight * 2), "the PNG has the title and legend too");
    // The colour of the page's :focus-visible outline, resolved by the browser.
    const ring = await page.evaluate(() => {
      const rule = [...document.styleSheets].flatMap((s) => [...s.cssRules]).find((r) => r.selectorText === ":focus-visible");
      const probe = document.createElement("span");
      probe.style.color = rule.style.outlineColor;
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    });
    const rgb = ring.match(/\d+/g).slice(0, 3).map(Number);
    const lum = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    const L = 0.2126 * lum(rgb[0]) + 0.7152 * lum(rgb[1]) + 0.0722 * lum(rgb[2]);
    assert.ok(1.05 / (L + 0.05) >= 3, `focus ring contrast ${(1.05 / (L + 0.05)).toFixed(2)}:1`);
    assert.equal(await page.getAttribute("#methods .workbench-link", "href"), "workbench.html");
    assert.doesNotMatch(await page.innerText("main"), /\d–—|—–\d/, "no interval with a dash for a bound");
    assert.match(await page.innerText("#duration .chart-note"), /28 maanden na de eerste ziektedag/);
  } finally {
    await close();
  }
});

// axe-core at both widths, both languages, with every disclosure open.
for (const lang of LANGS) {
  for (const size of Object.keys(SIZES)) {
    test(`axe-core: no serious or critical violation with every disclosure open (${lang}, ${size})`, async () => {
      const { page, close } = await open(lang, size, "naive=1", { bypassCSP: true });
      try {
        await openPanel(page);
        await page.evaluate(() => { for (const d of document.querySelectorAll("details")) d.open = true; });
        await page.waitForTimeout(150);
        await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8") });
        const violations = await page.evaluate(async () => (await window.axe.run()).violations);
        const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        writeFileSync(artifact(`axe-${lang}-${size}.json`), JSON.stringify(violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })), null, 1));
        assert.deepEqual(severe.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`), []);
      } finally {
        await close();
      }
    });
  }
}

// The bootstrap completes for every state the controls allow, and custom with no cause.
test("the bootstrap completes for every cohort × definition × unknown policy, and custom with no cause", async () => {
  const { page, url, consoleErrors, close } = await openReport(browser, "?reps=10");
  try {
    const values = (name) => page.$$eval(`input[name="${name}"]`, (inputs) => inputs.map((i) => i.value));
    const [cohorts, definitions, policies] = [await values("cohort"), await values("def"), await values("unknown")];
    const states = [];
    for (const cohort of cohorts) for (const def of definitions) for (const unknown of policies) states.push(`?reps=10&cohort=${cohort}&def=${def}&unknown=${unknown}`);
    states.push("?reps=10&def=custom&causes=");
    assert.ok(states.length >= 28, `${states.length} states`);
    const summary = [];
    for (const query of states) {
      await page.goto(url + query);
      await page.waitForSelector("body[data-ready=true]");
      await runBootstrap(page);
      const [value, max] = await page.evaluate(() => { const p = document.getElementById("bootstrap-progress"); return [p.value, p.max]; });
      assert.equal(value, max, `${query}: progress complete`);
      assert.equal(await page.locator('#bootstrap [data-bootstrap="error"], #bootstrap [data-bootstrap="unavailable"]').count(), 0, `${query}: ${await page.innerText("#bootstrap")}`);
      const rows = await page.locator("#bootstrap-result tbody tr").count();
      const left = await page.locator("#bootstrap .not-bootstrapped li").count();
      assert.ok(rows + left >= 1, `${query}: every statistic is shown or explained`);
      summary.push(`${query}\t${rows} computed\t${left} explained`);
    }
    writeFileSync(artifact("bootstrap-states.txt"), `${summary.join("\n")}\n`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
