//! Bit vectors: a growable one, a frozen one with constant-time rank, and a set of indexes that
//! picks between a bit per index and a hash set.

/// A growable vector of bits.
#[derive(Default, Clone)]
pub struct BitVec {
    words: Vec<u64>,
    len: usize,
}

impl BitVec {
    /// `len` bits, all set to `value`.
    pub fn filled(len: usize, value: bool) -> Self {
        let fill = if value { u64::MAX } else { 0 };
        let mut words = vec![fill; len.div_ceil(64)];
        if value && !len.is_multiple_of(64) {
            *words.last_mut().unwrap() = (1u64 << (len % 64)) - 1;
        }
        BitVec { words, len }
    }

    pub fn with_capacity(bits: usize) -> Self {
        BitVec {
            words: Vec::with_capacity(bits.div_ceil(64)),
            len: 0,
        }
    }

    /// [`Self::with_capacity`], failing with `E_NO_MEMORY` instead of aborting.
    pub fn try_with_capacity(bits: usize) -> Result<Self, crate::core::error::CodedError> {
        let mut words = Vec::new();
        crate::core::error::try_reserve(&mut words, bits.div_ceil(64), "the maps' bit sets")?;
        Ok(BitVec { words, len: 0 })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        if bit {
            self.words[self.len / 64] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    #[inline]
    pub fn get(&self, i: usize) -> bool {
        debug_assert!(i < self.len);
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    #[inline]
    pub fn set(&mut self, i: usize, bit: bool) {
        debug_assert!(i < self.len);
        let mask = 1u64 << (i % 64);
        if bit {
            self.words[i / 64] |= mask;
        } else {
            self.words[i / 64] &= !mask;
        }
    }

    /// Index of the first set bit at or after `from`, if any.
    pub fn next_one(&self, from: usize) -> Option<usize> {
        if from >= self.len {
            return None;
        }
        let mut w = from / 64;
        let mut word = self.words[w] & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                let i = w * 64 + word.trailing_zeros() as usize;
                return (i < self.len).then_some(i);
            }
            w += 1;
            if w >= self.words.len() {
                return None;
            }
            word = self.words[w];
        }
    }

    pub fn shrink_to_fit(&mut self) {
        self.words.shrink_to_fit();
    }

    pub fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

/// Bits per rank block: one `u32` count per 512 bits (a 6% overhead on the bits).
const BLOCK_WORDS: usize = 8;

/// A frozen bit vector with `rank` (set bits before a position) in constant time.
#[derive(Default)]
pub struct RankedBits {
    bits: BitVec,
    /// Set bits before each block of `BLOCK_WORDS` words.
    block_ranks: Vec<u32>,
}

impl RankedBits {
    pub fn new(mut bits: BitVec) -> Self {
        bits.shrink_to_fit();
        let mut block_ranks = Vec::with_capacity(bits.words.len().div_ceil(BLOCK_WORDS));
        let mut ones = 0u32;
        for chunk in bits.words.chunks(BLOCK_WORDS) {
            block_ranks.push(ones);
            ones += chunk.iter().map(|w| w.count_ones()).sum::<u32>();
        }
        RankedBits { bits, block_ranks }
    }

    #[inline]
    pub fn get(&self, i: usize) -> bool {
        self.bits.get(i)
    }

    pub fn len(&self) -> usize {
        self.bits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }

    /// Number of set bits in `[0, i)`.
    #[inline]
    pub fn rank(&self, i: usize) -> usize {
        let w = i / 64;
        let block = w / BLOCK_WORDS;
        let mut r = self.block_ranks[block] as usize;
        for word in &self.bits.words[block * BLOCK_WORDS..w] {
            r += word.count_ones() as usize;
        }
        if !i.is_multiple_of(64) {
            r += (self.bits.words[w] & ((1u64 << (i % 64)) - 1)).count_ones() as usize;
        }
        r
    }

    pub fn next_one(&self, from: usize) -> Option<usize> {
        self.bits.next_one(from)
    }

    pub fn heap_bytes(&self) -> usize {
        self.bits.heap_bytes() + self.block_ranks.capacity() * 4
    }
}

/// Indexes below `universe`, each reported once: a bit per index when about `expected` insertions
/// are many against the universe (no hashing: a growing hash set of 450k indexes was a costly part
/// of a plan, bench/README.md, "Tried and not kept"), else a hash set sized for them (a small
/// batch against large maps).
pub enum SeenIndexes {
    Bits(BitVec),
    Set(hashbrown::HashSet<u32>),
}

impl SeenIndexes {
    pub fn new(universe: usize, expected: usize) -> Self {
        if expected.saturating_mul(64) >= universe {
            SeenIndexes::Bits(BitVec::filled(universe, false))
        } else {
            SeenIndexes::Set(hashbrown::HashSet::with_capacity(expected))
        }
    }

    /// True the first time `i` (which must be below the universe) is inserted.
    #[inline]
    pub fn insert(&mut self, i: u32) -> bool {
        match self {
            SeenIndexes::Bits(bits) => {
                let seen = bits.get(i as usize);
                bits.set(i as usize, true);
                !seen
            }
            SeenIndexes::Set(set) => set.insert(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_and_next_one_match_a_naive_count() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        for len in [0usize, 1, 63, 64, 65, 511, 512, 513, 2000] {
            let mut bits = BitVec::with_capacity(len);
            let mut naive = Vec::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let b = seed.is_multiple_of(3);
                bits.push(b);
                naive.push(b);
            }
            let ranked = RankedBits::new(bits);
            for i in 0..len {
                let want = naive[..i].iter().filter(|&&b| b).count();
                assert_eq!(ranked.rank(i), want, "len {len} i {i}");
                let next = naive[i..].iter().position(|&b| b).map(|p| p + i);
                assert_eq!(ranked.next_one(i), next);
            }
        }
    }

    #[test]
    fn filled_and_set() {
        let mut b = BitVec::filled(70, true);
        assert!(b.get(69));
        b.set(69, false);
        assert!(!b.get(69));
        assert_eq!(b.next_one(69), None);
        b.push(true);
        assert_eq!(b.next_one(69), Some(70));
    }

    #[test]
    fn seen_indexes_report_each_index_once_either_way() {
        for expected in [1usize, 1000] {
            let mut seen = SeenIndexes::new(1000, expected);
            assert_eq!(matches!(seen, SeenIndexes::Bits(_)), expected == 1000);
            let got: Vec<bool> = [0u32, 999, 5, 0, 999, 64, 5]
                .iter()
                .map(|&i| seen.insert(i))
                .collect();
            assert_eq!(got, [true, true, true, false, false, true, false]);
        }
    }
}
