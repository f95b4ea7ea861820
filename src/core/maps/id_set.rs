//! The native part of `existingIds`: the table's ids at fixed positions (their index in the maps,
//! in scan order), each live or deleted. Nothing is ever added here, so positions never move and
//! a walk can go on from any position after any change. Ids added after the load live in a JS
//! `Set` next to this (see `js/existing-ids.js`).

use super::bits::{BitVec, SeenIndexes};
use super::hash_maps_data::HashMapsData;
use crate::core::{CodedError, ErrorCode};
use std::sync::Arc;

/// A position in the set's order: the index of a table id in the maps.
pub type Position = usize;

pub struct TableIds {
    data: Arc<HashMapsData>,
    /// Per table id: not deleted.
    live: BitVec,
    /// Set bits of `live`.
    size: usize,
}

impl TableIds {
    pub fn new(data: Arc<HashMapsData>) -> Self {
        let n = data.id_count();
        TableIds {
            live: BitVec::filled(n, true),
            data,
            size: n,
        }
    }

    /// Live ids.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The position of `id` if it is a live table id.
    fn position(&self, id: &[u8]) -> Option<Position> {
        let i = self.data.find_id(id)? as usize;
        self.live.get(i).then_some(i)
    }

    pub fn has(&self, id: impl AsRef<[u8]>) -> bool {
        self.position(id.as_ref()).is_some()
    }

    /// Deletes `id`; `true` if it was live (like `Set#delete`).
    pub fn delete(&mut self, id: impl AsRef<[u8]>) -> bool {
        match self.position(id.as_ref()) {
            Some(i) => self.delete_at(i),
            None => false,
        }
    }

    /// Whether this set was made from `data` (so id indexes of `data` are its positions).
    pub fn is_over(&self, data: &Arc<HashMapsData>) -> bool {
        Arc::ptr_eq(&self.data, data)
    }

    /// [`Self::has`] of the id at position `i`, without a lookup.
    pub fn has_at(&self, i: Position) -> bool {
        i < self.live.len() && self.live.get(i)
    }

    /// [`Self::delete`] of the id at position `i`, without a lookup.
    pub fn delete_at(&mut self, i: Position) -> bool {
        if !self.has_at(i) {
            return false;
        }
        self.live.set(i, false);
        self.size -= 1;
        true
    }

    /// Of the ids at `indexes` of `data` (a plan's candidates to delete), the positions in
    /// `indexes` of those live here, each id once; deleted here when `remove`. By position when
    /// this set was made from `data`, else by the id's text. Every index is checked first: an
    /// error leaves the set as it was.
    pub fn take_indexes(
        &mut self,
        data: &Arc<HashMapsData>,
        indexes: &[u32],
        remove: bool,
    ) -> Result<Vec<u32>, CodedError> {
        if let Some(&i) = indexes.iter().find(|&&i| i as usize >= data.id_count()) {
            return Err(CodedError::new(
                ErrorCode::Internal,
                format!("id index {i} is out of range"),
            ));
        }
        let same = self.is_over(data);
        let mut seen = SeenIndexes::new(data.id_count(), indexes.len());
        let mut found = Vec::new();
        for (k, &i) in indexes.iter().enumerate() {
            if !seen.insert(i) {
                continue;
            }
            let present = match (same, remove) {
                (true, true) => self.delete_at(i as usize),
                (true, false) => self.has_at(i as usize),
                (false, true) => self.delete(data.id(i)),
                (false, false) => self.has(data.id(i)),
            };
            if present {
                found.push(k as u32);
            }
        }
        Ok(found)
    }

    /// Deletes every id (like `Set#clear`).
    pub fn clear(&mut self) {
        self.live = BitVec::filled(self.live.len(), false);
        self.size = 0;
    }

    /// The first live position at or after `from`, with its id's UTF-8 bytes (unchecked: callers
    /// that copy many ids check the copy once).
    pub fn next_from(&self, from: Position) -> Option<(Position, &[u8])> {
        if from >= self.live.len() {
            return None;
        }
        let i = self.live.next_one(from)?;
        Some((i, self.data.id_bytes(i as u32)))
    }

    pub fn heap_bytes(&self) -> usize {
        self.live.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::maps::builder::MapsBuilder;

    fn ids(set: &TableIds) -> Vec<String> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some((p, id)) = set.next_from(pos) {
            out.push(String::from_utf8(id.to_vec()).unwrap());
            pos = p + 1;
        }
        out
    }

    #[test]
    fn take_indexes_by_position_or_by_text_each_id_once() {
        let data = |ids: &[&str]| {
            let mut b = MapsBuilder::with_capacity(ids.len());
            for id in ids {
                b.push_row(id, Some("h")).unwrap();
            }
            Arc::new(b.finish())
        };
        let mine = data(&["a", "b", "c", "d"]);
        let other = data(&["c", "x", "a"]);
        for remove in [false, true] {
            let mut set = TableIds::new(mine.clone());
            set.delete("d");
            // By position: 3 ("d") is deleted, 1 ("b") comes twice.
            assert_eq!(
                set.take_indexes(&mine, &[1, 3, 1, 0], remove).unwrap(),
                [0, 3]
            );
            assert_eq!((set.has("a"), set.has("b")), (!remove, !remove));
            // By text, through other maps: "x" is not here.
            assert_eq!(set.take_indexes(&other, &[2, 1, 0, 2], remove).unwrap(), {
                if remove {
                    vec![2]
                } else {
                    vec![0, 2]
                }
            });
            // An index out of range: an error, and nothing taken.
            let size = set.size();
            assert!(set.take_indexes(&mine, &[2, 9], true).is_err());
            assert_eq!(set.size(), size);
        }
    }

    #[test]
    fn positions_stay_where_they_are_through_deletes_and_clear() {
        let mut b = MapsBuilder::with_capacity(4);
        for id in ["a#0", "a#1", "b", "a#0"] {
            b.push_row(id, Some("h")).unwrap();
        }
        let mut set = TableIds::new(Arc::new(b.finish()));
        assert_eq!(ids(&set), ["a#0", "a#1", "b"]);
        assert_eq!(set.next_from(1).map(|(p, _)| p), Some(1));
        assert!(set.delete("a#1"));
        assert!(!set.delete("a#1"));
        assert!(!set.delete("never"));
        assert_eq!((set.has("a#1"), set.has("b"), set.size()), (false, true, 2));
        // The walk from position 1 goes on at 2: nothing moved.
        assert_eq!(set.next_from(1).map(|(p, _)| p), Some(2));
        assert!(set.delete_at(0) && !set.delete_at(0) && !set.delete_at(99));
        assert!(!set.has_at(0) && set.has_at(2) && !set.has_at(99));
        set.clear();
        assert_eq!((set.size(), set.next_from(0).is_none()), (0, true));
        assert!(!set.has("b"));
    }
}
