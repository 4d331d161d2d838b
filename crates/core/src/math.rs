//! Transcendental functions that give the same bits natively and in WebAssembly.
//!
//! `f64::exp` and friends call the platform's maths library (glibc natively, a libm
//! port on wasm32), which may differ in the last bit; an ill-conditioned fit can
//! amplify that. These go through the pure-Rust `libm` crate on every target, so a
//! request gives identical numbers in the CLI and in the browser. Clippy's
//! `disallowed_methods` (clippy.toml) keeps the std versions out of the crate.
//! (`sqrt` and the arithmetic operators are exactly rounded by IEEE 754 everywhere,
//! and `powi` is repeated multiplication on both targets.)

/// e^x.
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Natural logarithm.
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x.
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// x^y.
pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
