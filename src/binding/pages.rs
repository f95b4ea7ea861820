//! Bulk hand-over for iteration: a page of entries as one joined string and the lengths of its
//! parts (in UTF-16 code units, what JS `slice` counts), so that walking 450k ids costs a few
//! dozen native calls instead of one per entry. The JS classes slice the pages into strings.

use super::constants::{NULL_HASH_LEN, SAME_AS_KEY_LEN};
use super::errors::guard;
use super::id_set::{with_state, IdSet};
use super::js_text::{js_text, JsText};
use super::test_hooks::maybe_panic;
use crate::core::maps::text_hash::hex_lower_bytes;
use crate::core::text::TextBuilder;
use crate::core::{Chunks, CodedError, ErrorCode, HashMapsData, HashRef};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::rc::Rc;
use std::sync::Arc;

/// A page stops after about this many bytes of text (or `max` entries), whichever comes first.
/// Small enough that its buffers come from malloc's free lists (under glibc's 128 KiB mmap
/// threshold) instead of fresh pages: with 1 MiB pages, page faults and reallocations were a large
/// share of a walk (bench/README.md, "Tried and not kept": 1 MiB pages).
const PAGE_BYTES: usize = 48 << 10;

/// A builder of a page's joined text.
fn page_builder() -> TextBuilder {
    TextBuilder::with_capacity(PAGE_BYTES + 256)
}

/// A page's joined text as a JS string, with each part's UTF-16 length.
fn page_text(text: TextBuilder) -> std::result::Result<(JsText, Uint32Array), CodedError> {
    let (text, lens) = text.finish()?;
    Ok((js_text(text), lens.into()))
}

/// Live ids of an id set, from position `from` on.
#[napi(object, object_from_js = false)]
pub struct IdsPage {
    /// The ids, back to back.
    #[napi(ts_type = "string")]
    pub text: JsText,
    pub lens: Uint32Array,
    /// Each id's position in the set's order (positions never move; deleted ones are skipped).
    pub positions: Uint32Array,
    /// No live id comes after this page (when it was read).
    pub done: bool,
}

#[napi]
pub fn ids_page(ids: &External<Rc<IdSet>>, from: u32, max: u32) -> Result<IdsPage, ErrorCode> {
    guard(|| {
        maybe_panic("ids-page");
        with_state(ids, |state| {
            let mut text = page_builder();
            let mut positions = Vec::new();
            let mut pos = from as usize;
            while text.parts() < max as usize && text.len() < PAGE_BYTES {
                let Some((p, id)) = state.next_from(pos) else {
                    break;
                };
                let p32 = u32::try_from(p).map_err(|_| {
                    CodedError::new(ErrorCode::TooLarge, "existingIds has too many positions")
                })?;
                text.push(id);
                positions.push(p32);
                pos = p + 1;
            }
            let done = state.next_from(pos).is_none();
            let (text, lens) = page_text(text)?;
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
    pub keys: JsText,
    pub key_lens: Uint32Array,
    /// The hashes, back to back; a `null` hash has length 0xFFFFFFFF and no text.
    #[napi(ts_type = "string")]
    pub values: JsText,
    pub value_lens: Uint32Array,
    /// The cursor of the next page (`nextId`, `nextIndex`); `done` when there is none.
    pub next_id: u32,
    pub next_index: u32,
    pub done: bool,
}

#[napi]
pub fn base_page(
    maps: &External<Arc<HashMapsData>>,
    from_id: u32,
    from_index: u32,
    max: u32,
) -> Result<BasePage, ErrorCode> {
    guard(|| {
        maybe_panic("map-page");
        let data: &HashMapsData = maps;
        let (mut keys, mut values) = (page_builder(), page_builder());
        let (next_id, next_index, done) = data.walk_bases(from_id, from_index, max, |base| {
            keys.push(data.base_key_bytes(base));
            match data.base_hash(base) {
                // Hex digits are ASCII: one byte per code unit.
                HashRef::Digest(d) => values.push_array(&hex_lower_bytes(d)),
                HashRef::Verbatim(s) => values.push(s.as_bytes()),
                HashRef::Null => values.push_marker(NULL_HASH_LEN),
            }
            keys.len() + values.len() < PAGE_BYTES
        });
        let (keys, key_lens) = page_text(keys)?;
        let (values, value_lens) = page_text(values)?;
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
    pub keys: JsText,
    pub key_lens: Uint32Array,
    /// Every entry's ids, back to back; `counts[i]` of them belong to entry `i`. An id that is its
    /// entry's key has length `SAME_AS_KEY_LEN` and no text here.
    #[napi(ts_type = "string")]
    pub id_text: JsText,
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
) -> Result<ChunksPage, ErrorCode> {
    guard(|| {
        maybe_panic("map-page");
        let data: &HashMapsData = maps;
        let (mut keys, mut ids) = (page_builder(), page_builder());
        let mut counts = Vec::new();
        let (next_id, next_index, done) = data.walk_bases(from_id, from_index, max, |base| {
            let key = data.base_key_bytes(base);
            keys.push(key);
            let chunks = data.base_chunks(base);
            counts.push(chunks.len() as u32);
            // Most bases are one id with no chunk suffix: the key itself, which the reader has.
            let mut push_id = |i: u32| {
                let id = data.id_bytes(i);
                if id == key {
                    ids.push_marker(SAME_AS_KEY_LEN);
                } else {
                    ids.push(id);
                }
            };
            match chunks {
                Chunks::One(i) => push_id(i),
                Chunks::Many(many) => many.iter().for_each(|&i| push_id(i)),
            }
            keys.len() + ids.len() < PAGE_BYTES
        });
        let (keys, key_lens) = page_text(keys)?;
        let (id_text, id_lens) = page_text(ids)?;
        Ok(ChunksPage {
            keys,
            key_lens,
            id_text,
            id_lens,
            counts: counts.into(),
            next_id,
            next_index,
            done,
        })
    })
}
