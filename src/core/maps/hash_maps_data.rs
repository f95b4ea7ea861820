//! The three maps, frozen after the scan: `baseHashMap`, the initial `existingIds`, `existingChunks`.
//!
//! Layout (no per-row allocation): every distinct id once in an [`IdArena`], in first-seen order;
//! a hash table of id indexes; a base is named by the index of its first id (a bit per id marks
//! "this id starts a base", and rank over those bits gives the base's dense index, which is also
//! its position in base order); the first row's hash per base in a [`HashStore`]; chunk lists only
//! for bases with more than one row (a base with one row lists exactly its first id).

use super::base_id::{base_id, is_whole};
use super::bits::RankedBits;
use super::id_arena::IdArena;
use super::id_table::IdTable;
use super::text_hash::{HashRef, HashStore};
use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// A base, as found by a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseRef {
    /// Index of the first id (in scan order) with this base; the base is a prefix of it.
    pub first_id: u32,
    /// Position of the base in insertion order.
    pub index: u32,
}

/// The ids of one base, in scan order.
#[derive(Debug, Clone, Copy)]
pub enum Chunks<'a> {
    One(u32),
    Many(&'a [u32]),
}

impl Chunks<'_> {
    pub fn len(&self) -> usize {
        match self {
            Chunks::One(_) => 1,
            Chunks::Many(ids) => ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn to_vec(&self) -> Vec<u32> {
        match self {
            Chunks::One(i) => vec![*i],
            Chunks::Many(ids) => ids.to_vec(),
        }
    }
}

/// The high half of a base's hash, kept beside its entry in the base table: comparing it first
/// keeps lookups (most of which miss) from reading ids.
#[inline]
pub(super) fn base_hash_tag(h: u64) -> u32 {
    (h >> 32) as u32
}

/// In a table of bases first seen through a chunk id ((first id, [`base_hash_tag`]) entries), the
/// first id of the base `key`, whose hash is `h`.
#[inline]
pub(super) fn find_in_base_table(
    table: &HashTable<(u32, u32)>,
    ids: &IdArena,
    h: u64,
    key: &[u8],
) -> Option<u32> {
    table
        .find(h, |&(f, tag)| {
            tag == base_hash_tag(h) && base_id(ids.get(f)) == key
        })
        .map(|&(f, _)| f)
}

/// The frozen result of one scan.
pub struct HashMapsData {
    pub(super) ids: IdArena,
    pub(super) id_table: IdTable,
    /// Bases first seen through a chunk id → (that id, `base_hash_tag`); other bases are found
    /// through their id.
    pub(super) base_table: HashTable<(u32, u32)>,
    pub(super) base_first: RankedBits,
    pub(super) hashes: HashStore,
    pub(super) multi: RankedBits,
    pub(super) multi_starts: Vec<u32>,
    pub(super) multi_ids: Vec<u32>,
    pub(super) hasher: RandomState,
    pub(super) rows: u64,
}

impl HashMapsData {
    /// Rows read (deleted rows excluded), duplicates included.
    pub fn row_count(&self) -> u64 {
        self.rows
    }

    /// Distinct ids.
    pub fn id_count(&self) -> usize {
        self.ids.len()
    }

    /// Distinct base ids.
    pub fn base_count(&self) -> usize {
        self.hashes.len()
    }

    #[inline]
    pub fn hash_bytes(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The text of id `i`.
    #[inline]
    pub fn id(&self, i: u32) -> &str {
        self.ids.get_str(i)
    }

    /// The UTF-8 bytes of id `i`, unchecked (for bulk copies that check the whole page once).
    #[inline]
    pub fn id_bytes(&self, i: u32) -> &[u8] {
        self.ids.get(i)
    }

    /// Index of the id equal to `id`.
    pub fn find_id(&self, id: &[u8]) -> Option<u32> {
        let h = self.hash_bytes(id);
        self.id_table.find(h, |i| self.ids.get(i) == id)
    }

    /// Asks the CPU to start loading what a lookup of a key with hash `h` reads first.
    #[inline]
    pub fn prefetch(&self, h: u64) {
        self.id_table.prefetch(h);
    }

    /// The base equal to `key`: through the id equal to it when that id started the base (and is
    /// its own base), else through the table of bases first seen by a chunk id.
    pub fn find_base(&self, key: &[u8]) -> Option<BaseRef> {
        self.find_base_hashed(key, self.hash_bytes(key))
    }

    /// [`Self::find_base`] with the key's hash already computed.
    #[inline]
    pub fn find_base_hashed(&self, key: &[u8], h: u64) -> Option<BaseRef> {
        let first_id = self
            .id_table
            .find(h, |i| self.ids.get(i) == key)
            .filter(|&i| self.base_first.get(i as usize) && is_whole(self.ids.get(i)))
            .or_else(|| find_in_base_table(&self.base_table, &self.ids, h, key))?;
        Some(BaseRef {
            first_id,
            index: self.base_first.rank(first_id as usize) as u32,
        })
    }

    /// The base id text of a base.
    #[inline]
    pub fn base_key(&self, base: BaseRef) -> &str {
        let id = self.ids.get_str(base.first_id);
        &id[..base_id(id.as_bytes()).len()]
    }

    /// The UTF-8 bytes of the base's key, unchecked (see `id_bytes`).
    #[inline]
    pub fn base_key_bytes(&self, base: BaseRef) -> &[u8] {
        base_id(self.ids.get(base.first_id))
    }

    /// Asks the CPU to start loading the base's hash.
    #[inline]
    pub fn prefetch_base_hash(&self, base: BaseRef) {
        self.hashes.prefetch(base.index as usize);
    }

    /// The hash of the base's first row.
    #[inline]
    pub fn base_hash(&self, base: BaseRef) -> HashRef<'_> {
        self.hashes.get(base.index as usize)
    }

    /// Every id with this base, in scan order (duplicates included).
    pub fn base_chunks(&self, base: BaseRef) -> Chunks<'_> {
        let b = base.index as usize;
        if !self.multi.get(b) {
            return Chunks::One(base.first_id);
        }
        let m = self.multi.rank(b);
        Chunks::Many(
            &self.multi_ids[self.multi_starts[m] as usize..self.multi_starts[m + 1] as usize],
        )
    }

    /// The base after `prev` in insertion order (`None` for the first), if any.
    #[inline]
    pub fn next_base(&self, prev: Option<BaseRef>) -> Option<BaseRef> {
        match prev {
            None => self.base_from(0, 0),
            Some(b) => self.base_from(b.first_id as usize + 1, b.index + 1),
        }
    }

    /// The first base whose first id is at or after `from_id`, given that `index` bases come
    /// before it (a cursor kept by a caller that walks the bases page by page).
    #[inline]
    pub fn base_from(&self, from_id: usize, index: u32) -> Option<BaseRef> {
        let first_id = self.base_first.next_one(from_id)? as u32;
        Some(BaseRef { first_id, index })
    }

    /// Every base, in insertion order.
    pub fn bases(&self) -> impl Iterator<Item = BaseRef> + '_ {
        std::iter::successors(self.next_base(None), |&b| self.next_base(Some(b)))
    }

    /// Calls `visit` for each base from the cursor (`from_id`, `from_index`: what a previous walk
    /// answered, or `0, 0`) on, while it returns `true` and `max` bases are not reached; answers
    /// the cursor after the last base visited and whether no base is left after it. A walk page by
    /// page this way visits every base once, in order, as [`Self::bases`].
    pub fn walk_bases(
        &self,
        from_id: u32,
        from_index: u32,
        max: u32,
        mut visit: impl FnMut(BaseRef) -> bool,
    ) -> (u32, u32, bool) {
        let (mut next_id, mut next_index) = (from_id, from_index);
        let mut count = 0;
        while count < max {
            let Some(base) = self.base_from(next_id as usize, next_index) else {
                return (next_id, next_index, true);
            };
            next_id = base.first_id + 1;
            next_index = base.index + 1;
            count += 1;
            if !visit(base) {
                break;
            }
        }
        let done = self.base_from(next_id as usize, next_index).is_none();
        (next_id, next_index, done)
    }

    /// Bytes of memory this structure holds (not counting the struct itself).
    pub fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes()
            + self.id_table.allocation_size()
            + self.base_table.allocation_size()
            + self.base_first.heap_bytes()
            + self.hashes.heap_bytes()
            + self.multi.heap_bytes()
            + self.multi_starts.capacity() * 4
            + self.multi_ids.capacity() * 4
    }

    /// Bytes of id text held (the part of `heap_bytes` that scales with id length).
    pub fn id_text_bytes(&self) -> usize {
        self.ids.text_bytes()
    }
}

