// The state box's printed link: whole for a served page, without the reader's path
// for the offline file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shownUrl } from "../../www/js/state-box.js";

test("a served link prints whole; a file link prints the file's name and the view only", () => {
  assert.equal(shownUrl("https://example.org/report/?def=result&seed=7"), "https://example.org/report/?def=result&seed=7");
  assert.equal(shownUrl("file:///home/jan/USB%20stick/sibstat-report.html?def=custom&cohort=1"), "sibstat-report.html?def=custom&cohort=1");
  assert.equal(shownUrl("file:///C:/Users/jan/sibstat-report.html#duration"), "sibstat-report.html#duration");
  assert.equal(shownUrl("not a url"), "not a url");
});
