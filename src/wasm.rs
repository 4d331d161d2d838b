//! The WebAssembly boundary: the analysis API for JavaScript.
//!
//! The only module that knows wasm-bindgen. Requests are plain JS objects (or JSON
//! text); responses are plain JS objects with `null` where the JSON has `null`.
//! Errors are thrown as a JS `Error` whose `message` is the English text and whose
//! `code` property is the stable code, the same as the CLI prints.

use crate::error::{Code, Error};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    // A panic is a bug; make it readable in the console rather than "unreachable".
    console_error_panic_hook::set_once();
}

/// Runs one analysis request; see docs/API.md for the request and response shapes.
#[wasm_bindgen]
pub fn analyse(request: JsValue) -> Result<JsValue, JsValue> {
    let value = to_json(request).map_err(to_js_error)?;
    if value.get("analysis").and_then(serde_json::Value::as_str) == Some("joining_forces") {
        return Err(to_js_error(Error::new(
            Code::UnknownAnalysis,
            "the WebAssembly module carries no report: prepare the report package with new Report(data, reconstruction) and ask report.view(state)",
        )));
    }
    let response = crate::analyse(value).map_err(to_js_error)?;
    to_js(&response).map_err(to_js_error)
}

/// The limits the engine enforces (replicates, seeds, groups, ...), so a page's inputs
/// take exactly what the engine accepts: see `sibstat_api::limits`.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsValue> {
    to_js(&crate::api::limits()).map_err(to_js_error)
}

/// Every error and warning code the engine can emit, `{errors, warnings}`.
#[wasm_bindgen]
pub fn codes() -> Result<JsValue, JsValue> {
    to_js(&crate::api::codes()).map_err(to_js_error)
}

/// The engine's version, for the report's "methods and data" section.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A JS object or JSON text as a JSON value. NaN and infinities become `null`, which
/// the validation reports as a non-finite value, as the CLI does for JSON's `null`.
/// JSON text is parsed by the browser's `JSON.parse` (exact for every double, as the
/// CLI's parser is), so the module carries no JSON parser of its own.
pub(crate) fn to_json(request: JsValue) -> Result<serde_json::Value, Error> {
    let request = match request.as_string() {
        Some(text) => js_sys::JSON::parse(&text).map_err(|e| {
            let reason = js_sys::Error::from(e).message();
            Error::new(
                Code::MalformedJson,
                format!("the request is not valid JSON: {}", String::from(reason)),
            )
        })?,
        None => request,
    };
    check_shape(&request, 0, &mut 0)?;
    serde_wasm_bindgen::from_value(request).map_err(|e| {
        Error::new(
            Code::InvalidType,
            format!("the request is not a plain object of JSON values: {e}"),
        )
    })
}

/// Deepest nesting of arrays and objects in a request, as serde_json's parser allows.
const MAX_DEPTH: usize = 128;
/// Most values (numbers, strings, arrays, objects) in a request object.
const MAX_VALUES: usize = 10_000_000;

/// Refuses a JS value nested deeper than [`MAX_DEPTH`] (a cyclic object is infinitely
/// deep) before serde_wasm_bindgen recurses into it: a deep enough value overflows the
/// module's stack and corrupts its memory, which leaves every later call failing with
/// "memory access out of bounds". Walks what serde_wasm_bindgen reads: arrays and other
/// iterables (Map, Set, typed arrays) by their items, objects by their own values.
fn check_shape(value: &JsValue, depth: usize, seen: &mut usize) -> Result<(), Error> {
    *seen += 1;
    if depth > MAX_DEPTH || *seen > MAX_VALUES {
        return Err(Error::new(
            Code::InvalidType,
            format!(
                "the request is nested deeper than {MAX_DEPTH} levels, refers to itself, or holds more than {MAX_VALUES} values: give plain JSON data"
            ),
        ));
    }
    if !value.is_object() {
        return Ok(());
    }
    if let Ok(Some(items)) = js_sys::try_iter(value) {
        for item in items {
            let item = item.map_err(|_| {
                Error::new(
                    Code::InvalidType,
                    "the request holds an iterable that fails",
                )
            })?;
            check_shape(&item, depth + 1, seen)?;
        }
    } else if !value.is_function() {
        for item in js_sys::Object::values(value.unchecked_ref()).iter() {
            check_shape(&item, depth + 1, seen)?;
        }
    }
    Ok(())
}

/// A response as a plain JS object (maps as objects, `None` as `null`): its JSON text
/// (the CLI's, keys in the same order) read by `JSON.parse`. Every double is written in
/// its shortest round-trip form, so `JSON.parse` gives back the same bits; going
/// through text keeps a second serialiser (into JS values) out of the module.
pub(crate) fn to_js(value: &serde_json::Value) -> Result<JsValue, Error> {
    js_sys::JSON::parse(&value.to_string()).map_err(|_| {
        Error::new(
            Code::InvalidType,
            "cannot return the response: its JSON text does not parse",
        )
    })
}

/// A coded error as a thrown JS `Error` with a `code` property.
pub(crate) fn to_js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    js.into()
}

/// A bootstrap run in chunks, for a Web Worker that reports progress and can stop:
///
/// ```js
/// const run = new BootstrapRun({analysis: "bootstrap", of, statistics, replicates, seed});
/// while (run.done < run.total) postMessage(run.run(100)); // {done, total}
/// const response = run.result(); // the same response as analyse(request)
/// run.free();
/// ```
///
/// Any chunking gives the numbers of one `analyse` call with the same request.
#[wasm_bindgen]
pub struct BootstrapRun {
    inner: crate::api::BootstrapRun,
}

