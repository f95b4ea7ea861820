//! Builds [`HashMapsData`] row by row, in scan order, exactly as the JS reference loop does.

use super::base_id::base_id;
use super::bits::{BitVec, RankedBits};
use super::error::{ErrorCode, LoadError};
use super::id_arena::IdArena;
use super::maps::HashMapsData;
use super::text_hash::HashStore;
use foldhash::fast::RandomState;
use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Accumulates rows; [`MapsBuilder::finish`] freezes them.
pub struct MapsBuilder {
    ids: IdArena,
    id_table: HashTable<u32>,
    /// Base table during the build: dense base index (turned into first-id indexes at the end).
    base_table: HashTable<u32>,
    /// Base index → index of its first id (build only).
    base_first_id: Vec<u32>,
    /// Per id: it is the first id of its base.
    starts_base: BitVec,
    hashes: HashStore,
    /// Per base: it has more than one row.
    multi: BitVec,
    /// (base index, id index) of every row of a base with more than one row, in scan order.
    multi_rows: Vec<(u32, u32)>,
    hasher: RandomState,
    rows: u64,
}

impl MapsBuilder {
    /// A builder sized for about `expected_rows` rows (a hint; more is fine).
    pub fn with_capacity(expected_rows: usize) -> Self {
        MapsBuilder {
            ids: IdArena::with_capacity(expected_rows, expected_rows * 24),
            id_table: HashTable::with_capacity(expected_rows),
            base_table: HashTable::with_capacity(expected_rows),
            base_first_id: Vec::with_capacity(expected_rows),
            starts_base: BitVec::with_capacity(expected_rows),
            hashes: HashStore::with_capacity(expected_rows),
            multi: BitVec::with_capacity(expected_rows),
            multi_rows: Vec::new(),
            hasher: RandomState::default(),
            rows: 0,
        }
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds one row: its id and its `text_hash` (`None` for null).
    #[inline]
    pub fn push_row(&mut self, id: &str, hash: Option<&str>) -> Result<(), LoadError> {
        if self.rows >= u32::MAX as u64 {
            return Err(LoadError::new(
                ErrorCode::TooLarge,
                "the table has more than 2^32-1 rows, the limit of this build",
            ));
        }
        let id_bytes = id.as_bytes();
        let h = self.hasher.hash_one(id_bytes);
        let hasher = &self.hasher;
        // One probe per table: `entry` finds the key or the slot to insert it.
        let ids = &mut self.ids;
        let id_index = match self.id_table.entry(
            h,
            |&i| ids.get(i) == id_bytes,
            |&j| hasher.hash_one(ids.get(j)),
        ) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(v) => {
                let i = ids.push(id_bytes)?;
                v.insert(i);
                self.starts_base.push(false);
                i
            }
        };
        let base = base_id(id_bytes);
        let bh = if base.len() == id_bytes.len() {
            h
        } else {
            hasher.hash_one(base)
        };
        let (ids, firsts) = (&self.ids, &self.base_first_id);
        let entry = self.base_table.entry(
            bh,
            |&b| base_id(ids.get(firsts[b as usize])) == base,
            |&c| hasher.hash_one(base_id(ids.get(firsts[c as usize]))),
        );
        match entry {
            Entry::Occupied(e) => {
                let b = *e.get();
                if !self.multi.get(b as usize) {
                    self.multi.set(b as usize, true);
                    self.multi_rows.push((b, self.base_first_id[b as usize]));
                }
                self.multi_rows.push((b, id_index));
            }
            Entry::Vacant(v) => {
                // A base not seen before: its row's id cannot have been seen before either.
                let b = self.base_first_id.len() as u32;
                v.insert(b);
                self.base_first_id.push(id_index);
                self.starts_base.set(id_index as usize, true);
                self.hashes.push(hash);
                self.multi.push(false);
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Freezes the maps, releasing build-only memory.
    pub fn finish(self) -> HashMapsData {
        let MapsBuilder {
            mut ids,
            mut id_table,
            mut base_table,
            base_first_id,
            starts_base,
            mut hashes,
            multi,
            mut multi_rows,
            hasher,
            rows,
        } = self;
        // The base table keeps first-id indexes from now on; the hash of each entry is unchanged.
        for b in base_table.iter_mut() {
            *b = base_first_id[*b as usize];
        }
        drop(base_first_id);
        // Chunk lists of multi-row bases, grouped by base in base order; a stable sort keeps scan order.
        multi_rows.sort_by_key(|&(b, _)| b);
        let mut multi_starts = Vec::with_capacity(multi_rows.len() / 2 + 2);
        let mut multi_ids = Vec::with_capacity(multi_rows.len());
        let mut prev = None;
        for &(b, id) in &multi_rows {
            if prev != Some(b) {
                multi_starts.push(multi_ids.len() as u32);
                prev = Some(b);
            }
            multi_ids.push(id);
        }
        multi_starts.push(multi_ids.len() as u32);
        drop(multi_rows);

        ids.shrink_to_fit();
        hashes.shrink_to_fit();
        let ids_ref = &ids;
        id_table.shrink_to(0, |&j| hasher.hash_one(ids_ref.get(j)));
        base_table.shrink_to(0, |&f| hasher.hash_one(base_id(ids_ref.get(f))));
        HashMapsData {
            id_table,
            base_table,
            base_first: RankedBits::new(starts_base),
            hashes,
            multi: RankedBits::new(multi),
            multi_starts,
            multi_ids,
            hasher,
            rows,
            ids,
        }
    }
}