#[cfg(test)]
mod tests {
    use crate::core::MapsBuilder;

    #[test]
    fn walking_page_by_page_visits_every_base_once_in_order() {
        let mut b = MapsBuilder::with_capacity(64);
        for i in 0..40 {
            b.push_row(&format!("b{}#{}", i / 3, i % 3), None).unwrap();
        }
        let data = b.finish();
        let all: Vec<_> = data.bases().collect();
        assert_eq!(all.len(), 14);
        for max in [1, 3, 13, 14, 100] {
            let (mut cursor, mut seen, mut done) = ((0, 0), Vec::new(), false);
            while !done {
                let (id, index, end) = data.walk_bases(cursor.0, cursor.1, max, |base| {
                    seen.push(base);
                    true
                });
                (cursor, done) = ((id, index), end);
            }
            assert_eq!(seen, all, "pages of {max}");
        }
        // `visit` answering `false` ends the page after that base; the next page goes on there.
        let (id, index, done) = data.walk_bases(0, 0, 10, |base| base.index < 4);
        assert_eq!((index, done), (5, false));
        let (_, _, done) = data.walk_bases(id, index, 10, |base| {
            assert_eq!(base, all[5]);
            false
        });
        assert!(!done);
        // Past the last base: nothing visited, done.
        let last = all[13];
        let after = data.walk_bases(last.first_id + 1, last.index + 1, 5, |_| unreachable!());
        assert_eq!(after, (last.first_id + 1, last.index + 1, true));
        assert!(!data.walk_bases(0, 0, 0, |_| unreachable!()).2);
    }
}
