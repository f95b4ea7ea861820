//! The hash table of id indexes: open addressing with linear probing, a one-byte tag per slot, and
//! a [`IdTable::prefetch`] that lets the builder start the cache misses of rows it will insert soon.
//!
//! Why not `hashbrown::HashTable<u32>` (which it replaced, at the same 5 bytes per slot): with
//! hundreds of thousands of ids the table is far larger than the caches, every insert costs two
//! misses to main memory (tag group, slot), and hashbrown gives no way to ask for those lines
//! ahead of time. Profiles of a 450k-row load showed the builder thread stalled on exactly those
//! misses; touching the lines of row `i + D` while inserting row `i` overlaps them.
//!
//! Layout: slot `p` is empty when `tags[p] == 0`, else `tags[p] = 0x80 | low 7 bits of the hash`
//! and `slots[p]` is the id index. A key's probe starts at slot `hash * capacity >> 64` (any
//! capacity works, so the table is sized to its ids, not to a power of two: memory per row stays
//! flat from 100k to millions of rows) and walks upward eight tags at a time, wrapping around; the
//! first `GROUP` tags are mirrored past the end so a group read never needs a bounds split. The
//! load stays at most 7/8 and nothing is ever deleted, so a probe always ends, at the first empty
//! slot.

use super::error::{ErrorCode, LoadError};

/// Tags are read eight at a time.
const GROUP: usize = 8;
const HI: u64 = 0x8080_8080_8080_8080;
const LO: u64 = 0x0101_0101_0101_0101;

/// Where a probe for a key ended.
enum Probe {
    Found(u32),
    /// Not present; it would go into this slot.
    Vacant(usize),
}

/// A set of `u32` id indexes keyed by the id's 64-bit hash; equality is decided by the caller.
pub struct IdTable {
    tags: Vec<u8>,
    slots: Vec<u32>,
    /// Number of slots.
    cap: usize,
    len: usize,
}

/// Asks the CPU to start loading the cache line holding `value`. A hint: no effect on results.
#[inline]
pub fn prefetch_read<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the pointer comes from a reference; a prefetch never faults and reads nothing
    // into the program.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// The tag uses the low bits; the home slot, the high bits (see [`IdTable::home`]).
#[inline]
fn tag_of(h: u64) -> u8 {
    0x80 | (h & 0x7F) as u8
}

impl IdTable {
    /// A table that holds `n` ids without growing.
    pub fn with_capacity(n: usize) -> Self {
        Self::with_slots(Self::slots_for(n))
    }

    /// Slots for `n` entries at a load of at most 7/8: 7 * slots / 8 >= n.
    fn slots_for(n: usize) -> usize {
        n.saturating_add(n / 7).saturating_add(16)
    }

    /// The slot a probe for hash `h` starts at: `h` scaled to `0..cap`.
    #[inline]
    fn home(&self, h: u64) -> usize {
        ((h as u128 * self.cap as u128) >> 64) as usize
    }

    /// The slot `off` places after `p` (`off < GROUP`), wrapping around.
    #[inline]
    fn after(&self, p: usize, off: usize) -> usize {
        let q = p + off;
        if q >= self.cap {
            q - self.cap
        } else {
            q
        }
    }

    fn with_slots(cap: usize) -> Self {
        IdTable {
            tags: vec![0; cap + GROUP],
            slots: vec![0; cap],
            cap,
            len: 0,
        }
    }

    fn set(&mut self, q: usize, tag: u8, i: u32) {
        self.tags[q] = tag;
        if q < GROUP {
            self.tags[self.cap + q] = tag;
        }
        self.slots[q] = i;
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes allocated.
    pub fn allocation_size(&self) -> usize {
        self.tags.capacity() + self.slots.capacity() * 4
    }

    /// Asks the CPU to start loading the lines a probe for hash `h` reads first. A hint only.
    #[inline]
    pub fn prefetch(&self, h: u64) {
        let p = self.home(h);
        // `p < cap <= tags.len()`, `cap == slots.len()`.
        prefetch_read(&self.tags[p]);
        prefetch_read(&self.slots[p]);
    }

    #[inline]
    fn group(&self, p: usize) -> u64 {
        let mut g = [0u8; GROUP];
        g.copy_from_slice(&self.tags[p..p + GROUP]);
        u64::from_le_bytes(g)
    }

    #[inline]
    fn probe(&self, h: u64, mut eq: impl FnMut(u32) -> bool) -> Probe {
        let tag = tag_of(h);
        let mut p = self.home(h);
        loop {
            let g = self.group(p);
            let empties = !g & HI;
            let x = g ^ (LO * tag as u64);
            // Bytes of `x` that are zero (possibly a few false positives, which `eq` rejects).
            let mut matches = x.wrapping_sub(LO) & !x & HI;
            if empties != 0 {
                matches &= empties.wrapping_sub(1) & !empties;
            }
            while matches != 0 {
                let q = self.after(p, matches.trailing_zeros() as usize / 8);
                if eq(self.slots[q]) {
                    return Probe::Found(self.slots[q]);
                }
                matches &= matches - 1;
            }
            if empties != 0 {
                return Probe::Vacant(self.after(p, empties.trailing_zeros() as usize / 8));
            }
            p = self.after(p, GROUP);
        }
    }

    /// The index stored under hash `h` for which `eq` holds.
    #[inline]
    pub fn find(&self, h: u64, eq: impl FnMut(u32) -> bool) -> Option<u32> {
        match self.probe(h, eq) {
            Probe::Found(i) => Some(i),
            Probe::Vacant(_) => None,
        }
    }

    /// Inserts index `i` under hash `h`; the caller knows no equal entry is present. `rehash`
    /// gives the hash of a stored index (needed when the table grows).
    #[inline]
    pub fn insert_unique(
        &mut self,
        h: u64,
        i: u32,
        rehash: impl Fn(u32) -> u64,
    ) -> Result<(), LoadError> {
        if self.len + 1 > self.cap - self.cap / 8 {
            self.rebuild(self.cap * 2, &rehash)?;
        }
        if let Probe::Vacant(q) = self.probe(h, |_| false) {
            self.set(q, tag_of(h), i);
        }
        Ok(())
    }

    /// Moves every entry into a table of `cap` slots.
    fn rebuild(&mut self, cap: usize, rehash: &impl Fn(u32) -> u64) -> Result<(), LoadError> {
        if cap > 1 << 40 {
            return Err(LoadError::new(
                ErrorCode::TooLarge,
                "the id table cannot grow any further",
            ));
        }
        let mut next = IdTable::with_slots(cap);
        for (&t, &i) in self.tags[..self.cap].iter().zip(&self.slots) {
            if t != 0 {
                let h = rehash(i);
                // Entries are distinct, so the probe only looks for room.
                if let Probe::Vacant(q) = next.probe(h, |_| false) {
                    next.set(q, tag_of(h), i);
                }
            }
        }
        *self = next;
        Ok(())
    }

    /// Rebuilds at the smallest capacity that holds the current entries, when that is smaller.
    pub fn shrink_to_fit(&mut self, rehash: impl Fn(u32) -> u64) {
        let cap = Self::slots_for(self.len);
        if cap < self.cap {
            // Cannot fail: `cap` is smaller than the current capacity.
            let _ = self.rebuild(cap, &rehash);
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
