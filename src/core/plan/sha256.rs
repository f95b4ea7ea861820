//! sha256 of texts, as lowercase hex or raw digests; large batches use every core.

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// Below this many texts, hashing on the calling thread beats handing work to the pool.
const PARALLEL_MIN: usize = 512;

/// sha256 of the UTF-8 bytes of `text`.
#[inline]
pub fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Digests of every text, in order; in parallel for large batches.
pub fn digests<S: AsRef<str> + Sync>(texts: &[S]) -> Vec<[u8; 32]> {
    if texts.len() < PARALLEL_MIN {
        texts.iter().map(|t| digest(t.as_ref())).collect()
    } else {
        texts
            .par_iter()
            .with_min_len(256)
            .map(|t| digest(t.as_ref()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::maps::text_hash::hex_lower;

    #[test]
    fn known_vectors() {
        assert_eq!(
            hex_lower(&digest("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex_lower(&digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex_lower(&digest("\u{FFFD}")),
            hex_lower(&Sha256::digest([0xEF, 0xBF, 0xBD]).into())
        );
    }

    #[test]
    fn parallel_equals_sequential() {
        let texts: Vec<String> = (0..5000).map(|i| format!("text {i} ü")).collect();
        let seq: Vec<[u8; 32]> = texts.iter().map(|t| digest(t)).collect();
        assert_eq!(digests(&texts), seq);
    }
}
