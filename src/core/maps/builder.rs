//! Builds [`HashMapsData`] row by row, in scan order, exactly as the JS reference loop does.

use super::base_id::{base_id, is_whole};
use super::bits::{BitVec, RankedBits};
use super::hash_maps_data::{base_hash_tag, find_in_base_table, HashMapsData};
use super::id_arena::{IdArena, ID_BYTES};
use super::id_table::IdTable;
use super::text_hash::HashStore;
use super::touch::{RowsSeen, Touched};
use crate::core::error::{CodedError, ErrorCode};
use crate::core::table::columns::StrColumn;
use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Accumulates rows; [`MapsBuilder::finish`] freezes them.
///
/// One large table of ids. A base whose first row's id IS the base string (the common case: an
/// id without a `#<digits>` suffix) is found through that id: the id has its "starts a base" bit.
/// Only bases first seen through a chunk id (`x#0`) go into `base_table`, which stays small. So the
/// common row probes one large table, not two.
pub struct MapsBuilder {
    ids: IdArena,
    id_table: IdTable,
    /// Bases first seen through a chunk id → (index of that first id, `base_hash_tag`).
    base_table: HashTable<(u32, u32)>,
    /// Per id: it is the first id of its base.
    base_first: BitVec,
    text_hashes: HashStore,
    /// Per id (first ids only): its base has more than one row.
    multi_by_first: BitVec,
    /// (first id of the base, id index) of every row of a base with more than one row, in scan order.
    multi_rows: Vec<(u32, u32)>,
    hasher: RandomState,
    rows: u64,
    /// The rows the builder was sized for.
    expected_rows: u64,
    /// Per row of the current batch: hash of the id, hash of its base, length of its base.
    batch_key_hashes: Vec<(u64, u64, usize)>,
    /// How far [`MapsBuilder::touch_ahead`] has got in the id text, the id index and the digests.
    touched: ([Touched; 2], Touched),
}

/// How many rows ahead [`MapsBuilder::push_batch`] asks for the hash table lines.
const PREFETCH_AHEAD: usize = 12;

/// The base table is sized up front for one row in this many (a service's table has 5% of its
/// items in chunks, most of them in no more than a few).
const BASE_TABLE_SHARE: usize = 16;

impl MapsBuilder {
    /// A builder sized for a table of `expected_rows` rows: checks the limits first (2^32 - 1
    /// distinct ids), then reserves its memory without ever aborting: `E_TOO_LARGE` past the
    /// limits, `E_NO_MEMORY` when the memory cannot be had.
    pub fn for_rows(expected_rows: u64) -> Result<Self, CodedError> {
        if expected_rows >= u32::MAX as u64 {
            return Err(CodedError::new(
                ErrorCode::TooLarge,
                format!(
                    "the table has {expected_rows} rows; the maps hold at most {} distinct ids",
                    u32::MAX - 1
                ),
            ));
        }
        let n = expected_rows as usize;
        // Bases first seen through a chunk id: sized for one row in 16 up front, so that the
        // table does not grow (rehashing) from empty during the load. Empty, reserving hashes
        // nothing, so the hasher is never called.
        let mut base_table = HashTable::new();
        base_table
            .try_reserve(n / BASE_TABLE_SHARE, |_: &(u32, u32)| 0)
            .map_err(|_| CodedError::new(ErrorCode::NoMemory, "no memory for the base table"))?;
        Ok(MapsBuilder {
            ids: IdArena::try_with_capacity(n, n.saturating_mul(ID_BYTES))?,
            id_table: IdTable::try_with_capacity(n)?,
            base_table,
            base_first: BitVec::try_with_capacity(n)?,
            text_hashes: HashStore::try_with_capacity(n)?,
            multi_by_first: BitVec::try_with_capacity(n)?,
            multi_rows: Vec::new(),
            hasher: RandomState::default(),
            rows: 0,
            expected_rows,
            batch_key_hashes: Vec::new(),
            touched: Default::default(),
        })
    }

