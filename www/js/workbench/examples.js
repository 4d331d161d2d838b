// The examples one click away (www/examples/, see its README): each fetch names its file
// literally, so the offline file can inline it (scripts/bundle.mjs).
export const EXAMPLES = {
  aml: { analysis: "kaplan_meier", load: () => fetch(new URL("../../examples/aml.csv", import.meta.url)) },
  lung: { analysis: "kaplan_meier", load: () => fetch(new URL("../../examples/lung.csv", import.meta.url)) },
  veteran: { analysis: "logrank", load: () => fetch(new URL("../../examples/veteran.csv", import.meta.url)) },
  ucb: { analysis: "logit", load: () => fetch(new URL("../../examples/ucb-admissions.csv", import.meta.url)) },
  digitised: { analysis: "guyot", load: () => fetch(new URL("../../examples/aml-digitised.csv", import.meta.url)) },
};

/** The example's CSV text. */
export async function exampleText(name) {
  const response = await EXAMPLES[name].load();
  return response.text();
}
