//! `existingIds`: a mutable set over the frozen ids, with the exact semantics of a JS `Set`:
//! iteration in insertion order, `delete` then `add` moves an id to the end, and iteration is live
//! (entries deleted before they are reached are skipped, entries added during it are visited).

use super::bits::BitVec;
use super::hash_maps_data::HashMapsData;
use super::id_arena::IdArena;
use hashbrown::{HashMap, HashTable};
use std::sync::Arc;

/// An id in the set: one of the frozen ids, or one added later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Frozen(u32),
    Added(u32),
}

/// A position in the set's order. Positions never move while a walk may hold one (deleted ones
/// are skipped); [`IdSetState::compact`] renumbers those after the frozen ids.
pub type Cursor = usize;

/// Deleted entries after the frozen ids below which [`IdSetState::compact`] is not worth it.
const COMPACT_MIN: usize = 4096;

pub struct IdSetState {
    data: Arc<HashMapsData>,
    /// Per frozen id: still at its original position and present.
    frozen_alive: BitVec,
    /// Entries appended after the build, in order, with their liveness.
    tail: Vec<Entry>,
    tail_alive: BitVec,
    /// Set bits of `tail_alive`.
    tail_live: usize,
    /// Frozen ids re-added after a delete → their position in `tail`.
    moved: HashMap<u32, u32>,
    /// Ids that were never in the table.
    added: IdArena,
    added_table: HashTable<u32>,
    /// Added id → its position in `tail`.
    added_pos: Vec<u32>,
    size: usize,
}

