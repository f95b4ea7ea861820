//! All distinct ids in one byte buffer, addressed by a dense `u32` index.

use super::touch::{touch_spare, RowsSeen, Touched};
use crate::core::error::{try_reserve, CodedError, ErrorCode};

/// Bytes of id text reserved per row before any id is seen.
pub const ID_BYTES: usize = 24;

/// The first batch sizes the id text when it has at least this many rows (or is the whole table).
const SIZING_ROWS: usize = 1024;

/// The id text sized from the first batch is at most this many times [`ID_BYTES`] a row.
const SIZING_CAP: u128 = 8;

/// Ids stored back to back; id `i` is `bytes[ends[i-1]..ends[i]]`.
#[derive(Default)]
pub struct IdArena {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl IdArena {
    pub fn with_capacity(ids: usize, bytes: usize) -> Self {
        IdArena {
            bytes: Vec::with_capacity(bytes),
            ends: Vec::with_capacity(ids),
        }
    }

    /// [`Self::with_capacity`], failing with `E_NO_MEMORY` instead of aborting.
    pub fn try_with_capacity(ids: usize, bytes: usize) -> Result<Self, CodedError> {
        let mut arena = IdArena::default();
        try_reserve(&mut arena.bytes, bytes, "the id text")?;
        try_reserve(&mut arena.ends, ids, "the id index")?;
        Ok(arena)
    }

    /// [`touch_spare`] of the id text, then of the id index. True once both are touched.
    pub fn touch_spare(
        &mut self,
        at: &mut [Touched; 2],
        rows: RowsSeen,
        pages: &mut usize,
    ) -> bool {
        touch_spare(&mut self.bytes, &mut at[0], rows, pages, 0)
            && touch_spare(&mut self.ends, &mut at[1], rows, pages, 0)
    }

    /// Sizes the id text for a whole table of `rows` rows from its first batch (`n` rows, `bytes`
    /// bytes of ids): at that length and an eighth more, now, while the text is empty, rather than
    /// copied into a larger buffer late in the load. Only from a batch of at least [`SIZING_ROWS`]
    /// rows (or the whole table), and at most [`SIZING_CAP`] times the first reservation, so that
    /// a few long ids in a first batch do not reserve (on Windows: commit) gigabytes. True when
    /// the text moved to new memory.
    pub fn size_text(&mut self, bytes: usize, n: usize, rows: u64) -> bool {
        if n == 0 || (n < SIZING_ROWS && n as u64 != rows) {
            return false;
        }
        let total = bytes as u128 * rows as u128 / n as u128;
        let cap = rows as u128 * ID_BYTES as u128 * SIZING_CAP;
        self.reserve_text(usize::try_from((total + total / 8).min(cap)).unwrap_or(usize::MAX))
    }

    /// Makes room for `total` bytes of id text in all (at most the 4 GiB the arena can address),
    /// when it is short of that. A hint: when the memory cannot be had, the text grows as ids
    /// come, and fails there. True when the text moved to new memory.
    pub fn reserve_text(&mut self, total: usize) -> bool {
        let total = total.min(u32::MAX as usize);
        if total <= self.bytes.capacity() {
            return false;
        }
        if self.bytes.is_empty() {
            // Fresh memory, rather than a reallocation that may copy the old capacity's bytes.
            let mut fresh = Vec::new();
            if fresh.try_reserve_exact(total).is_err() {
                return false;
            }
            self.bytes = fresh;
            return true;
        }
        let before = self.bytes.as_ptr();
        let _ = self.bytes.try_reserve_exact(total - self.bytes.len());
        self.bytes.as_ptr() != before
    }

    /// Bytes of id text the arena holds without moving.
    pub fn text_capacity(&self) -> usize {
        self.bytes.capacity()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Appends `id`, returning its index. Fails (rather than wrapping) past 4 GiB of id bytes or 2^32-1 ids.
    pub fn push(&mut self, id: &[u8]) -> Result<u32, CodedError> {
        let end = self.bytes.len() + id.len();
        if end > u32::MAX as usize || self.ends.len() >= u32::MAX as usize {
            return Err(CodedError::new(
                ErrorCode::TooLarge,
                "the table's ids exceed 4 GiB of text or 2^32-1 distinct ids, the limit of this build",
            ));
        }
        if self.bytes.capacity() - self.bytes.len() < id.len() {
            // Grow as `Vec` would (doubling), but fail instead of aborting when memory runs out.
            let grow = self.bytes.capacity().max(id.len()).max(4096);
            try_reserve(&mut self.bytes, grow, "the id text")?;
        }
        if self.ends.capacity() == self.ends.len() {
            let grow = self.ends.capacity().max(1024);
            try_reserve(&mut self.ends, grow, "the id index")?;
        }
        self.bytes.extend_from_slice(id);
        self.ends.push(end as u32);
        Ok((self.ends.len() - 1) as u32)
    }

    #[inline]
    pub fn get(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// The id as `&str`. Ids only enter from Arrow `Utf8` arrays or JS strings, so they are valid UTF-8.
    #[inline]
    pub fn get_str(&self, i: u32) -> &str {
        // Checked: a corrupt buffer must not become undefined behaviour.
        std::str::from_utf8(self.get(i)).unwrap_or("\u{FFFD}")
    }

    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4
    }

    pub fn text_bytes(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_batch_sizes_the_text_within_reason() {
        let rows = 100_000u64;
        let fresh = || IdArena::try_with_capacity(100_000, 100_000 * ID_BYTES).unwrap();
        // 40-byte ids in a first batch of 2,000 rows: the whole table's text, and an eighth more.
        let mut a = fresh();
        assert!(a.size_text(2000 * 40, 2000, rows));
        assert_eq!(a.text_capacity(), 45 * 100_000);
        // Shorter ids than reserved: nothing to do.
        let mut a = fresh();
        assert!(!a.size_text(2000 * 10, 2000, rows));
        assert_eq!(a.text_capacity(), 100_000 * ID_BYTES);
        // Too few rows to go by, unless they are the whole table.
        let mut a = fresh();
        assert!(!a.size_text(300, 1, rows));
        assert_eq!(a.text_capacity(), 100_000 * ID_BYTES);
        let mut small = IdArena::try_with_capacity(3, 3 * ID_BYTES).unwrap();
        assert!(small.size_text(3 * 100, 3, 3));
        assert_eq!(small.text_capacity(), 300 + 300 / 8);
        // 1,000-byte ids: at most 8 times the first reservation.
        let mut a = fresh();
        assert!(a.size_text(1024 * 1000, 1024, rows));
        assert_eq!(a.text_capacity(), 8 * ID_BYTES * 100_000);
        // No batch, or a table with no rows: nothing.
        assert!(!fresh().size_text(0, 0, rows));
        // Ids pushed after sizing keep their text.
        let mut a = fresh();
        a.push(b"first").unwrap();
        assert!(a.size_text(2000 * 40, 2000, rows));
        assert_eq!(a.get(0), b"first");
    }
}
