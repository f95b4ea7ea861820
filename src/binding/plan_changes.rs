//! `planChanges`, natively: the JS layer (`js/plan-changes.js`) packs the items into slices (ids
//! and texts joined into two strings, with their lengths) and hands each to [`Planner::add`],
//! which starts planning it on the rayon pool at once; [`Planner::finish`] waits for every slice
//! and resolves with the plan packed for the JS layer to unpack; [`plan_direct`] plans a small
//! batch on the JS thread. The planning is the core's ([`crate::core::plan::planner`]); here the
//! strings are read and the plan made JS values.

use super::errors::{coded, guard, rejection};
use super::js_text::{js_texts, JsText};
use super::test_hooks::maybe_panic;
use crate::core::plan::joined_strings::JoinedStrings;
use crate::core::plan::planned_batch::{self, PlannedBatch, Slice};
use crate::core::plan::planner;
use crate::core::{CodedError, ErrorCode, HashMapsData};
use napi::bindgen_prelude::*;
use napi::{JsString, JsValue};
use napi_derive::napi;
use std::sync::Arc;

/// The strings of a joined JS string whose parts have `lens` UTF-16 code units: read as UTF-8
/// into a buffer of as many bytes as code units, with one engine call (if every byte that came
/// back is ASCII and there are as many as code units, the whole text is ASCII), else as UTF-16,
/// with one more call. `None` when the text's length is not the sum of `lens`.
/// napi-rs's `into_utf8` asks the engine for the UTF-8 length first (a pass over the text) and
/// copies once more: planChanges was slower with it (bench/README.md, "planChanges: reading
/// joined strings").
fn read_joined(joined: JsString, lens: &[u32]) -> Result<Option<JoinedStrings>> {
    let units: usize = lens.iter().map(|&l| l as usize).sum();
    // Room for one more character of up to 4 bytes and the NUL: engines write whole characters
    // only, so a text longer than the lengths say writes more than `units` bytes, whatever its
    // next character, and goes to the UTF-16 read, which checks the total.
    let mut bytes = vec![0u8; units + 5];
    let mut written = 0usize;
    let value = joined.value();
    // SAFETY: `value` is a string handle of the current call, in its env, on this thread; the
    // engine writes at most `bytes.len()` bytes (NUL included) into `bytes` and their count
    // (without the NUL) into `written`.
    check_status!(unsafe {
        sys::napi_get_value_string_utf8(
            value.env,
            value.value,
            bytes.as_mut_ptr().cast(),
            bytes.len(),
            &mut written,
        )
    })?;
    bytes.truncate(written.min(units));
    if written == units {
        // `None` when a byte is not ASCII: the text is read again as UTF-16.
        if let Some(strings) = JoinedStrings::from_ascii(bytes, lens) {
            return Ok(Some(strings));
        }
    }
    // UTF-16 into a buffer of known size, without asking the engine for the length first: Bun 1.1
    // answers that question in bytes, not code units, for a string it stores as Latin-1 ("héllo"
    // is 10), while what it writes and the count of what it wrote are right.
    // Room for a surrogate pair beyond `units` and the NUL, likewise.
    let mut units16 = vec![0u16; units + 3];
    let mut written16 = 0usize;
    // SAFETY: `value` is a string handle of the current call, in its env, on this thread; the
    // engine writes at most `units16.len()` code units (NUL included) into `units16` and their
    // count (without the NUL) into `written16`.
    check_status!(unsafe {
        sys::napi_get_value_string_utf16(
            value.env,
            value.value,
            units16.as_mut_ptr(),
            units16.len(),
            &mut written16,
        )
    })?;
    // More than `units` written: the text is longer than the lengths say (and fewer: shorter).
    units16.truncate(written16.min(units + 2));
    Ok(JoinedStrings::from_utf16(units16, lens))
}

/// A slice's ids and texts, read and checked against their lengths and each other.
fn read_slice(
    ids: JsString,
    id_lens: &[u32],
    texts: JsString,
    text_lens: &[u32],
) -> Result<Slice, ErrorCode> {
    let read = |joined, lens| {
        // The engine failed to hand a string over.
        read_joined(joined, lens).map_err(|e| coded(CodedError::new(ErrorCode::Internal, e.reason)))
    };
    let (ids, texts) = (read(ids, id_lens)?, read(texts, text_lens)?);
    Slice::new(ids, texts).map_err(coded)
}