impl IdSetState {
    pub fn new(data: Arc<HashMapsData>) -> Self {
        let n = data.id_count();
        IdSetState {
            frozen_alive: BitVec::filled(n, true),
            data,
            tail: Vec::new(),
            tail_alive: BitVec::default(),
            tail_live: 0,
            moved: HashMap::new(),
            added: IdArena::default(),
            added_table: HashTable::new(),
            added_pos: Vec::new(),
            size: n,
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Positions below this are the table's ids: [`Self::compact`] never moves them.
    pub fn frozen_len(&self) -> usize {
        self.frozen_alive.len()
    }

    fn find_added(&self, id: &[u8]) -> Option<u32> {
        let h = self.data.hash_bytes(id);
        self.added_table
            .find(h, |&i| self.added.get(i) == id)
            .copied()
    }

    /// The live position of `id`, if present.
    fn position(&self, id: &[u8]) -> Option<Cursor> {
        let frozen_len = self.frozen_alive.len();
        if let Some(i) = self.data.find_id(id) {
            if self.frozen_alive.get(i as usize) {
                return Some(i as usize);
            }
            let p = *self.moved.get(&i)? as usize;
            return self.tail_alive.get(p).then_some(frozen_len + p);
        }
        let a = self.find_added(id)?;
        let p = self.added_pos[a as usize] as usize;
        self.tail_alive.get(p).then_some(frozen_len + p)
    }

    pub fn has(&self, id: impl AsRef<[u8]>) -> bool {
        self.position(id.as_ref()).is_some()
    }

    /// Removes `id`; `true` if it was present (like `Set#delete`).
    pub fn delete(&mut self, id: impl AsRef<[u8]>) -> bool {
        match self.position(id.as_ref()) {
            Some(pos) => self.remove_at(pos),
            None => false,
        }
    }

    /// Whether this set was made from `data` (so frozen id indexes of `data` are its own).
    pub fn is_over(&self, data: &Arc<HashMapsData>) -> bool {
        Arc::ptr_eq(&self.data, data)
    }

    /// [`Self::has`] of frozen id `i` (an index into this set's maps), without a lookup.
    pub fn has_frozen(&self, i: u32) -> bool {
        let i = i as usize;
        if i >= self.frozen_alive.len() {
            return false;
        }
        self.frozen_alive.get(i)
            || self
                .moved
                .get(&(i as u32))
                .is_some_and(|&p| self.tail_alive.get(p as usize))
    }

    /// [`Self::delete`] of frozen id `i` (an index into this set's maps), without a lookup.
    pub fn delete_frozen(&mut self, i: u32) -> bool {
        let i = i as usize;
        if i >= self.frozen_alive.len() {
            return false;
        }
        if self.frozen_alive.get(i) {
            return self.remove_at(i);
        }
        match self.moved.get(&(i as u32)) {
            Some(&p) if self.tail_alive.get(p as usize) => {
                self.remove_at(self.frozen_alive.len() + p as usize)
            }
            _ => false,
        }
    }

    /// Marks the live entry at `pos` deleted.
    fn remove_at(&mut self, pos: Cursor) -> bool {
        let frozen_len = self.frozen_alive.len();
        if pos < frozen_len {
            self.frozen_alive.set(pos, false);
        } else {
            self.tail_alive.set(pos - frozen_len, false);
            self.tail_live -= 1;
        }
        self.size -= 1;
        true
    }

    /// Adds `id` at the end if absent (like `Set#add`). Fails only past the limits of the id
    /// arena (4 GiB of added ids) or when memory cannot be had.
    pub fn add(&mut self, id: &str) -> Result<(), crate::core::error::LoadError> {
        let bytes = id.as_bytes();
        if self.position(bytes).is_some() {
            return Ok(());
        }
        // Positions are u32 (and JS reads them as such): past 2^32 - 1 additions, refuse.
        if self.tail.len() >= u32::MAX as usize - self.frozen_alive.len() {
            return Err(crate::core::error::LoadError::new(
                crate::core::error::ErrorCode::TooLarge,
                "existingIds has taken 2^32 additions; it cannot take more",
            ));
        }
        let p = self.tail.len() as u32;
        if let Some(i) = self.data.find_id(bytes) {
            self.moved.insert(i, p);
            self.tail.push(Entry::Frozen(i));
        } else if let Some(a) = self.find_added(bytes) {
            self.added_pos[a as usize] = p;
            self.tail.push(Entry::Added(a));
        } else {
            let a = self.added.push(bytes)?;
            let h = self.data.hash_bytes(bytes);
            let (added, data) = (&self.added, &self.data);
            self.added_table
                .insert_unique(h, a, |&j| data.hash_bytes(added.get(j)));
            self.added_pos.push(p);
            self.tail.push(Entry::Added(a));
        }
        self.tail_alive.push(true);
        self.tail_live += 1;
        self.size += 1;
        Ok(())
    }

    /// Whether [`Self::compact`] would give back much: deleted entries after the frozen ids are
    /// at least `COMPACT_MIN` and more than the live ones.
    pub fn worth_compacting(&self) -> bool {
        let dead = self.tail.len() - self.tail_live;
        dead >= COMPACT_MIN && dead > self.tail_live
    }

    /// Drops the room of deleted entries after the frozen ids: the tail keeps its live entries in
    /// order, and the text of added ids only for those present. Positions after the frozen ids
    /// change, so only when no walk holds one (the JS layer calls it then); the order of ids does
    /// not change. Memory churned through `delete` and `add` comes back here, as a JS `Set`'s
    /// does when it rehashes.
    pub fn compact(&mut self) -> Result<(), crate::core::error::LoadError> {
        use crate::core::error::try_reserve;
        let live = self.tail_live;
        let no_memory = || {
            crate::core::error::LoadError::new(
                crate::core::error::ErrorCode::NoMemory,
                "no memory to compact existingIds",
            )
        };
        let mut tail = Vec::new();
        try_reserve(&mut tail, live, "existingIds' order")?;
        let mut moved = HashMap::new();
        moved
            .try_reserve(self.moved.len().min(live))
            .map_err(|_| no_memory())?;
        let mut added = IdArena::default();
        let mut added_table = HashTable::new();
        // Empty: reserving rehashes nothing, so the hasher is never called.
        added_table
            .try_reserve(self.added_pos.len().min(live), |_: &u32| 0)
            .map_err(|_| no_memory())?;
        let mut added_pos = Vec::new();
        try_reserve(
            &mut added_pos,
            self.added_pos.len().min(live),
            "existingIds' added ids",
        )?;
        let mut tail_alive = BitVec::try_with_capacity(live)?;
        for (p, &entry) in self.tail.iter().enumerate() {
            if !self.tail_alive.get(p) {
                continue;
            }
            let np = tail.len() as u32;
            match entry {
                Entry::Frozen(i) => {
                    moved.insert(i, np);
                    tail.push(Entry::Frozen(i));
                }
                Entry::Added(a) => {
                    let bytes = self.added.get(a);
                    let na = added.push(bytes)?;
                    let data = &self.data;
                    added_table.insert_unique(data.hash_bytes(bytes), na, |&j| {
                        data.hash_bytes(added.get(j))
                    });
                    added_pos.push(np);
                    tail.push(Entry::Added(na));
                }
            }
            tail_alive.push(true);
        }
        // Nothing changes before this point: an error above leaves the set as it was.
        self.tail = tail;
        self.tail_alive = tail_alive;
        self.moved = moved;
        self.added = added;
        self.added_table = added_table;
        self.added_pos = added_pos;
        Ok(())
    }

    /// Removes every id (like `Set#clear`). As in JS, an open iterator goes on to ids added afterwards.
    pub fn clear(&mut self) {
        self.frozen_alive = BitVec::filled(self.frozen_alive.len(), false);
        self.tail_alive = BitVec::filled(self.tail_alive.len(), false);
        self.tail_live = 0;
        self.size = 0;
    }

    /// The first live position at or after `from`, with its id's UTF-8 bytes (unchecked: callers
    /// that copy many ids check the copy once).
    pub fn next_from(&self, from: Cursor) -> Option<(Cursor, &[u8])> {
        let frozen_len = self.frozen_alive.len();
        if from < frozen_len {
            if let Some(i) = self.frozen_alive.next_one(from) {
                return Some((i, self.data.id_bytes(i as u32)));
            }
        }
        let p = self.tail_alive.next_one(from.saturating_sub(frozen_len))?;
        let text = match self.tail[p] {
            Entry::Frozen(i) => self.data.id_bytes(i),
            Entry::Added(a) => self.added.get(a),
        };
        Some((frozen_len + p, text))
    }

    pub fn heap_bytes(&self) -> usize {
        self.frozen_alive.heap_bytes()
            + self.tail.capacity() * 8
            + self.tail_alive.heap_bytes()
            + self.moved.allocation_size()
            + self.added.heap_bytes()
            + self.added_table.allocation_size()
            + self.added_pos.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::maps::builder::MapsBuilder;

    #[test]
    fn churn_through_delete_and_add_stays_bounded_when_compacted() {
        let mut b = MapsBuilder::with_capacity(1000);
        for i in 0..1000 {
            b.push_row(&format!("doc-{i}#0"), Some("h")).unwrap();
        }
        let mut set = IdSetState::new(Arc::new(b.finish()));
        for i in 0..50 {
            set.add(&format!("new-{i}")).unwrap();
        }
        let mut peak = 0;
        for round in 0..200_000 {
            // A table id and an added one, each deleted and added back: both move to the end.
            let (frozen, added) = (
                format!("doc-{}#0", round % 1000),
                format!("new-{}", round % 50),
            );
            for id in [&frozen, &added] {
                assert!(set.delete(id));
                set.add(id).unwrap();
            }
            if set.worth_compacting() {
                set.compact().unwrap();
            }
            peak = peak.max(set.heap_bytes());
        }
        assert_eq!(set.size(), 1050);
        // 400,000 moves: without compacting, the tail alone would hold 3.2 MB.
        assert!(peak < 600_000, "peak {peak} bytes");
        let mut ids = Vec::new();
        let mut pos = 0;
        while let Some((p, id)) = set.next_from(pos) {
            ids.push(String::from_utf8(id.to_vec()).unwrap());
            pos = p + 1;
        }
        assert_eq!(ids.len(), 1050);
        // The last ones moved come last, in the order they were added back.
        assert_eq!(
            ids[ids.len() - 2..],
            ["doc-999#0".to_string(), "new-49".to_string()]
        );
    }
}
