//! All distinct ids in one byte buffer, addressed by a dense `u32` index.

use super::touch::{touch_spare, RowsSeen, Touched};
use crate::core::error::{try_reserve, CodedError, ErrorCode};

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

    /// Makes room for `total` bytes of id text in all (at most the 4 GiB the arena can address),
    /// when it is short of that. A hint: when the memory cannot be had, the text grows as ids
    /// come, and fails there.
    pub fn reserve_text(&mut self, total: usize) {
        let total = total.min(u32::MAX as usize);
        if total > self.bytes.capacity() {
            let _ = self.bytes.try_reserve_exact(total - self.bytes.len());
        }
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
