// Where the bytes of a WebAssembly module go: its size raw, gzip and brotli; its
// sections; and, when the module has a name section, its code by crate and its largest
// functions. `./build.sh build` keeps the module as wasm-bindgen wrote it, names
// included, in target/sibstat_bg.names.wasm (before wasm-opt strips the names); the
// shipped module's layout with names is wasm-opt's output with -g:
//   node_modules/.bin/wasm-opt -Oz -g target/sibstat_bg.names.wasm -o target/opt.names.wasm
//   node scripts/wasm-size.mjs target/opt.names.wasm [top functions, default 25]
//   node scripts/wasm-size.mjs www/pkg/sibstat_bg.wasm     (sizes and sections only)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count", "tag"];

/** Sizes of `bytes`: raw, gzip -9 and brotli quality 11 (as scripts/site.mjs writes them). */
export function compressedSizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

/** Sections and function bodies (with names when the module has them). */
export function analyseModule(bytes) {
  let at = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const name = () => {
    const length = leb();
    const text = bytes.subarray(at, at + length).toString("utf8");
    at += length;
    return text;
  };
  const sections = [];
  const names = new Map();
  let importedFunctions = 0;
  let code = null;
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    let label = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      label = `custom "${name()}"`;
      if (label === 'custom "name"') {
        while (at < end) {
          const sub = bytes[at++];
          const subEnd = leb() + at;
          if (sub === 1) for (let i = leb(); i > 0; i--) names.set(leb(), name());
          at = subEnd;
        }
      }
    } else if (id === 2) {
      for (let i = leb(); i > 0; i--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) {
          importedFunctions++;
          leb();
        } else if (kind === 1) {
          at++;
          if (leb() & 1) leb();
          leb();
        } else if (kind === 2) {
          if (leb() & 1) leb();
          leb();
        } else if (kind === 3) at += 2;
        else leb();
      }
    } else if (id === 10) code = at;
    sections.push({ name: label, size });
    at = end;
  }
  const functions = [];
  if (code !== null) {
    at = code;
    for (let i = 0, count = leb(); i < count; i++) {
      const size = leb();
      const index = importedFunctions + i;
      functions.push({ name: names.get(index) ?? `function ${index}`, size });
      at += size;
    }
  }
  return { sections, functions, named: names.size > 0 };
}

/** The crate a (demangled) function name belongs to: its first path segment. */
export function crateOf(name) {
  // Drop glue belongs to the type it drops.
  const dropped = name.match(/^core(?:\[[0-9a-f]+\])?::ptr::drop_in_place<(?:&(?:mut )?)?(?:alloc::[a-z_:]+<)*([a-z_][a-z0-9_]*)::/);
  if (dropped) return dropped[1];
  const implFor = name.match(/^<(?:&(?:mut )?)?([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  const plain = name.match(/^([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  const implOf = name.match(/^<impl [^>]* for (?:&(?:mut )?)?([a-z_][a-z0-9_]*)::/);
  // wasm-bindgen's export shims carry the exported name, and whatever LTO inlined.
  if (/^[a-z_][a-z0-9_]*( externref shim| multivalue shim)*$/.test(name)) return "(exports, with the code inlined into them)";
  return (implFor ?? plain ?? implOf)?.[1] ?? "(generic or unnamed)";
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? "target/sibstat_bg.names.wasm";
  const top = Number(process.argv[3] ?? 25);
  const bytes = readFileSync(file);
  const { raw, gzip, brotli } = compressedSizes(bytes);
  const percent = (n) => `${((100 * n) / raw).toFixed(1)} %`;
  console.log(`${file}: ${raw} bytes raw, ${gzip} gzip, ${brotli} brotli\n`);
  console.log("| section | bytes | share |\n| --- | ---: | ---: |");
  for (const s of [...analyseModule(bytes).sections].sort((a, b) => b.size - a.size).filter((s) => s.size > 1000)) console.log(`| ${s.name} | ${s.size} | ${percent(s.size)} |`);
  const { functions, named } = analyseModule(bytes);
  if (!named) {
    console.log("\n(no name section: for code by crate, give target/sibstat_bg.names.wasm)");
  } else {
    const crates = new Map();
    for (const f of functions) crates.set(crateOf(f.name), (crates.get(crateOf(f.name)) ?? 0) + f.size);
    console.log("\n| crate (function bodies) | bytes | share |\n| --- | ---: | ---: |");
    for (const [crate, size] of [...crates].sort((a, b) => b[1] - a[1]).filter(([, size]) => size > 1000)) console.log(`| ${crate} | ${size} | ${percent(size)} |`);
    console.log(`\n| largest functions (of ${functions.length}) | bytes | share |\n| --- | ---: | ---: |`);
    for (const f of [...functions].sort((a, b) => b.size - a.size).slice(0, top)) console.log(`| \`${f.name.replace(/::h[0-9a-f]{16}$/, "").slice(0, 110)}\` | ${f.size} | ${percent(f.size)} |`);
  }
}
