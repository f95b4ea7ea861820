//! Many strings handed over from JS at once: their UTF-16 code units back to back, and where each
//! ends. Converting to UTF-8 follows JS exactly: every unpaired surrogate becomes U+FFFD, as
//! `TextEncoder`, `Buffer.from` and napi's UTF-8 conversion do. Conversion and hashing of large
//! batches run on every core.

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// Below this many strings, working on the calling thread beats handing work to the pool.
const PARALLEL_MIN: usize = 512;

/// Strings as UTF-16; string `i` is `units[ends[i-1]..ends[i]]`.
#[derive(Default)]
pub struct Utf16Strings {
    /// Code units of every string, back to back. Writers append to it, then call [`Self::commit`].
    pub units: Vec<u16>,
    ends: Vec<usize>,
}

impl Utf16Strings {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Declares the units appended since the last commit to be strings of these lengths (in
    /// code units). `false`, changing nothing, when the lengths do not add up to those units.
    pub fn commit(&mut self, lens: &[u32]) -> bool {
        let start = self.ends.last().copied().unwrap_or(0);
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        if start + total != self.units.len() {
            return false;
        }
        self.ends.reserve(lens.len());
        let mut end = start;
        for &l in lens {
            end += l as usize;
            self.ends.push(end);
        }
        true
    }

    /// The code units of string `i`.
    pub fn get(&self, i: usize) -> &[u16] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.units[start..self.ends[i]]
    }

    /// Every string as a Rust `String`.
    pub fn to_strings(&self) -> Vec<String> {
        let one = |i| {
            let mut out = Vec::new();
            let _ = utf8_into(self.get(i), &mut out);
            // utf8_into writes valid UTF-8 only.
            String::from_utf8(out).unwrap_or_default()
        };
        if self.len() < PARALLEL_MIN {
            (0..self.len()).map(one).collect()
        } else {
            (0..self.len())
                .into_par_iter()
                .with_min_len(256)
                .map(one)
                .collect()
        }
    }

    /// sha256 of each string's UTF-8 bytes, in order.
    pub fn digests(&self) -> Vec<[u8; 32]> {
        let one = |buf: &mut Vec<u8>, i| -> [u8; 32] {
            buf.clear();
            let _ = utf8_into(self.get(i), buf);
            Sha256::digest(&buf[..]).into()
        };
        if self.len() < PARALLEL_MIN {
            let mut buf = Vec::new();
            (0..self.len()).map(|i| one(&mut buf, i)).collect()
        } else {
            (0..self.len())
                .into_par_iter()
                .with_min_len(256)
                .map_init(Vec::new, one)
                .collect()
        }
    }
}

/// Appends the UTF-8 form of `units` to `out`, unpaired surrogates as U+FFFD. Returns `false`
/// when there was an unpaired surrogate (the UTF-8 then stands for a different JS string).
pub fn utf8_into(units: &[u16], out: &mut Vec<u8>) -> bool {
    let mut lossless = true;
    out.reserve(units.len());
    let mut rest = units;
    while !rest.is_empty() {
        // ASCII runs (the common case for ids and much text) are narrowed without decoding.
        let ascii = rest.iter().position(|&u| u >= 0x80).unwrap_or(rest.len());
        out.extend(rest[..ascii].iter().map(|&u| u as u8));
        rest = &rest[ascii..];
        let other = rest.iter().position(|&u| u < 0x80).unwrap_or(rest.len());
        let mut tmp = [0u8; 4];
        for c in char::decode_utf16(rest[..other].iter().copied()) {
            let c = c.unwrap_or_else(|_| {
                lossless = false;
                char::REPLACEMENT_CHARACTER
            });
            out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
        rest = &rest[other..];
    }
    lossless
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(strings: &[Vec<u16>]) -> Utf16Strings {
        let mut s = Utf16Strings::default();
        for part in strings.chunks(3) {
            for x in part {
                s.units.extend_from_slice(x);
            }
            let lens: Vec<u32> = part.iter().map(|x| x.len() as u32).collect();
            assert!(s.commit(&lens));
        }
        s
    }

    #[test]
    fn converts_like_js_and_hashes_the_utf8() {
        let cases: Vec<Vec<u16>> = vec![
            vec![],
            "plain ascii".encode_utf16().collect(),
            "é ü ß 中文 😀".encode_utf16().collect(),
            vec![0xD800],                              // lone high surrogate
            vec![0xDC00, b'a' as u16],                 // lone low surrogate
            vec![0xD83D, 0xDE00],                      // a valid pair (😀)
            vec![0xDE00, 0xD83D],                      // reversed: two lone halves
            vec![b'x' as u16, 0xD83D, 0xD83D, 0xDE00], // lone high, then a pair
        ];
        let want: Vec<String> = cases.iter().map(|c| String::from_utf16_lossy(c)).collect();
        let s = from(&cases);
        assert_eq!(s.len(), cases.len());
        assert_eq!(s.to_strings(), want);
        let digests: Vec<[u8; 32]> = want
            .iter()
            .map(|w| Sha256::digest(w.as_bytes()).into())
            .collect();
        assert_eq!(s.digests(), digests);
        assert_eq!(want[3], "\u{FFFD}");
        assert_eq!(want[6], "\u{FFFD}\u{FFFD}");
        let lossless: Vec<bool> = cases
            .iter()
            .map(|c| utf8_into(c, &mut Vec::new()))
            .collect();
        assert_eq!(
            lossless,
            [true, true, true, false, false, true, false, false]
        );
    }

    #[test]
    fn large_batches_match_small_ones() {
        let cases: Vec<Vec<u16>> = (0..3000)
            .map(|i| {
                format!("item {i} ü {}", "x".repeat(i % 70))
                    .encode_utf16()
                    .collect()
            })
            .collect();
        let s = from(&cases);
        let strings = s.to_strings();
        let digests = s.digests();
        for (i, c) in cases.iter().enumerate() {
            assert_eq!(strings[i], String::from_utf16_lossy(c));
            assert_eq!(
                digests[i],
                <[u8; 32]>::from(Sha256::digest(strings[i].as_bytes()))
            );
        }
    }

    #[test]
    fn lengths_must_add_up() {
        let mut s = Utf16Strings::default();
        s.units.extend_from_slice(&[1, 2, 3]);
        assert!(!s.commit(&[1, 1]));
        assert!(s.is_empty());
        assert!(s.commit(&[1, 2]));
        assert_eq!(s.get(1), &[2, 3]);
    }
}
