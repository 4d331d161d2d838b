#!/usr/bin/env bash
# sibstat's one entry point for building, testing, serving and benchmarking.
#   ./build.sh setup   install what is missing on a fresh Debian machine (idempotent)
#   ./build.sh build   native CLI + WebAssembly package + the page's assets + dist/site/
#   ./build.sh bundle [--data DIR]  build, then the offline files dist/sibstat-report.html
#                      (of the report package in DIR instead of data/) and
#                      dist/sibstat-workbench.html
#   ./build.sh test    fmt, clippy, cargo tests, WASM tests and browser tests
#   ./build.sh serve   build, then serve dist/site/ on http://127.0.0.1:8080
#   ./build.sh bench   benchmarks, written to bench-results/
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# wasm-bindgen-test-runner gives chromedriver 5 s to bind its port by default, then
# kills it ("driver failed to bind port during startup", seen once on a fresh clone).
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60
export CHROMIUM=/usr/bin/chromium

log() { printf '\n==> %s\n' "$*"; }

# The wasm-bindgen CLI must match the wasm-bindgen crate exactly; read it from the lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup() {
  local apt_missing=()
  # poppler-utils: pdftotext, pdfinfo and pdfimages read the printed PDF in the tests.
  for package in chromium chromium-driver nodejs npm poppler-utils; do
    dpkg -s "$package" >/dev/null 2>&1 || apt_missing+=("$package")
  done
  # node and npm may come from elsewhere than Debian (as on the development machines).
  if command -v node >/dev/null && command -v npm >/dev/null; then
    apt_missing=("${apt_missing[@]/nodejs/}")
    apt_missing=("${apt_missing[@]/npm/}")
  fi
  local wanted=()
  for package in "${apt_missing[@]}"; do [ -n "$package" ] && wanted+=("$package"); done
  if [ ${#wanted[@]} -gt 0 ]; then
    log "apt-get install ${wanted[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}" >/dev/null
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! command -v wasm-pack >/dev/null; then
    log "cargo install wasm-pack (about 3 minutes)"
    cargo install wasm-pack --locked
  fi
  local version
  version=$(wasm_bindgen_version)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
    log "cargo install wasm-bindgen-cli $version (about 7 minutes)"
    # Not --locked: its lockfile pins a webpki-roots release the registry mirror lacks.
    cargo install wasm-bindgen-cli --version "$version"
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build() {
  setup
  log "cargo build --release (native CLI)"
  cargo build --release --locked
  log "wasm-pack build --target web"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
    wasm-pack --quiet build --target web --release --out-dir pkg --no-typescript --no-pack
  # wasm-opt from npm's binaryen (pinned in package-lock.json): Debian 12's binaryen 108
  # turns wasm-bindgen's externref table into a funcref table, which breaks the module
  # at load; wasm-pack's own wasm-opt would be a download. Features are detected from
  # the module, so nothing Chromium lacks is enabled.
  # --strip-producers drops the toolchain names (--converge was measured: 0.4 % smaller
  # gzip for twice the time, left out).
  # The module with its function names, for scripts/wasm-size.mjs (where the bytes go).
  cp pkg/sibstat_bg.wasm target/sibstat_bg.names.wasm
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers pkg/sibstat_bg.wasm -o pkg/sibstat_bg.wasm
  log "page assets"
  mkdir -p www/pkg www/vendor
  cp pkg/sibstat.js pkg/sibstat_bg.wasm www/pkg/
  # The full d3 and Plot builds, for pages that use d3 itself.
  cp node_modules/d3/dist/d3.min.js node_modules/@observablehq/plot/dist/plot.umd.min.js www/vendor/
  # The report: Observable Plot's functions the pages call, with the parts of d3 they
  # use, as one classic script defining the global Plot (the report uses no d3 itself).
  node scripts/vendor-plot.mjs www www/vendor/plot.js
  # The workbench reads CSV/TSV files and spreadsheet pastes with Papa Parse.
  cp node_modules/papaparse/papaparse.min.js www/vendor/
  # The report package is data the page loads (never compiled into the engine).
  mkdir -p www/data
  cp data/joining_forces.json data/reconstruction.json www/data/
  # The default view drawn by the page's own code in headless Chromium, for the pages
  # the site and the offline file serve (www/index.html stays the source).
  log "prerender (scripts/prerender.mjs)"
  node scripts/prerender.mjs www dist/prerender.json
  # The deployable site: hashed names, precompressed copies, the CSP (scripts/site.mjs).
  log "static site dist/site/ (scripts/site.mjs)"
  node scripts/site.mjs www dist/site --prerender dist/prerender.json
}

# The offline briefing file: one HTML file with everything inlined (scripts/bundle.mjs).
bundle_page() {
  log "offline files (scripts/bundle.mjs)"
  # Without the prerendered view (the site's page has it): it would take the file from
  # 933 to 1061 KiB, past the offline file's 1 MB (README, "How the page loads").
  node scripts/bundle.mjs www dist/sibstat-report.html index.html "$@"
  node scripts/bundle.mjs www dist/sibstat-workbench.html workbench.html
}

run_tests() {
  setup
  log "cargo fmt --check"
  cargo fmt --all -- --check
  log "cargo clippy -D warnings (native and wasm32)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings
  log "cargo test"
  cargo test --workspace --locked
  build
  bundle_page
  log "WASM tests in headless Chromium (wasm-pack test)"
  wasm-pack test --headless --chrome --release -- --test wasm
  log "browser tests (playwright-core, headless Chromium)"
  mkdir -p test-artifacts
  node --test --test-concurrency=1 tests/e2e/
}

serve() {
  build
  exec node scripts/serve.mjs dist/site 8080
}

# The W4/W5 tight-loop floor (benches/floor) compiled to wasm32, loaded raw by
# scripts/bench-browser.mjs.
build_floor() {
  CARGO_TARGET_DIR="$ROOT/target/floor" cargo build --quiet --locked --release \
    --manifest-path benches/floor/Cargo.toml --target wasm32-unknown-unknown
}

# One side-by-side table per run (bench-results/latest.md): every producer prints
# `BENCH {json}` lines into bench-results/raw.txt (or says what it skipped); the page's
# and the offline file's scripts print their own lines, appended as they are.
bench() {
  build
  bundle_page
  mkdir -p bench-results
  log "floor (benches/floor, wasm32)"
  build_floor
  local raw=bench-results/raw.txt other=bench-results/other.txt
  : >"$raw"
  : >"$other"
  log "native (benches/engine.rs)"
  cargo bench --locked --quiet --bench engine | tee -a "$raw"
  log "Chromium (scripts/bench-browser.mjs)"
  node scripts/bench-browser.mjs | tee -a "$raw"
  log "references (R, Python)"
  if command -v Rscript >/dev/null; then
    Rscript scripts/bench-r.R benches/data | tee -a "$raw"
  else
    echo 'BENCH {"table":"skipped","row":"R survival/boot","note":"Rscript not installed"}' | tee -a "$raw"
  fi
  if command -v python3 >/dev/null; then
    python3 scripts/bench-python.py benches/data | tee -a "$raw"
  else
    echo 'BENCH {"table":"skipped","row":"numpy, lifelines","note":"python3 not installed"}' | tee -a "$raw"
  fi
  log "page and offline file"
  node scripts/bench-report.mjs | tee -a "$other"
  node scripts/bench-bundle.mjs | tee -a "$other"
  log "table (bench-results/latest.md)"
  node scripts/bench-table.mjs "$raw" --lines "$other" | tee bench-results/latest.md
}

case "${1:-}" in
  setup) setup ;;
  build) build ;;
  bundle)
    shift
    build
    bundle_page "$@"
    ;;
  test) run_tests ;;
  serve) serve ;;
  bench) bench ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
