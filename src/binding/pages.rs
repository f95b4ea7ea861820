//! Bulk hand-over for iteration: a page of entries as one joined string and the lengths of its
//! parts (in UTF-16 code units, what JS `slice` counts), so that walking 450k ids costs a few
//! dozen native calls instead of one per entry. The JS classes slice the pages into strings.

use super::errors::guard;
use super::id_set::{with_state, IdSet};
use crate::core::maps::text_hash::hex_lower_bytes;
use crate::core::{ErrorCode, HashMapsData, HashRef, LoadError};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::rc::Rc;
use std::sync::Arc;

/// A page stops after this many bytes of text (or `max` entries), whichever comes first.
const PAGE_BYTES: usize = 1 << 20;

/// `value_lens` entry of a `null` hash.
const NULL_LEN: u32 = u32::MAX;

/// A page's joined text: made as Latin-1 when it is all ASCII (most ids), which the engines copy
/// without decoding; else from UTF-8.
pub type PageText = Either<Latin1String, String>;

fn page_text(s: String) -> PageText {
    if s.is_ascii() {
        Either::A(Latin1String::from(s))
    } else {
        Either::B(s)
    }
}

fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        s.encode_utf16().count() as u32
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
        with_state(ids, |state| {
            let mut text = String::new();
            let (mut lens, mut positions) = (Vec::new(), Vec::new());
            let mut pos = from as usize;
            while lens.len() < max as usize && text.len() < PAGE_BYTES {
                let Some((p, id)) = state.next_from(pos) else {
                    break;
                };
                let p32 = u32::try_from(p).map_err(|_| {
                    LoadError::new(ErrorCode::TooLarge, "existingIds has too many positions")
                })?;
                text.push_str(id);
                lens.push(utf16_len(id));
                positions.push(p32);
                pos = p + 1;
            }
            Ok(IdsPage {
                text: page_text(text),
                lens: lens.into(),
                positions: positions.into(),
                done: state.next_from(pos).is_none(),
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
    mut visit: impl FnMut(crate::core::BaseRef) -> bool,
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
        let data: &HashMapsData = maps;
        let (mut keys, mut values) = (String::new(), String::new());
        let (mut key_lens, mut value_lens) = (Vec::new(), Vec::new());
        let (next_id, next_index, done) = walk_bases(data, from_id, from_index, max, |base| {
            let key = data.base_key(base);
            keys.push_str(key);
            key_lens.push(utf16_len(key));
            match data.base_hash(base) {
                HashRef::Digest(d) => {
                    // Hex digits are ASCII: one byte per code unit.
                    values.extend(hex_lower_bytes(d).iter().map(|&b| b as char));
                    value_lens.push(64);
                }
                HashRef::Verbatim(s) => {
                    values.push_str(s);
                    value_lens.push(utf16_len(s));
                }
                HashRef::Null => value_lens.push(NULL_LEN),
            }
            keys.len() + values.len() < PAGE_BYTES
        });
        Ok(BasePage {
            keys: page_text(keys),
            key_lens: key_lens.into(),
            values: page_text(values),
            value_lens: value_lens.into(),
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
        let data: &HashMapsData = maps;
        let (mut keys, mut ids) = (String::new(), String::new());
        let (mut key_lens, mut id_lens, mut counts) = (Vec::new(), Vec::new(), Vec::new());
        let (next_id, next_index, done) = walk_bases(data, from_id, from_index, max, |base| {
            let key = data.base_key(base);
            keys.push_str(key);
            key_lens.push(utf16_len(key));
            let chunks = data.base_chunks(base).to_vec();
            counts.push(chunks.len() as u32);
            for i in chunks {
                let id = data.id(i);
                ids.push_str(id);
                id_lens.push(utf16_len(id));
            }
            keys.len() + ids.len() < PAGE_BYTES
        });
        Ok(ChunksPage {
            keys: page_text(keys),
            key_lens: key_lens.into(),
            ids: page_text(ids),
            id_lens: id_lens.into(),
            counts: counts.into(),
            next_id,
            next_index,
            done,
        })
    })
}
