//! The bootstrap's pseudo-random number generator: **xoshiro256\*\*** (Blackman and
//! Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021;
//! reference code <https://prng.di.unimi.it/xoshiro256starstar.c>), seeded through
//! **SplitMix64** (Steele, Lea and Flood 2014; <https://prng.di.unimi.it/splitmix64.c>)
//! as its authors recommend.
//!
//! Implemented here in plain integer arithmetic (wrapping multiplication, shifts,
//! rotations) so that a seed gives bit-identical streams natively and in WebAssembly.
//! Uniform doubles take the top 53 bits: `(x >> 11) * 2^-53`, in [0, 1).

/// SplitMix64: expands a 64-bit seed into the state of [`Xoshiro256StarStar`].
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A SplitMix64 stream starting at `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// xoshiro256\*\*: 256 bits of state, period 2^256 − 1, all 64 output bits of good
/// quality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xoshiro256StarStar {
    s: [u64; 4],
}

impl Xoshiro256StarStar {
    /// The generator seeded from `seed` by four SplitMix64 outputs (never all zero).
    pub fn seed_from_u64(seed: u64) -> Self {
        let mut sm = SplitMix64::new(seed);
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        Xoshiro256StarStar { s }
    }

    /// The next 64 bits. Inlined even in the module built for size: the samplers
    /// call it once per draw.
    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    #[inline(always)]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference: the first outputs of the reference splitmix64.c seeded with 1234567
    // (compiled with gcc 12 and run): 6457827717110365317, 3203168211198807973,
    // 9817491932198370423.
    #[test]
    fn splitmix64_matches_the_reference_code() {
        let mut sm = SplitMix64::new(1_234_567);
        assert_eq!(sm.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(sm.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(sm.next_u64(), 9_817_491_932_198_370_423);
    }

    // Reference: the reference xoshiro256starstar.c (compiled with gcc 12 and run)
    // with s = {1, 2, 3, 4} gives
    // 11520, 0, 1509978240, 1215971899390074240 (hand-checkable: the first output is
    // rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520).
    #[test]
    fn xoshiro256starstar_matches_the_reference_code() {
        let mut x = Xoshiro256StarStar { s: [1, 2, 3, 4] };
        assert_eq!(x.next_u64(), 11_520);
        assert_eq!(x.next_u64(), 0);
        assert_eq!(x.next_u64(), 1_509_978_240);
        assert_eq!(x.next_u64(), 1_215_971_899_390_074_240);
    }

    // Reference: xoshiro256starstar.c seeded by four splitmix64.c outputs from x = 1
    // (compiled with gcc 12 and run).
    #[test]
    fn seeding_through_splitmix64_matches_the_reference_code() {
        let mut x = Xoshiro256StarStar::seed_from_u64(1);
        assert_eq!(x.next_u64(), 12_966_619_160_104_079_557);
        assert_eq!(x.next_u64(), 9_600_361_134_598_540_522);
        assert_eq!(x.next_u64(), 10_590_380_919_521_690_900);
    }

    #[test]
    fn uniform_doubles_lie_in_the_unit_interval() {
        let mut x = Xoshiro256StarStar::seed_from_u64(7);
        for _ in 0..10_000 {
            let u = x.next_f64();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