    /// A builder sized for about `expected_rows` rows (a hint; more is fine).
    pub fn with_capacity(expected_rows: usize) -> Self {
        MapsBuilder {
            ids: IdArena::with_capacity(expected_rows, expected_rows * ID_BYTES),
            id_table: IdTable::with_capacity(expected_rows),
            base_table: HashTable::new(),
            base_first: BitVec::with_capacity(expected_rows),
            text_hashes: HashStore::with_capacity(expected_rows),
            multi_by_first: BitVec::with_capacity(expected_rows),
            multi_rows: Vec::new(),
            hasher: RandomState::default(),
            rows: 0,
            expected_rows: expected_rows as u64,
            batch_key_hashes: Vec::new(),
            touched: Default::default(),
        }
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Takes the page faults of up to `pages` more pages of the large arrays' reserved memory, a
    /// window ahead of what the rows filled (see [`super::touch`]): for a caller that would
    /// otherwise wait for the next batch. True while there is more to touch in the window.
    pub fn touch_ahead(&mut self, mut pages: usize) -> bool {
        let (ids, digests) = &mut self.touched;
        let rows = RowsSeen {
            done: self.rows,
            expected: self.expected_rows,
        };
        !(self.ids.touch_spare(ids, rows, &mut pages)
            && self.text_hashes.touch_spare(digests, rows, &mut pages))
    }

    /// Adds the rows of a batch in order: `ids` must hold no nulls. The same as [`Self::push_row`]
    /// for each row, only faster: while row `i` is inserted, the table lines that rows
    /// `i + PREFETCH_AHEAD` will probe are already being loaded (see [`IdTable`]).
    pub fn push_batch(
        &mut self,
        ids: &StrColumn,
        text_hashes: &StrColumn,
    ) -> Result<(), CodedError> {
        let n = ids.len();
        if self.rows == 0 {
            // The first batch sizes the id text for the whole table (see IdArena::size_text; if
            // the text moves, touching starts over in its new memory).
            self.ids.size_text(ids.value_bytes(), n, self.expected_rows);
        }
        let mut hs = std::mem::take(&mut self.batch_key_hashes);
        hs.clear();
        hs.extend((0..n).map(|i| self.row_key_hashes(ids.get_non_null(i).as_bytes())));
        for i in 0..n {
            if let Some(&(h, bh, _)) = hs.get(i + PREFETCH_AHEAD) {
                self.id_table.prefetch(h);
                if bh != h {
                    self.id_table.prefetch(bh);
                }
            }
            let (h, bh, base_len) = hs[i];
            self.push_hashed(ids.get_non_null(i), h, bh, base_len, text_hashes.get(i))?;
        }
        // Kept for the next batch (after an error the builder is dropped anyway).
        self.batch_key_hashes = hs;
        Ok(())
    }

    /// Adds one row: its id and its `text_hash` (`None` for null).
    pub fn push_row(&mut self, id: &str, hash: Option<&str>) -> Result<(), CodedError> {
        let (h, bh, base_len) = self.row_key_hashes(id.as_bytes());
        self.push_hashed(id, h, bh, base_len, hash)
    }

    /// The hash of the id, the hash of its base and the base's length.
    #[inline]
    fn row_key_hashes(&self, id: &[u8]) -> (u64, u64, usize) {
        let h = self.hasher.hash_one(id);
        let base = base_id(id);
        let bh = if base.len() == id.len() {
            h
        } else {
            self.hasher.hash_one(base)
        };
        (h, bh, base.len())
    }

    /// [`Self::push_row`] with the hashes of the id (`h`) and of its base (`bh`), and the length
    /// of the base, already known.
    #[inline]
    fn push_hashed(
        &mut self,
        id: &str,
        h: u64,
        bh: u64,
        base_len: usize,
        hash: Option<&str>,
    ) -> Result<(), CodedError> {
        if self.rows >= u32::MAX as u64 {
            return Err(CodedError::new(
                ErrorCode::TooLarge,
                "the table has more than 2^32-1 rows, the limit of this build",
            ));
        }
        let id_bytes = id.as_bytes();
        let hasher = &self.hasher;
        let found = self.id_table.find(h, |i| self.ids.get(i) == id_bytes);
        let (id_index, id_is_new) = match found {
            Some(i) => (i, false),
            None => {
                let i = self.ids.push(id_bytes)?;
                let ids = &self.ids;
                self.id_table
                    .insert_unique(h, i, |j| hasher.hash_one(ids.get(j)))?;
                self.base_first.push(false);
                self.multi_by_first.push(false);
                (i, true)
            }
        };
        let ids = &self.ids;
        let base = &id_bytes[..base_len];
        let whole = base_len == id_bytes.len();
        let in_base_table = |bt: &HashTable<(u32, u32)>| find_in_base_table(bt, ids, bh, base);
        let existing = if whole {
            if !id_is_new && self.base_first.get(id_index as usize) {
                Some(id_index) // this very id started its base
            } else {
                in_base_table(&self.base_table)
            }
        } else {
            let starts = &self.base_first;
            self.id_table
                .find(bh, |j| ids.get(j) == base)
                .filter(|&j| starts.get(j as usize) && is_whole(ids.get(j)))
                .or_else(|| in_base_table(&self.base_table))
        };
        match existing {
            Some(first) => {
                if !self.multi_by_first.get(first as usize) {
                    self.multi_by_first.set(first as usize, true);
                    self.multi_rows.push((first, first));
                }
                self.multi_rows.push((first, id_index));
            }
            None => {
                // A base not seen before: its row's id cannot have been seen before either.
                debug_assert!(id_is_new);
                self.base_first.set(id_index as usize, true);
                self.text_hashes.push(hash);
                if !whole {
                    self.base_table
                        .insert_unique(bh, (id_index, base_hash_tag(bh)), |&(f, _)| {
                            hasher.hash_one(base_id(ids.get(f)))
                        });
                }
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
            base_first,
            mut text_hashes,
            multi_by_first,
            mut multi_rows,
            hasher,
            rows,
            expected_rows: _,
            batch_key_hashes: _,
            touched: _,
        } = self;
        let base_first = RankedBits::new(base_first);
        // Per base (in base order): has more than one row.
        let mut multi = BitVec::filled(text_hashes.len(), false);
        let mut f = 0;
        while let Some(first) = multi_by_first.next_one(f) {
            multi.set(base_first.rank(first), true);
            f = first + 1;
        }
        drop(multi_by_first);
        // Chunk lists grouped by base: base order is first-id order, and a stable sort keeps scan order.
        multi_rows.sort_by_key(|&(first, _)| first);
        let mut multi_starts = Vec::with_capacity(multi_rows.len() / 2 + 2);
        let mut multi_ids = Vec::with_capacity(multi_rows.len());
        let mut prev = None;
        for &(first, id) in &multi_rows {
            if prev != Some(first) {
                multi_starts.push(multi_ids.len() as u32);
                prev = Some(first);
            }
            multi_ids.push(id);
        }
        multi_starts.push(multi_ids.len() as u32);
        drop(multi_rows);

        ids.shrink_to_fit();
        text_hashes.shrink_to_fit();
        let ids_ref = &ids;
        id_table.shrink_to_fit(|j| hasher.hash_one(ids_ref.get(j)));
        base_table.shrink_to(0, |&(f, _)| hasher.hash_one(base_id(ids_ref.get(f))));
        HashMapsData {
            id_table,
            base_table,
            base_first,
            hashes: text_hashes,
            multi: RankedBits::new(multi),
            multi_starts,
            multi_ids,
            hasher,
            rows,
            ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_past_the_limits_are_refused_before_any_memory_is_taken() {
        for rows in [u32::MAX as u64, u32::MAX as u64 + 1, u64::MAX] {
            let e = MapsBuilder::for_rows(rows).err().expect("refused");
            assert_eq!(e.code, ErrorCode::TooLarge, "{rows}: {}", e.message);
        }
    }

    #[test]
    fn the_first_batch_sizes_the_id_text_and_later_batches_keep_it() {
        use arrow_array::{ArrayRef, StringArray};
        let column = |values: Vec<String>| {
            let array: ArrayRef = std::sync::Arc::new(StringArray::from(values));
            StrColumn::new(&array, "id").unwrap()
        };
        let hashes = |n: usize| column(vec!["0".repeat(64); n]);
        // 40-byte ids, where 24 bytes a row were reserved: sized by the first batch of 2,000 of
        // 100,000 rows, the text holds every id without moving again.
        let id = |i: usize| format!("{i:0>40}");
        let mut b = MapsBuilder::for_rows(100_000).unwrap();
        b.push_batch(&column((0..2000).map(id).collect()), &hashes(2000))
            .unwrap();
        let capacity = b.ids.text_capacity();
        assert!(capacity >= 40 * 100_000, "{capacity}");
        b.push_batch(&column((2000..100_000).map(id).collect()), &hashes(98_000))
            .unwrap();
        assert_eq!(b.ids.text_capacity(), capacity);
        let data = b.finish();
        assert_eq!(data.id_count(), 100_000);
        assert_eq!(data.id(99_999), id(99_999));
    }

    #[test]
    fn memory_the_machine_cannot_give_is_an_error_not_an_abort() {
        // 4 billion rows want about 100 GiB for the id text alone: no machine this runs tests on
        // has that, and the reservation must fail cleanly instead of aborting the process.
        let e = MapsBuilder::for_rows(u32::MAX as u64 - 2)
            .err()
            .expect("refused");
        assert_eq!(e.code, ErrorCode::NoMemory, "{}", e.message);
        assert!(e.message.contains("MiB"), "{}", e.message);
        // The process is fine: a normal builder still works.
        let mut b = MapsBuilder::for_rows(10).unwrap();
        b.push_row("a#1", None).unwrap();
        assert_eq!(b.finish().row_count(), 1);
    }
}
