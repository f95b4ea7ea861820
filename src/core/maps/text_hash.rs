//! Compact storage of `text_hash` values: a 64-char lowercase hex digest is kept as 32 bytes; any
//! other value (null, upper case, other length, non-hex) is kept exactly, so every value round-trips.

use super::bits::BitVec;
use hashbrown::HashMap;

/// One stored hash value, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashRef<'a> {
    /// The column held null for the base's first row.
    Null,
    /// A 64-char lowercase hex digest, decoded.
    Digest(&'a [u8; 32]),
    /// Anything else, verbatim.
    Verbatim(&'a str),
}

impl HashRef<'_> {
    /// The value as the JS reference would hold it: a string, or `None` for null.
    pub fn to_string_opt(self) -> Option<String> {
        match self {
            HashRef::Null => None,
            HashRef::Digest(d) => Some(hex_lower(d)),
            HashRef::Verbatim(s) => Some(s.to_owned()),
        }
    }

    /// Whether this value equals the string `s` (null equals nothing).
    pub fn eq_str(self, s: &str) -> bool {
        match self {
            HashRef::Null => false,
            HashRef::Digest(d) => parse_hex_lower(s.as_bytes()).is_some_and(|p| &p == d),
            HashRef::Verbatim(v) => v == s,
        }
    }
}

/// ASCII byte → its value as a lowercase hex digit, or `INVALID`.
const INVALID: u8 = 0x80;
static NIBBLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Decodes exactly 64 lowercase hex characters; `None` for anything else.
#[inline]
pub fn parse_hex_lower(s: &[u8]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    decode_hex_into(s, &mut out).then_some(out)
}

/// Decodes 64 lowercase hex characters into `out`; `false` (with `out` holding garbage) otherwise.
///
/// Writing straight into the destination matters: decoding into a stack array and copying it out
/// stalled on store forwarding (byte stores, 16-byte loads). On x86-64, SSE2 (always present)
/// decodes 16 characters at a time; the scalar version is branch-free (hashes are random, so a
/// branch per character mispredicts half the time).
#[inline]
pub fn decode_hex_into(s: &[u8], out: &mut [u8; 32]) -> bool {
    let Ok(s) = <&[u8; 64]>::try_from(s) else {
        return false;
    };
    #[cfg(target_arch = "x86_64")]
    {
        decode_hex_sse2(s, out)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        decode_hex_scalar(s, out)
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline]
fn decode_hex_scalar(s: &[u8; 64], out: &mut [u8; 32]) -> bool {
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        let (hi, lo) = (NIBBLE[pair[0] as usize], NIBBLE[pair[1] as usize]);
        bad |= hi | lo;
        *o = hi << 4 | lo;
    }
    bad & INVALID == 0
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn decode_hex_sse2(s: &[u8; 64], out: &mut [u8; 32]) -> bool {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of x86-64; loads and stores are unaligned and within `s` and `out`.
    unsafe {
        let nibbles = |p: *const u8| -> (__m128i, i32) {
            let v = _mm_loadu_si128(p.cast());
            // Signed compares: bytes >= 0x80 are negative, so neither digits nor letters.
            let digit = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1)),
                _mm_cmpgt_epi8(_mm_set1_epi8(b'9' as i8 + 1), v),
            );
            let letter = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(b'a' as i8 - 1)),
                _mm_cmpgt_epi8(_mm_set1_epi8(b'f' as i8 + 1), v),
            );
            let n = _mm_or_si128(
                _mm_and_si128(digit, _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8))),
                _mm_and_si128(letter, _mm_sub_epi8(v, _mm_set1_epi8(b'a' as i8 - 10))),
            );
            // Each u16 lane holds (high nibble, low nibble) as bytes: make it one byte value.
            let byte = _mm_or_si128(
                _mm_slli_epi16(_mm_and_si128(n, _mm_set1_epi16(0x00FF)), 4),
                _mm_srli_epi16(n, 8),
            );
            (byte, _mm_movemask_epi8(_mm_or_si128(digit, letter)))
        };
        let p = s.as_ptr();
        let (a, ma) = nibbles(p);
        let (b, mb) = nibbles(p.add(16));
        let (c, mc) = nibbles(p.add(32));
        let (d, md) = nibbles(p.add(48));
        _mm_storeu_si128(out.as_mut_ptr().cast(), _mm_packus_epi16(a, b));
        _mm_storeu_si128(out.as_mut_ptr().add(16).cast(), _mm_packus_epi16(c, d));
        ma & mb & mc & md == 0xFFFF
    }
}