#[wasm_bindgen]
impl BootstrapRun {
    /// Validates a bootstrap request (a JS object or JSON text) and prepares the run;
    /// throws the same coded errors as `analyse`.
    #[wasm_bindgen(constructor)]
    pub fn new(request: JsValue) -> Result<BootstrapRun, JsValue> {
        let value = to_json(request).map_err(to_js_error)?;
        match crate::api::Request::from_value(value).map_err(to_js_error)? {
            crate::api::Request::Bootstrap(r) => Ok(BootstrapRun {
                inner: r.start().map_err(to_js_error)?,
            }),
            _ => Err(to_js_error(Error::new(
                Code::InvalidOption,
                "BootstrapRun takes a request with \"analysis\": \"bootstrap\"; use analyse() for the others",
            ))),
        }
    }

    /// Draws the next `k` replicates (a whole number, at least 1) and returns the
    /// progress `{done, total}`; throws `invalid_bootstrap_state` for a bad `k` or a
    /// finished run.
    pub fn run(&mut self, k: f64) -> Result<JsValue, JsValue> {
        if !(k.is_finite() && k >= 1.0 && k.fract() == 0.0) {
            return Err(to_js_error(Error::new(
                Code::InvalidBootstrapState,
                format!("run({k}): give a whole number of replicates, at least 1"),
            )));
        }
        let progress = self.inner.run(k as u64).map_err(to_js_error)?;
        to_js(&crate::api::to_value(&progress).map_err(to_js_error)?).map_err(to_js_error)
    }

    /// Replicates drawn so far.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> f64 {
        self.inner.progress().done as f64
    }

    /// Replicates requested.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> f64 {
        self.inner.progress().total as f64
    }

    /// The response, once every replicate is drawn; throws `invalid_bootstrap_state`
    /// before.
    pub fn result(&self) -> Result<JsValue, JsValue> {
        let response = self.inner.result().map_err(to_js_error)?;
        to_js(&response).map_err(to_js_error)
    }
}

/// A report package prepared once, answering each view state of the page:
///
/// ```js
/// const report = new Report(data, reconstruction); // the package's two files (objects or JSON text)
/// report.package();               // cohorts, causes, definitions and labels for the controls
/// report.view({definition: "result", unknown: "exclude", cohort: "2", conf_level: 0.95});
/// report.fixed_parts();           // the parts every view shares, once ...
/// report.view_only_json({cohort: "2"}); // ... and each view without them, as JSON text
/// report.free();
/// ```
///
/// The constructor validates the files (`invalid_data_file` naming the path of a bad
/// entry), reconstructs figure 3.2 and reconciles the printed numbers; `view` answers a
/// state from that (a toggle never parses or fits again), with the same response as the
/// CLI's `sibstat report`.
#[wasm_bindgen]
pub struct Report {
    inner: sibstat_report::PreparedReport,
}

#[wasm_bindgen]
impl Report {
    /// Prepares a package from its data file and its second file (reconstruction
    /// assumptions, or the duration rows of a package published from microdata).
    #[wasm_bindgen(constructor)]
    pub fn new(data: JsValue, reconstruction: JsValue) -> Result<Report, JsValue> {
        let data = to_json(data).map_err(to_js_error)?;
        let reconstruction = to_json(reconstruction).map_err(to_js_error)?;
        let dataset = sibstat_report::Dataset::from_value(&data).map_err(to_js_error)?;
        // The second file: reconstruction assumptions, or published duration rows.
        let inner = sibstat_report::PreparedReport::with_second_file(dataset, &reconstruction)
            .map_err(to_js_error)?;
        Ok(Report { inner })
    }

    /// The package's cohorts, causes, definitions and labels.
    pub fn package(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.package()).map_err(to_js_error)
    }

    /// The response for a view state `{definition?, success_causes?, unknown?, cohort?,
    /// conf_level?}`; throws a coded error for a bad state.
    pub fn view(&self, state: JsValue) -> Result<JsValue, JsValue> {
        let state = to_json(state).map_err(to_js_error)?;
        let response = self.inner.view(&state).map_err(to_js_error)?;
        to_js(&response).map_err(to_js_error)
    }

    /// The parts of every view's response that are the same for every view state, keyed
    /// by their place in the response (`"duration.reconstruction"`): a page asks for
    /// them once and then each view with `view_only_json`.
    pub fn fixed_parts(&self) -> Result<JsValue, JsValue> {
        let parts = serde_json::Value::Object(self.inner.fixed_parts().clone());
        to_js(&parts).map_err(to_js_error)
    }

    /// The response for a view state without its fixed parts, as JSON text (the CLI's,
    /// keys in the same order): a worker posts it on without building an object the
    /// page would parse again, and `JSON.parse` gives back the same doubles. Each fixed
    /// part goes back at its place where the response has that section (no
    /// `duration`, no `duration.reconstruction`); throws a coded error for a bad state.
    pub fn view_only_json(&self, state: JsValue) -> Result<String, JsValue> {
        let state = to_json(state).map_err(to_js_error)?;
        let response = self.inner.view_only(&state).map_err(to_js_error)?;
        Ok(response.to_string())
    }
}
