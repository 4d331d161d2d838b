// Runs in <head> before the body is parsed (a classic script, blocking, a few lines:
// the policy allows no inline script). The served page carries the default view drawn
// at build time (scripts/prerender.mjs; its parts marked data-prerendered). A URL with a
// query may ask for another view or language: those parts are hidden before the first
// paint (style.css) until the page's script has checked or drawn each of them, so the
// prerendered view never shows as if it were the one asked for.
//
// Until the page's script has taken the controls over, the reader's changes to them
// are kept (window.sibstatEarlyInputs) and carried out then (main.js).
(function () {
  if (location.search.length > 1) document.documentElement.setAttribute("data-prerender", "hidden");
  var early = [];
  window.sibstatEarlyInputs = early;
  document.addEventListener(
    "change",
    function (event) {
      var input = event.target;
      if (!input || !input.id || !input.closest || !input.closest("#controls[data-prerendered]")) return;
      early.push({ id: input.id, checked: input.checked, value: input.value });
    },
    true,
  );
})();
