//! Bulk hand-over for iteration: a page of entries as one joined string and the lengths of its
//! parts (in UTF-16 code units, what JS `slice` counts), so that walking 450k ids costs a few
//! dozen native calls instead of one per entry. The JS classes slice the pages into strings.

use super::errors::guard;
use super::id_set::{with_state, IdSet};
use super::test_hooks::maybe_panic;
use crate::core::maps::text_hash::hex_lower_bytes;
use crate::core::{BaseRef, Chunks, ErrorCode, HashMapsData, HashRef, LoadError};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::rc::Rc;
use std::sync::Arc;

/// A page stops after about this many bytes of text (or `max` entries), whichever comes first.
/// Small enough that its buffers come from malloc's free lists (under glibc's 128 KiB mmap
/// threshold) instead of fresh pages: with 1 MiB pages, page faults and reallocations cost a
/// third of a walk.
const PAGE_BYTES: usize = 48 << 10;

/// `value_lens` entry of a `null` hash.
const NULL_LEN: u32 = u32::MAX;

/// A page's joined text: made as Latin-1 when it is all ASCII (most ids), which the engines copy
/// without decoding; else from UTF-8.
pub type PageText = Either<Latin1String, String>;

/// Joined text as a [`PageText`], checked as UTF-8 once as a whole (the parts are copied
/// unchecked from the id store). No JS value yet: it may run off the JS thread.
pub(super) fn page_text(bytes: Vec<u8>) -> std::result::Result<PageText, LoadError> {
    let s = String::from_utf8(bytes)
        .map_err(|_| LoadError::new(ErrorCode::Internal, "an id is not valid UTF-8"))?;
    Ok(if s.is_ascii() {
        Either::A(Latin1String::from(s))
    } else {
        Either::B(s)
    })
}

