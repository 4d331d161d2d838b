// The workbench's state in the link: the analysis and its options in the query
// (?analysis=kaplan_meier&conf_level=0.9&col.time=tijd…), the data in the fragment
// (#data=…, deflate-raw compressed, base64url), which browsers never send to a server.
// A table too large for a link is kept in this browser's localStorage instead.

export const ANALYSES = ["kaplan_meier", "cumulative_incidence", "logrank", "life_table", "proportion", "logit", "summary", "bootstrap", "guyot"];
export const BOOTSTRAPPABLE = ["kaplan_meier", "cumulative_incidence", "logit", "proportion", "summary"];

export const DEFAULT_OPTIONS = {
  conf_level: "0.95",
  conf_type: "",
  variance: "survfit",
  breaks: "",
  method: "wilson",
  null: "",
  row: "1",
  margins: "average",
  terms: "",
  binary: "",
  of: "kaplan_meier",
  statistics: "",
  replicates: "2000",
  seed: "1",
  boot_strata: "",
  total_events: "",
};

/** The state a link describes: {lang, analysis, options, reference, mapping, covariates}. */
export function stateFromUrl(href) {
  const url = new URL(href);
  const q = url.searchParams;
  const analysis = ANALYSES.includes(q.get("analysis")) ? q.get("analysis") : "kaplan_meier";
  const options = { ...DEFAULT_OPTIONS };
  for (const key of Object.keys(DEFAULT_OPTIONS)) if (q.has(key)) options[key] = q.get(key);
  if (!BOOTSTRAPPABLE.includes(options.of)) options.of = DEFAULT_OPTIONS.of;
  const reference = {};
  const mapping = {};
  for (const [key, value] of q) {
    if (key.startsWith("ref.")) reference[key.slice(4)] = value;
    if (key.startsWith("col.")) mapping[key.slice(4)] = value;
  }
  const covariates = q.has("covariates") ? q.get("covariates").split(",").filter(Boolean) : null;
  return { lang: q.get("lang") === "en" ? "en" : "nl", analysis, options, reference, mapping, covariates, example: q.get("example") };
}

/** The query of a state: only what differs from the defaults, so links stay short. */
export function queryOf(state) {
  const q = new URLSearchParams();
  if (state.lang !== "nl") q.set("lang", state.lang);
  q.set("analysis", state.analysis);
  for (const [key, value] of Object.entries(state.options)) if (value !== DEFAULT_OPTIONS[key]) q.set(key, value);
  for (const [name, level] of Object.entries(state.reference)) if (level) q.set(`ref.${name}`, level);
  for (const [role, column] of Object.entries(state.mapping)) q.set(`col.${role}`, column);
  if (state.covariates) q.set("covariates", state.covariates.join(","));
  return q.toString();
}

// --- The data in the fragment -------------------------------------------------------

/** Fragments longer than this keep the data in localStorage instead (links stay usable). */
export const FRAGMENT_LIMIT = 6000;
const STORAGE_KEY = "sibstat-workbench:data";

const toBase64Url = (bytes) => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};
const fromBase64Url = (text) => {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function compress(text) {
  return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw")));
}

export async function decompress(encoded) {
  return new TextDecoder().decode(await pipe(fromBase64Url(encoded), new DecompressionStream("deflate-raw")));
}

/**
 * Where the data go: {fragment, stored} — "#data=…" when it fits a link, else
 * "#data=local" with the text in localStorage (stored: "local").
 */
export async function dataFragment(csv) {
  if (!csv) return { fragment: "", stored: null };
  const encoded = await compress(csv);
  if (encoded.length <= FRAGMENT_LIMIT) return { fragment: `#data=${encoded}`, stored: "url" };
  try {
    localStorage.setItem(STORAGE_KEY, csv);
  } catch {
    // Storage full or forbidden (a file:// page in some browsers): the table stays in the page only.
  }
  return { fragment: "#data=local", stored: "local" };
}

/** The CSV text a fragment carries: {csv, stored} or {missing: true}. Throws on a damaged link. */
export async function dataFromFragment(hash) {
  const m = /^#data=(.+)$/.exec(hash ?? "");
  if (!m) return { csv: null };
  if (m[1] === "local") {
    let csv = null;
    try {
      csv = localStorage.getItem(STORAGE_KEY);
    } catch {
      csv = null;
    }
    return csv ? { csv, stored: "local" } : { csv: null, missing: true };
  }
  return { csv: await decompress(m[1]), stored: "url" };
}
