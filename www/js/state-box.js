// The state box: the exact view a printout or a PDF shows, so that a number on paper
// can be traced back to its definition and reopened. Printed on the first page (see
// print.css); on screen it is the "link to this view".
//
//   renderStateBox(container, { definition, unknown, cohort, seed, version, url, lang, human? })
//
// Values are shown as given (text, never HTML) next to their URL codes; labels are in
// Dutch or English. Each value is also in `data-state-<key>` on the box, for tests.

const LABELS = {
  en: {
    title: "This view",
    definition: "Success definition",
    unknown: "Unknown cause of outflow",
    cohort: "Cohort",
    seed: "Bootstrap seed",
    version: "Engine version",
    url: "Link to this view",
    values: {
      definition: { effect: "effect measurement", result: "result measurement", custom: "custom" },
      unknown: { exclude: "excluded", success: "counted as success", failure: "counted as failure" },
      cohort: { all: "both cohorts", 1: "cohort 1", 2: "cohort 2" },
    },
  },
  nl: {
    title: "Deze weergave",
    definition: "Succesdefinitie",
    unknown: "Onbekende reden van uitstroom",
    cohort: "Cohort",
    seed: "Bootstrap-seed",
    version: "Versie van de rekenkern",
    url: "Link naar deze weergave",
    values: {
      definition: { effect: "effectmeting", result: "resultaatmeting", custom: "eigen definitie" },
      unknown: { exclude: "buiten beschouwing", success: "geteld als succes", failure: "geteld als geen succes" },
      cohort: { all: "beide cohorten", 1: "cohort 1", 2: "cohort 2" },
    },
  },
};

const KEYS = ["definition", "unknown", "cohort", "seed", "version"];
const URL_PARAM = { definition: "def", unknown: "unknown", cohort: "cohort", seed: "seed" };

/**
 * The link as printed. The offline file's own address is a path on the reader's disk
 * (often with a user name in it), which a handout should not carry: for `file:` only
 * the file's name and the view's query are shown. The link itself stays whole.
 */
export function shownUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "file:") return url;
    return decodeURIComponent(parsed.pathname.split("/").pop()) + parsed.search + parsed.hash;
  } catch {
    return url;
  }
}

/** Fills `container` with the state box and returns it. */
export function renderStateBox(container, state) {
  const labels = LABELS[state.lang] ?? LABELS.en;
  container.classList.add("state-box");
  container.setAttribute("aria-label", labels.title);
  const heading = document.createElement("h2");
  heading.textContent = labels.title;
  const list = document.createElement("dl");
  for (const key of KEYS) {
    const value = state[key];
    if (value === undefined || value === null) continue;
    const dt = document.createElement("dt");
    dt.textContent = labels[key];
    const dd = document.createElement("dd");
    // The report package's label where the box has none of its own (a third cohort).
    const human = labels.values[key]?.[value] ?? state.human?.[key];
    const code = URL_PARAM[key] ? `${URL_PARAM[key]}=${value}` : String(value);
    dd.textContent = human ? `${human} (${code})` : code;
    container.dataset[`state${key[0].toUpperCase()}${key.slice(1)}`] = String(value);
    list.append(dt, dd);
  }
  if (state.url) {
    const dt = document.createElement("dt");
    dt.textContent = labels.url;
    const dd = document.createElement("dd");
    const link = document.createElement("a");
    link.href = state.url;
    link.textContent = shownUrl(state.url);
    link.className = "state-url";
    dd.append(link);
    container.dataset.stateUrl = state.url;
    list.append(dt, dd);
  }
  container.replaceChildren(heading, list);
  return container;
}