/// UTF-16 code units of valid UTF-8 `b` (what JS `slice` counts): one per character, two for a
/// character of 4 bytes.
fn utf16_len(b: &[u8]) -> u32 {
    if b.is_ascii() {
        return b.len() as u32;
    }
    b.iter()
        .map(|&c| match c {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

/// One page's joined text and the UTF-16 length of each part.
pub(super) struct TextBuilder {
    bytes: Vec<u8>,
    lens: Vec<u32>,
}

impl TextBuilder {
    fn new() -> Self {
        Self {
            bytes: Vec::with_capacity(PAGE_BYTES + 256),
            lens: Vec::with_capacity(1024),
        }
    }

    fn push(&mut self, part: &[u8]) {
        self.bytes.extend_from_slice(part);
        self.lens.push(utf16_len(part));
    }

    fn len(&self) -> usize {
        self.bytes.len()
    }

    fn finish(self) -> std::result::Result<(PageText, Uint32Array), LoadError> {
        Ok((page_text(self.bytes)?, self.lens.into()))
    }
}

/// Parts handed back as several strings of at most [`CHUNK_BYTES`] bytes each (a part longer than
/// that is a chunk of its own; no part straddles two chunks), with each part's UTF-16 length. For
/// results the caller keeps pieces of: a slice of a JS string keeps all of it alive, so one kept
/// hash of a batch must not hold the whole batch's text, and no string may reach the engines'
/// length limit (V8: 2^29 - 24 characters) however large the batch.
pub(super) struct TextChunks {
    chunks: Vec<Vec<u8>>,
    lens: Vec<u32>,
}

/// Bytes per string of [`TextChunks`].
const CHUNK_BYTES: usize = 4096;

impl TextChunks {
    pub(super) fn new() -> Self {
        Self {
            chunks: Vec::new(),
            lens: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, part: &[u8]) {
        match self.chunks.last_mut() {
            Some(last) if last.len() + part.len() <= CHUNK_BYTES => last.extend_from_slice(part),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK_BYTES.max(part.len()));
                chunk.extend_from_slice(part);
                self.chunks.push(chunk);
            }
        }
        self.lens.push(utf16_len(part));
    }

    /// The strings (each checked as UTF-8 once) and the parts' UTF-16 lengths. (No JS values: it
    /// runs off the JS thread.)
    pub(super) fn finish(self) -> std::result::Result<(Vec<PageText>, Vec<u32>), LoadError> {
        let texts = self
            .chunks
            .into_iter()
            .map(page_text)
            .collect::<std::result::Result<_, _>>()?;
        Ok((texts, self.lens))
    }
}

/// Live ids of an id set, from position `from` on.
#[napi(object, object_from_js = false)]
pub struct IdsPage {
    /// The ids, back to back.
    #[napi(ts_type = "string")]
    pub text: PageText,
    pub lens: Uint32Array,
    /// Each id's position in the set's order (positions never move; deleted ones are skipped).
    pub positions: Uint32Array,
    /// No live id comes after this page (when it was read).
    pub done: bool,
}

#[napi]
pub fn ids_page(ids: &External<Rc<IdSet>>, from: u32, max: u32) -> Result<IdsPage> {
    guard(|| {
        maybe_panic("ids-page");
        with_state(ids, |state| {
            let mut text = TextBuilder::new();
            let mut positions = Vec::new();
            let mut pos = from as usize;
            while text.lens.len() < max as usize && text.len() < PAGE_BYTES {
                let Some((p, id)) = state.next_from(pos) else {
                    break;
                };
                let p32 = u32::try_from(p).map_err(|_| {
                    LoadError::new(ErrorCode::TooLarge, "existingIds has too many positions")
                })?;
                text.push(id);
                positions.push(p32);
                pos = p + 1;
            }
            let done = state.next_from(pos).is_none();
            let (text, lens) = text.finish()?;
            Ok(IdsPage {
                text,
                lens,
                positions: positions.into(),
                done,
            })
        })?
    })
}

/// A page of `baseHashMap` entries, from a cursor on.
#[napi(object, object_from_js = false)]
pub struct BasePage {
    #[napi(ts_type = "string")]
    pub keys: PageText,
    pub key_lens: Uint32Array,
    /// The hashes, back to back; a `null` hash has length 0xFFFFFFFF and no text.
    #[napi(ts_type = "string")]
    pub values: PageText,
    pub value_lens: Uint32Array,
    /// The cursor of the next page (`nextId`, `nextIndex`); `done` when there is none.
    pub next_id: u32,
    pub next_index: u32,
    pub done: bool,
}

/// Calls `visit` for each base from the cursor (`from_id`, `from_index`) on, while it returns
/// `true` and `max` is not reached; the cursor after the last one visited and whether none is left.
fn walk_bases(
    data: &HashMapsData,
    from_id: u32,
    from_index: u32,
    max: u32,
    mut visit: impl FnMut(BaseRef) -> bool,
) -> (u32, u32, bool) {
    let (mut next_id, mut next_index) = (from_id, from_index);
    let mut count = 0;
    while count < max {
        let Some(base) = data.base_from(next_id as usize, next_index) else {
            return (next_id, next_index, true);
        };
        next_id = base.first_id + 1;
        next_index = base.index + 1;
        count += 1;
        if !visit(base) {
            break;
        }
    }
    let done = data.base_from(next_id as usize, next_index).is_none();
    (next_id, next_index, done)
}

#[napi]
pub fn base_page(
    maps: &External<Arc<HashMapsData>>,
    from_id: u32,
    from_index: u32,
    max: u32,
) -> Result<BasePage> {
    guard(|| {
        maybe_panic("map-page");
        let data: &HashMapsData = maps;
        let (mut keys, mut values) = (TextBuilder::new(), TextBuilder::new());
        let (next_id, next_index, done) = walk_bases(data, from_id, from_index, max, |base| {
            keys.push(data.base_key_bytes(base));
            match data.base_hash(base) {
                // Hex digits are ASCII: one byte per code unit.
                HashRef::Digest(d) => values.push(&hex_lower_bytes(d)),
                HashRef::Verbatim(s) => values.push(s.as_bytes()),
                HashRef::Null => values.lens.push(NULL_LEN),
            }
            keys.len() + values.len() < PAGE_BYTES
        });
        let (keys, key_lens) = keys.finish()?;
        let (values, value_lens) = values.finish()?;
        Ok(BasePage {
            keys,
            key_lens,
            values,
            value_lens,
            next_id,
            next_index,
            done,
        })
    })
}

/// A page of `existingChunks` entries, from a cursor on.
#[napi(object, object_from_js = false)]
pub struct ChunksPage {
    #[napi(ts_type = "string")]
    pub keys: PageText,
    pub key_lens: Uint32Array,
    /// Every entry's ids, back to back; `counts[i]` of them belong to entry `i`.
    #[napi(ts_type = "string")]
    pub ids: PageText,
    pub id_lens: Uint32Array,
    pub counts: Uint32Array,
    pub next_id: u32,
    pub next_index: u32,
    pub done: bool,
}

#[napi]
pub fn chunks_page(
    maps: &External<Arc<HashMapsData>>,
    from_id: u32,
    from_index: u32,
    max: u32,
) -> Result<ChunksPage> {
    guard(|| {
        maybe_panic("map-page");
        let data: &HashMapsData = maps;
        let (mut keys, mut ids) = (TextBuilder::new(), TextBuilder::new());
        let mut counts = Vec::new();
        let (next_id, next_index, done) = walk_bases(data, from_id, from_index, max, |base| {
            keys.push(data.base_key_bytes(base));
            let chunks = data.base_chunks(base);
            counts.push(chunks.len() as u32);
            match chunks {
                Chunks::One(i) => ids.push(data.id_bytes(i)),
                Chunks::Many(many) => many.iter().for_each(|&i| ids.push(data.id_bytes(i))),
            }
            keys.len() + ids.len() < PAGE_BYTES
        });
        let (keys, key_lens) = keys.finish()?;
        let (ids, id_lens) = ids.finish()?;
        Ok(ChunksPage {
            keys,
            key_lens,
            ids,
            id_lens,
            counts: counts.into(),
            next_id,
            next_index,
            done,
        })
    })
}
