//! The W5 floor compiled to wasm32 (`cargo build --target wasm32-unknown-unknown
//! --release`), loaded raw by scripts/bench-browser.mjs: two plain exports over the
//! module's memory, no wasm-bindgen.

mod w5;

/// Memory for `n` f64 values, for the WebAssembly caller to write the data into.
#[no_mangle]
pub extern "C" fn floor_alloc(n: usize) -> *mut f64 {
    let mut v = vec![0.0f64; n];
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// [`w5::bootstrap_km`] on `n` times at `time` and statuses at `status` (0 censored, else an
/// event) as f64 arrays in the module's memory; the four limits are written to `out`.
///
/// # Safety
/// The pointers must hold `n` (and 4 for `out`) f64 values from [`floor_alloc`].
#[no_mangle]
pub unsafe extern "C" fn floor_w5(
    time: *const f64,
    status: *const f64,
    n: usize,
    t1: f64,
    t2: f64,
    replicates: usize,
    seed: f64,
    out: *mut f64,
) {
    let time = std::slice::from_raw_parts(time, n);
    let event: Vec<u8> = std::slice::from_raw_parts(status, n)
        .iter()
        .map(|&s| u8::from(s != 0.0))
        .collect();
    let limits = w5::bootstrap_km(time, &event, t1, t2, replicates, seed as u64);
    std::slice::from_raw_parts_mut(out, 4).copy_from_slice(&limits);
}
