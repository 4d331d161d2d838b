// The control panel: success definition (with a checkbox per outflow cause), unknown
// causes, cohort, language, and the options. It shows a state and reports changes as
// new states; main.js owns the state and the URL.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { choicesOf, currentPackage, definitionHintOf, definitionLabelOf, successCausesOf } from "./package.js";
import { engineLimits } from "./limits.js";
import { causeLabel, cohortChoices } from "./sections/common.js";
import { BOOTSTRAP_INTERVALS, CONF_LEVELS } from "./state.js";

// Whether the panel is open on a small screen (where it folds away; see style.css).
let open = false;

/** The causes that count as success under a state (what the checkboxes show). */
export function successCauses(state) {
  return successCausesOf(currentPackage(), state);
}

/** The causes a definition can place, from the report package (the unknown cause has its own policy). */
function placeableCauses() {
  return choicesOf(currentPackage()).causes.map((id) => ({ id }));
}

/** The definitions to choose from: the package's, then the reader's own. */
function definitions(lang) {
  return choicesOf(currentPackage()).definitions.map((id) => ({ id, label: definitionLabelOf(lang, id) ?? t(lang, `def.${id}`), hint: definitionHintOf(lang, id) ?? t(lang, `def.${id}.hint`) }));
}

function radios(name, legend, options, current, onChange) {
  return h(
    "fieldset",
    { class: `control control-${name}` },
    h("legend", {}, legend),
    options.map(({ value, label, hint }) => {
      const id = `${name}-${value}`;
      return h(
        "label",
        { for: id, class: "choice" },
        h("input", { type: "radio", id, name, value, checked: value === current, onchange: () => onChange(value) }),
        h("span", { class: "choice-text" }, label, hint ? h("span", { class: "hint" }, hint) : null),
      );
    }),
  );
}

/**
 * Draws the panel for `state` into `root`. `update(patch)` is called with the changed
 * keys. Keyboard focus is restored by element id after a redraw (language change).
 * The cohorts, causes and labels are the report package's (package.js).
 */
