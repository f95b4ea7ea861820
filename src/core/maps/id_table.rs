//! The hash table of id indexes: buckets of one cache line (ten two-byte tags, then ten `u32` id
//! indexes), probed bucket after bucket; and a [`IdTable::prefetch`] that lets the builder start
//! the cache miss of a row it will insert soon.
//!
//! Why not `hashbrown::HashTable<u32>` (which it replaced): with hundreds of thousands of ids the
//! table is far larger than the caches, and hashbrown keeps tags and slots in two arrays, so every
//! lookup costs two misses to main memory (tag group, then slot) and gives no way to ask for them
//! ahead of time. Here a key's tags and index share one 64-byte line: a lookup that finds its key
//! in its home bucket (most do) misses once. Profiles showed both the builder thread and JS calls
//! to `get` stalled on exactly those misses.
//!
//! Why two-byte tags: a tag that matches sends the probe to the id's text, two more misses (the
//! id's offset, then its bytes). With one-byte tags (7 bits of hash, twelve slots) about one new
//! id in twenty matched some other id's tag; with 15 bits, one in several thousand. The builder
//! got 8-10% faster for 1.3 more bytes a row (bench/README.md, "The cold path").
//!
//! Layout: a tag is `0x8000 | low 15 bits of the hash`, `0` marks an empty slot. A key's home
//! bucket is `hash * buckets >> 64` (any number of buckets works, so the table is sized to its ids,
//! not to a power of two: memory per row stays flat from 100k to millions of rows); a key lives in
//! the first bucket from its home, wrapping around, that had room when it was inserted. Nothing is
//! ever deleted and the load stays at most 7/8, so a probe ends at the first bucket with an empty
//! slot.

use super::prefetch::prefetch_read;
use crate::core::error::{CodedError, ErrorCode};

/// Slots per bucket: 12 × 2 tag bytes (the last two tags stay 0) + 10 × 4 index bytes = 64, one
/// cache line.
const SLOTS: usize = 10;
/// The slot bits of a mask.
const SLOT_MASK: u32 = (1 << SLOTS) - 1;
const HI: u64 = 0x8000_8000_8000_8000;
const LO: u64 = 0x0001_0001_0001_0001;

/// One cache line of the table.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Bucket {
    /// `tags[..SLOTS]` as above; the last two stay 0 and are never read as slots.
    tags: [u16; 12],
    slots: [u32; SLOTS],
}

// One cache line, as the layout above says.
const _: () = assert!(size_of::<Bucket>() == 64 && align_of::<Bucket>() == 64);

const EMPTY: Bucket = Bucket {
    tags: [0; 12],
    slots: [0; SLOTS],
};

/// A set of `u32` id indexes keyed by the id's 64-bit hash; equality is decided by the caller.
pub struct IdTable {
    buckets: Vec<Bucket>,
    len: usize,
}

/// The tag uses the low bits; the home bucket, the high bits (see [`IdTable::home`]).
#[inline]
fn tag_of(h: u64) -> u16 {
    0x8000 | (h & 0x7FFF) as u16
}

/// Bit `16 * j + 15` set for each two-byte lane `j` of `g` equal to `tag` (a rare false positive
/// may follow a true one; the caller's `eq` rejects it).
#[inline]
fn match_lane(g: u64, tag: u16) -> u64 {
    let x = g ^ (LO * tag as u64);
    x.wrapping_sub(LO) & !x & HI
}

impl Bucket {
    /// Slots whose tag is `tag`, as a bit mask over `0..SLOTS` (may include a false positive).
    #[inline]
    fn matches(&self, tag: u16) -> u32 {
        let [a, b, c] = self.words();
        (compress(match_lane(a, tag))
            | compress(match_lane(b, tag)) << 4
            | compress(match_lane(c, tag)) << 8)
            & SLOT_MASK
    }

    /// Empty slots, as a bit mask over `0..SLOTS` (exact).
    #[inline]
    fn empties(&self) -> u32 {
        let [a, b, c] = self.words();
        (compress(!a & HI) | compress(!b & HI) << 4 | compress(!c & HI) << 8) & SLOT_MASK
    }

    /// The tags as three words of four lanes each.
    #[inline]
    fn words(&self) -> [u64; 3] {
        let w = |k: usize| {
            let t = &self.tags[4 * k..4 * k + 4];
            t[0] as u64 | (t[1] as u64) << 16 | (t[2] as u64) << 32 | (t[3] as u64) << 48
        };
        [w(0), w(1), w(2)]
    }
}

