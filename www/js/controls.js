// The control panel: success definition (with a checkbox per outflow cause), unknown
// causes, cohort, language, and the options. It shows a state and reports changes as
// new states; main.js owns the state and the URL.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { causeLabelOf, choicesOf, columnLabel, currentPackage, definitionHintOf, definitionLabelOf, successCausesOf } from "./package.js";
import { BOOTSTRAP_INTERVALS, CONF_LEVELS, MAX_REPLICATES } from "./state.js";

/** The causes that count as success under a state (what the checkboxes show). */
export function successCauses(state) {
  return successCausesOf(currentPackage(), state);
}

/** A choice's text: the package's label for definitions and cohorts, else the page's. */
function choiceText(lang, name, value) {
  if (name === "def") return definitionLabelOf(lang, value) ?? t(lang, `def.${value}`);
  if (name === "cohort") return columnLabel(lang, value);
  return t(lang, `${name}.${value}`);
}

function choiceHint(lang, name, value) {
  return (name === "def" ? definitionHintOf(lang, value) : undefined) ?? t(lang, `${name}.${value}.hint`);
}

function radios(lang, name, legend, options, current, onChange, { hints = false, className = "" } = {}) {
  return h(
    "fieldset",
    { class: `control control-${name} ${className}`.trim() },
    h("legend", {}, legend),
    options.map((value) => {
      const id = `${name}-${value}`;
      return h(
        "label",
        { for: id, class: "choice" },
        h("input", { type: "radio", id, name, value, checked: value === current, onchange: () => onChange(value) }),
        h("span", { class: "choice-text" }, choiceText(lang, name, value), hints ? h("span", { class: "hint" }, choiceHint(lang, name, value)) : null),
      );
    }),
  );
}

/**
 * Draws the panel for `state` into `root`. `update(patch)` is called with the changed
 * keys. Keyboard focus is restored by element id after a redraw (language change).
 */
export function drawControls(root, state, lang, update) {
  const focused = document.activeElement?.id;
  const choices = choicesOf(currentPackage());
  const KNOWN_CAUSES = choices.causes;
  const succeed = new Set(successCauses(state));
  const causeBoxes = h(
    "fieldset",
    { class: "control causes", id: "causes" },
    h("legend", {}, t(lang, "controls.causes")),
    KNOWN_CAUSES.map((cause) => {
      const id = `cause-${cause}`;
      return h(
        "label",
        { for: id, class: "choice cause-choice" },
        h("input", {
          type: "checkbox",
          id,
          value: cause,
          checked: succeed.has(cause),
          onchange: (event) => {
            const next = new Set(successCauses(state));
            if (event.target.checked) next.add(cause);
            else next.delete(cause);
            update({ def: "custom", causes: KNOWN_CAUSES.filter((c) => next.has(c)) });
          },
        }),
        h("span", { class: "choice-text" }, causeLabelOf(lang, cause)),
      );
    }),
  );
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
    integerInput("reps", t(lang, "controls.reps"), "reps", 1, MAX_REPLICATES),
    integerInput("seed", t(lang, "controls.seed"), "seed", 0, 2 ** 32 - 1),
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
  root.replaceChildren(
    h("h2", { class: "controls-title" }, t(lang, "controls.title")),
    h(
      "div",
      { class: "controls-grid" },
      h("div", { class: "control-group" }, radios(lang, "def", t(lang, "controls.definition"), choices.definitions, state.def, (def) => update({ def }), { hints: true }), causeBoxes),
      h(
        "div",
        { class: "control-group" },
        radios(lang, "unknown", t(lang, "controls.unknown"), ["exclude", "success", "failure"], state.unknown, (unknown) => update({ unknown })),
        radios(lang, "cohort", t(lang, "controls.cohort"), choices.cohorts, state.cohort, (cohort) => update({ cohort })),
      ),
      h("div", { class: "control-group" }, lang_, options, copy),
    ),
  );
  if (focused) document.getElementById(focused)?.focus();
}