export function drawControls(root, state, lang, update) {
  const focused = document.activeElement?.id;
  const succeed = new Set(successCauses(state));
  const causes = placeableCauses();
  const noCause = state.def === "custom" && state.causes.length === 0;
  const causeBoxes = h(
    "fieldset",
    { class: "control causes", id: "causes", "aria-describedby": noCause ? "no-cause" : null },
    h("legend", {}, t(lang, "controls.causes")),
    causes.map((cause) => {
      const id = `cause-${cause.id}`;
      return h(
        "label",
        { for: id, class: "choice cause-choice" },
        h("input", {
          type: "checkbox",
          id,
          value: cause.id,
          checked: succeed.has(cause.id),
          onchange: (event) => {
            const next = new Set(successCauses(state));
            if (event.target.checked) next.add(cause.id);
            else next.delete(cause.id);
            update({ def: "custom", causes: causes.map((c) => c.id).filter((c) => next.has(c)) });
          },
        }),
        h("span", { class: "choice-text" }, causeLabel(lang, cause)),
      );
    }),
    noCause ? h("p", { id: "no-cause", class: "field-error", role: "alert" }, t(lang, "controls.no_cause")) : null,
  );
  const cohortOptions = cohortChoices(lang).map((c) => ({ value: c.key, label: c.label }));
  const lang_ = h(
    "fieldset",
    { class: "control control-lang" },
    h("legend", {}, t(lang, "controls.language")),
    [
      ["nl", "Nederlands"],
      ["en", "English"],
    ].map(([value, label]) =>
      h("label", { for: `lang-${value}`, class: "choice", lang: value }, h("input", { type: "radio", id: `lang-${value}`, name: "lang", value, checked: value === state.lang, onchange: () => update({ lang: value }) }), h("span", { class: "choice-text" }, label)),
    ),
  );
  const select = (id, label, values, current, text, key, parse) =>
    h(
      "label",
      { for: id, class: "option" },
      h("span", {}, label),
      h("select", { id, onchange: (event) => update({ [key]: parse(event.target.value) }) }, values.map((v) => h("option", { value: String(v), selected: v === current }, text(v)))),
    );
  const integerInput = (id, label, key, min, max) =>
    h(
      "label",
      { for: id, class: "option" },
      h("span", {}, label),
      h("input", {
        id,
        type: "number",
        inputmode: "numeric",
        min,
        max,
        step: 1,
        value: state[key],
        onchange: (event) => {
          const n = Number(event.target.value);
          if (Number.isSafeInteger(n) && n >= min && n <= max) update({ [key]: n });
          else event.target.value = state[key];
        },
      }),
    );
  const options = h(
    "details",
    { class: "control options", id: "options", open: root.querySelector("#options")?.open ?? false },
    h("summary", {}, t(lang, "controls.options")),
    select("level", t(lang, "controls.level"), CONF_LEVELS, state.level, (v) => `${Math.round(v * 100)}%`, "level", Number),
    h("label", { for: "naive", class: "option option-check" }, h("input", { type: "checkbox", id: "naive", checked: state.naive, onchange: (e) => update({ naive: e.target.checked }) }), h("span", {}, t(lang, "controls.naive"))),
    select("ci", t(lang, "controls.ci"), BOOTSTRAP_INTERVALS, state.ci, (v) => t(lang, `ci.${v}`), "ci", String),
    integerInput("reps", t(lang, "controls.reps"), "reps", 1, engineLimits().max_replicates),
    integerInput("seed", t(lang, "controls.seed"), "seed", 0, engineLimits().max_seed),
  );
  const copy = h(
    "button",
    {
      type: "button",
      id: "copy-link",
      class: "copy-link",
      onclick: async (event) => {
        try {
          await navigator.clipboard.writeText(location.href);
          event.target.textContent = t(lang, "controls.copied");
        } catch {
          event.target.textContent = location.href;
        }
      },
    },
    t(lang, "controls.copy"),
  );
  const definitionName = definitions(lang).find((d) => d.id === state.def)?.label ?? state.def;
  const cohortName = cohortOptions.find((c) => c.value === state.cohort)?.label ?? state.cohort;
  // On a small screen the panel folds to this one line (style.css shows it below 60rem).
  const toggle = h(
    "button",
    {
      type: "button",
      id: "controls-toggle",
      class: "controls-toggle",
      "aria-expanded": String(open),
      "aria-controls": "controls-body",
      onclick: () => {
        open = !open;
        root.classList.toggle("open", open);
        toggle.setAttribute("aria-expanded", String(open));
      },
    },
    h("span", { class: "controls-toggle-label" }, t(lang, "controls.show")),
    h("span", { class: "controls-current" }, t(lang, "controls.summary", { definition: definitionName, cohort: cohortName })),
  );
  root.classList.toggle("open", open);
  root.replaceChildren(
    toggle,
    h("h2", { class: "controls-title" }, t(lang, "controls.title")),
    h(
      "div",
      { class: "controls-grid", id: "controls-body" },
      h("div", { class: "control-group" }, radios("def", t(lang, "controls.definition"), definitions(lang).map((d) => ({ value: d.id, label: d.label, hint: d.hint })), state.def, (def) => update({ def })), causeBoxes),
      h(
        "div",
        { class: "control-group" },
        radios("unknown", t(lang, "controls.unknown"), ["exclude", "success", "failure"].map((value) => ({ value, label: t(lang, `unknown.${value}`) })), state.unknown, (unknown) => update({ unknown })),
        radios("cohort", t(lang, "controls.cohort"), cohortOptions, state.cohort, (cohort) => update({ cohort })),
      ),
      h("div", { class: "control-group" }, lang_, options, copy),
    ),
  );
  if (focused) document.getElementById(focused)?.focus();
}