/// Lowercase hex of a 32-byte digest, as ASCII bytes (no allocation). SSE2 on x86-64: this runs
/// on every `baseHashMap.get` hit, where the scalar loop was a tenth of the call.
#[inline]
pub fn hex_lower_bytes(d: &[u8; 32]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    {
        hex_lower_sse2(d)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        hex_lower_scalar(d)
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn hex_lower_scalar(d: &[u8; 32]) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(d) {
        pair[0] = HEX[(b >> 4) as usize];
        pair[1] = HEX[(b & 15) as usize];
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn hex_lower_sse2(d: &[u8; 32]) -> [u8; 64] {
    use std::arch::x86_64::*;
    let mut out = [0u8; 64];
    // SAFETY: SSE2 is part of x86-64; loads and stores are unaligned and within `d` and `out`.
    unsafe {
        let digits = |n: __m128i| {
            // '0' + n, plus ('a' - '0' - 10) where n > 9.
            let letter = _mm_and_si128(_mm_cmpgt_epi8(n, _mm_set1_epi8(9)), _mm_set1_epi8(39));
            _mm_add_epi8(_mm_add_epi8(n, _mm_set1_epi8(b'0' as i8)), letter)
        };
        for half in 0..2 {
            let v = _mm_loadu_si128(d.as_ptr().add(16 * half).cast());
            let lo = _mm_and_si128(v, _mm_set1_epi8(0x0F));
            let hi = _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0F));
            let first = digits(_mm_unpacklo_epi8(hi, lo));
            let second = digits(_mm_unpackhi_epi8(hi, lo));
            let o = out.as_mut_ptr().add(32 * half);
            _mm_storeu_si128(o.cast(), first);
            _mm_storeu_si128(o.add(16).cast(), second);
        }
    }
    out
}

/// Lowercase hex of a 32-byte digest.
pub fn hex_lower(d: &[u8; 32]) -> String {
    // Only ASCII hex digits.
    String::from_utf8(hex_lower_bytes(d).to_vec()).unwrap_or_default()
}

/// Hash values in base order: 32 bytes each, plus a side table for the values that are not digests.
#[derive(Default)]
pub struct HashStore {
    digests: Vec<[u8; 32]>,
    /// Set where the value is not a digest; the value is then in `others`.
    is_other: BitVec,
    others: HashMap<u32, Option<Box<str>>>,
}

impl HashStore {
    pub fn with_capacity(n: usize) -> Self {
        HashStore {
            digests: Vec::with_capacity(n),
            is_other: BitVec::with_capacity(n),
            others: HashMap::new(),
        }
    }

    /// [`Self::with_capacity`], failing with `E_NO_MEMORY` instead of aborting.
    pub fn try_with_capacity(n: usize) -> Result<Self, crate::core::error::CodedError> {
        let mut digests = Vec::new();
        crate::core::error::try_reserve(&mut digests, n, "the stored hashes")?;
        Ok(HashStore {
            digests,
            is_other: BitVec::try_with_capacity(n)?,
            others: HashMap::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// [`super::touch::touch_spare`] of the digests. True once they are touched.
    pub fn touch_spare(
        &mut self,
        at: &mut super::touch::Touched,
        rows: super::touch::RowsSeen,
        pages: &mut usize,
    ) -> bool {
        super::touch::touch_spare(&mut self.digests, at, rows, pages, [0; 32])
    }

    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// Appends a value given as UTF-8 bytes, or `None` for null.
    #[inline]
    pub fn push(&mut self, value: Option<&str>) {
        let i = self.digests.len() as u32;
        self.digests.push([0; 32]);
        let slot = self.digests.last_mut().expect("just pushed");
        if value.is_some_and(|v| decode_hex_into(v.as_bytes(), slot)) {
            self.is_other.push(false);
        } else {
            *slot = [0; 32];
            self.is_other.push(true);
            self.others.insert(i, value.map(Box::from));
        }
    }

    /// Asks the CPU to start loading value `i`'s digest (see [`super::prefetch::prefetch_read`]).
    #[inline]
    pub fn prefetch(&self, i: usize) {
        if let Some(d) = self.digests.get(i) {
            super::prefetch::prefetch_read(d);
        }
    }

    #[inline]
    pub fn get(&self, i: usize) -> HashRef<'_> {
        if !self.is_other.get(i) {
            return HashRef::Digest(&self.digests[i]);
        }
        self.other(i)
    }

    /// [`Self::get`] of a value stored as it was (null or not a hex digest): rare, and kept out
    /// of line so that `get` stays small enough to be inlined into a walk's loop.
    #[cold]
    #[inline(never)]
    fn other(&self, i: usize) -> HashRef<'_> {
        match self.others.get(&(i as u32)) {
            Some(Some(s)) => HashRef::Verbatim(s),
            _ => HashRef::Null,
        }
    }

    pub fn shrink_to_fit(&mut self) {
        self.digests.shrink_to_fit();
        self.is_other.shrink_to_fit();
        self.others.shrink_to_fit();
    }

    pub fn heap_bytes(&self) -> usize {
        let others: usize = self
            .others
            .values()
            .map(|v| v.as_ref().map_or(0, |s| s.len()))
            .sum();
        self.digests.capacity() * 32
            + self.is_other.heap_bytes()
            + self.others.capacity() * 24
            + others
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_encoders_agree_on_every_byte_in_every_position() {
        for pos in 0..32 {
            for b in 0..=255u8 {
                let mut d = [0x5Au8; 32];
                d[pos] = b;
                let hex = hex_lower_bytes(&d);
                assert_eq!(hex, hex_lower_scalar(&d), "byte {b:#x} at {pos}");
                assert_eq!(parse_hex_lower(&hex), Some(d));
            }
        }
    }

    #[test]
    fn hex_decoders_agree_on_every_character() {
        let hex = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        // Every byte value in every position class (high and low nibble, each 16-byte block).
        for pos in [0usize, 1, 15, 16, 17, 31, 32, 47, 48, 62, 63] {
            for b in 0..=255u8 {
                let mut s = *hex;
                s[pos] = b;
                let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
                let ok = decode_hex_into(&s, &mut x);
                assert_eq!(ok, decode_hex_scalar(&s, &mut y), "byte {b:#x} at {pos}");
                assert_eq!(ok, b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                if ok {
                    assert_eq!(x, y);
                    assert_eq!(hex_lower_bytes(&x), s);
                    assert_eq!(hex_lower_scalar(&x), s);
                }
            }
        }
    }

    #[test]
    fn every_kind_of_value_round_trips() {
        let hex = "0123456789abcdef".repeat(4);
        let values: Vec<Option<String>> = vec![
            Some(hex.clone()),
            None,
            Some(hex.to_uppercase()),
            Some(hex[..63].to_string()),
            Some(format!("{hex}0")),
            Some(format!("{}g", &hex[..63])),
            Some(String::new()),
            Some("ünïcode".into()),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()),
        ];
        let mut store = HashStore::with_capacity(values.len());
        for v in &values {
            store.push(v.as_deref());
        }
        for (i, v) in values.iter().enumerate() {
            assert_eq!(store.get(i).to_string_opt(), *v, "value {i}");
            if let Some(s) = v {
                assert!(store.get(i).eq_str(s));
                assert!(!store.get(i).eq_str(&format!("{s}x")));
            }
        }
        assert!(matches!(store.get(0), HashRef::Digest(_)));
        assert_eq!(store.get(1), HashRef::Null);
        assert!(matches!(store.get(2), HashRef::Verbatim(_)));
    }
}