/// The high bit of each two-byte lane of `m` (and no other bit set) gathered into bits 0..4.
#[inline]
fn compress(m: u64) -> u32 {
    // Lane bits at 0, 16, 32, 48 times bits 48, 33, 18, 3 land on 48..=51; the other partial
    // products fall on distinct bits below 48 or past 63, so nothing carries into 48..=51.
    const GATHER: u64 = 1 << 48 | 1 << 33 | 1 << 18 | 1 << 3;
    ((m >> 15).wrapping_mul(GATHER) >> 48) as u32 & 0xF
}

impl IdTable {
    /// A table that holds `n` ids without growing.
    pub fn with_capacity(n: usize) -> Self {
        Self::with_buckets(Self::buckets_for(n))
    }

    /// Buckets for `n` entries at a load of at most 7/8: 7 * slots / 8 >= n.
    fn buckets_for(n: usize) -> usize {
        n.saturating_add(n / 7).div_ceil(SLOTS).saturating_add(1)
    }

    fn with_buckets(n: usize) -> Self {
        IdTable {
            buckets: vec![EMPTY; n],
            len: 0,
        }
    }

    /// A table that holds `n` ids without growing, failing with `E_NO_MEMORY` instead of aborting.
    pub fn try_with_capacity(n: usize) -> Result<Self, CodedError> {
        Self::try_with_buckets(Self::buckets_for(n))
    }

    fn try_with_buckets(n: usize) -> Result<Self, CodedError> {
        let mut buckets = Vec::new();
        crate::core::error::try_reserve(&mut buckets, n, "the id table")?;
        buckets.resize(n, EMPTY);
        Ok(IdTable { buckets, len: 0 })
    }

    /// Entries the table takes before it grows.
    fn limit(&self) -> usize {
        let slots = self.buckets.len() * SLOTS;
        slots - slots / 8
    }