/// The plan, packed: `toEmbed` indexes, their hashes as hex, the ids to delete in pieces (with
/// their lengths) and as id indexes of the maps. A piece is a string of at most 4 KB: a hash or
/// id the caller keeps holds on to no more.
#[napi(object, object_from_js = false)]
pub struct PackedPlan {
    pub to_embed: Uint32Array,
    /// Whole hashes of 64 characters back to back, at most 64 to a piece.
    #[napi(ts_type = "string[]")]
    pub hex: Vec<JsText>,
    pub skipped: u32,
    /// The ids, in pieces of at most 4096 bytes (an id longer than that is a piece of its own); no
    /// id straddles two, and a piece may end before it is full (the next id is then in the next
    /// piece).
    #[napi(ts_type = "string[]")]
    pub id_pieces: Vec<JsText>,
    pub id_lens: Uint32Array,
    pub id_indexes: Uint32Array,
}

/// One `planChanges` call in progress, planned slice by slice on the rayon pool. A JS object: it
/// stays on its JS thread; what it hands the pool and the promise is owned by Rust and `Send`.
#[napi]
pub struct Planner {
    inner: planner::Planner,
}

#[napi]
impl Planner {
    /// A call over the maps (`forceAll`: every item is to embed, changed or not).
    #[napi(constructor)]
    pub fn new(maps: &External<Arc<HashMapsData>>, force_all: bool) -> Self {
        let data: &Arc<HashMapsData> = maps;
        Planner {
            inner: planner::Planner::new(data.clone(), force_all, maybe_panic),
        }
    }

    /// Adds a slice of items (ids and the texts to hash, each joined, with their lengths) and
    /// starts planning it.
    #[napi]
    pub fn add(
        &mut self,
        ids: JsString,
        id_lens: Uint32Array,
        texts: JsString,
        text_lens: Uint32Array,
    ) -> Result<(), ErrorCode> {
        let slice = read_slice(ids, &id_lens, texts, &text_lens)?;
        guard(|| self.inner.add(slice))
    }

    /// Gives up the call (the JS layer found a bad item after some slices were added): slices not
    /// started are not planned, and the results of the others are dropped as they come.
    #[napi]
    pub fn cancel(&mut self) {
        self.inner.cancel();
    }

    /// The plan of every slice added, in order. The promise settles in every case: the core's
    /// future catches every panic (`E_INTERNAL`).
    #[napi(ts_return_type = "Promise<PackedPlan>")]
    pub fn finish<'env>(&mut self, env: &'env Env) -> Result<PromiseRaw<'env, PackedPlan>> {
        // Everything the future holds is `Send` and owned by Rust: nothing of the JS thread.
        let planned = self.inner.finish();
        // A failure settles on the JS thread too, where its error object is made with its code.
        let work = async move { Ok(planned.await) };
        // On the JS thread only what makes JS values: the strings were made and checked above.
        env.spawn_future_with_callback(work, |env, batch| {
            Ok(packed(batch.map_err(|e| rejection(env, e))?))
        })
    }
}

/// The plan as the JS layer takes it (the texts still Rust strings: napi makes them JS strings
/// when it hands the object over).
fn packed(batch: PlannedBatch) -> PackedPlan {
    let PlannedBatch {
        plan,
        hex,
        ids,
        id_lens,
    } = batch;
    PackedPlan {
        to_embed: plan.to_embed.into(),
        hex: js_texts(hex),
        skipped: plan.skipped,
        id_pieces: js_texts(ids),
        id_lens: id_lens.into(),
        id_indexes: plan.ids_to_delete.into(),
    }
}

/// The whole plan of one small slice, on the JS thread: no pool, no promise. Below a measured
/// size (js/plan-changes.js, `DIRECT_ITEMS`) handing a slice to the pool and waking JS through a
/// promise costs more than hashing it here (bench/README.md, "planChanges: small batches on the JS
/// thread").
#[napi]
pub fn plan_direct(
    maps: &External<Arc<HashMapsData>>,
    ids: JsString,
    id_lens: Uint32Array,
    texts: JsString,
    text_lens: Uint32Array,
    force_all: bool,
) -> Result<PackedPlan, ErrorCode> {
    let slice = read_slice(ids, &id_lens, texts, &text_lens)?;
    let data: &Arc<HashMapsData> = maps;
    let batch = guard(|| {
        maybe_panic("plan-direct");
        planned_batch::plan_direct(data, &slice, force_all)
    })?;
    Ok(packed(batch))
}