    /// The bucket a probe for hash `h` starts at: `h` scaled to `0..buckets`.
    #[inline]
    fn home(&self, h: u64) -> usize {
        ((h as u128 * self.buckets.len() as u128) >> 64) as usize
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes allocated.
    pub fn allocation_size(&self) -> usize {
        self.buckets.capacity() * size_of::<Bucket>()
    }

    /// Asks the CPU to start loading the line a probe for hash `h` reads first. A hint only.
    #[inline]
    pub fn prefetch(&self, h: u64) {
        prefetch_read(&self.buckets[self.home(h)]);
    }

    /// The index stored under hash `h` for which `eq` holds.
    #[inline]
    pub fn find(&self, h: u64, mut eq: impl FnMut(u32) -> bool) -> Option<u32> {
        let tag = tag_of(h);
        let mut b = self.home(h);
        loop {
            let bucket = &self.buckets[b];
            let mut matches = bucket.matches(tag);
            while matches != 0 {
                let j = matches.trailing_zeros() as usize;
                // Skip the rare false positive of the bit trick before reading an id for it.
                if bucket.tags[j] == tag && eq(bucket.slots[j]) {
                    return Some(bucket.slots[j]);
                }
                matches &= matches - 1;
            }
            if bucket.empties() != 0 {
                return None;
            }
            b = self.next(b);
        }
    }

    /// Where a key with hash `h` that is known to be absent goes: the first free slot from its
    /// home bucket on (the probe of an insert, without looking at tags).
    #[inline]
    fn vacant(&self, h: u64) -> (usize, usize) {
        let mut b = self.home(h);
        loop {
            let empties = self.buckets[b].empties();
            if empties != 0 {
                return (b, empties.trailing_zeros() as usize);
            }
            b = self.next(b);
        }
    }

    #[inline]
    fn next(&self, b: usize) -> usize {
        if b + 1 == self.buckets.len() {
            0
        } else {
            b + 1
        }
    }

    fn set(&mut self, b: usize, j: usize, tag: u16, i: u32) {
        self.buckets[b].tags[j] = tag;
        self.buckets[b].slots[j] = i;
        self.len += 1;
    }

    /// Inserts index `i` under hash `h`; the caller knows no equal entry is present. `rehash`
    /// gives the hash of a stored index (needed when the table grows).
    #[inline]
    pub fn insert_unique(
        &mut self,
        h: u64,
        i: u32,
        rehash: impl Fn(u32) -> u64,
    ) -> Result<(), CodedError> {
        if self.len + 1 > self.limit() {
            self.rebuild(self.buckets.len() * 2, &rehash)?;
        }
        let (b, j) = self.vacant(h);
        self.set(b, j, tag_of(h), i);
        Ok(())
    }

    /// Moves every entry into a table of `buckets` buckets.
    fn rebuild(&mut self, buckets: usize, rehash: &impl Fn(u32) -> u64) -> Result<(), CodedError> {
        if buckets > 1 << 36 {
            return Err(CodedError::new(
                ErrorCode::TooLarge,
                "the id table cannot grow any further",
            ));
        }
        let mut next = IdTable::try_with_buckets(buckets)?;
        for bucket in &self.buckets {
            for j in 0..SLOTS {
                if bucket.tags[j] != 0 {
                    let i = bucket.slots[j];
                    let h = rehash(i);
                    // Entries are distinct: only room is needed.
                    let (b, k) = next.vacant(h);
                    next.set(b, k, tag_of(h), i);
                }
            }
        }
        *self = next;
        Ok(())
    }

    /// Rebuilds at the smallest size that holds the current entries, when that is smaller.
    pub fn shrink_to_fit(&mut self, rehash: impl Fn(u32) -> u64) {
        let buckets = Self::buckets_for(self.len);
        if buckets < self.buckets.len() {
            // Cannot fail: the table gets smaller.
            let _ = self.rebuild(buckets, &rehash);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(i: u32) -> u64 {
        // Deliberately poor spread in the low bits for some keys, to exercise long probes.
        let x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        if i.is_multiple_of(7) {
            x & !0xFFFF
        } else {
            x
        }
    }

    fn put(t: &mut IdTable, k: u32, hash: fn(u32) -> u64) -> (u32, bool) {
        match t.find(hash(k), |j| j == k) {
            Some(j) => (j, false),
            None => {
                t.insert_unique(hash(k), k, hash).unwrap();
                (k, true)
            }
        }
    }

    #[test]
    fn inserts_finds_grows_and_shrinks() {
        let mut t = IdTable::with_capacity(10);
        for i in 0..20_000u32 {
            assert_eq!(put(&mut t, i, h), (i, true));
            assert_eq!(put(&mut t, i, h), (i, false));
        }
        assert_eq!(t.len(), 20_000);
        for i in 0..20_000u32 {
            assert_eq!(t.find(h(i), |j| j == i), Some(i));
        }
        assert_eq!(t.find(h(20_001), |j| j == 20_001), None);
        let mut big = IdTable::with_capacity(1_000_000);
        for i in 0..100u32 {
            put(&mut big, i, h);
        }
        let before = big.allocation_size();
        big.shrink_to_fit(h);
        assert!(big.allocation_size() < before / 100);
        for i in 0..100u32 {
            assert_eq!(big.find(h(i), |j| j == i), Some(i));
        }
        assert_eq!(big.len(), 100);
    }

    #[test]
    fn bucket_masks_are_exact_for_every_slot() {
        // Each slot alone, and each slot beside full neighbours, for a few tags: `matches` must
        // find the slot (false positives are allowed only where another tag is set, and only ever
        // within 0..SLOTS), `empties` must be exact.
        for tag in [0x8000u16, 0x8001, 0x8080, 0xC5C5, 0xFF7F, 0xFFFF] {
            for j in 0..SLOTS {
                let mut b = EMPTY;
                b.tags[j] = tag;
                assert_eq!(b.matches(tag), 1 << j);
                assert_eq!(b.empties(), ((1 << SLOTS) - 1) & !(1 << j));
                let mut full = EMPTY;
                for k in 0..SLOTS {
                    full.tags[k] = if k == j { tag } else { tag ^ 1 };
                }
                assert_ne!(full.matches(tag) & (1 << j), 0);
                assert_eq!(full.matches(tag) >> SLOTS, 0);
                assert_eq!(full.empties(), 0);
            }
        }
    }

    #[test]
    fn colliding_hashes_stay_apart() {
        // Every key has the same hash, whose home is the last slot: one run that wraps around
        // the end, all tags equal, eq decides.
        fn same(_: u32) -> u64 {
            u64::MAX
        }
        let mut t = IdTable::with_capacity(16);
        for i in 0..500u32 {
            assert_eq!(put(&mut t, i, same), (i, true));
        }
        for i in 0..500u32 {
            assert_eq!(t.find(u64::MAX, |j| j == i), Some(i));
        }
        assert_eq!(t.len(), 500);
    }
}
