//! `planChanges`, natively: the JS layer (`js/plan-changes.js`) packs the items into slices (ids
//! and texts joined into two strings, with their lengths) and hands each to [`plan_add`], which
//! starts planning it on the rayon pool at once; [`plan_finish`] waits for every slice and
//! resolves with the plan packed for the JS layer to unpack. The planning is the core's
//! ([`crate::core::plan::planner`]); here are the strings read and the plan made JS values.

use super::errors::{coded, guard};
use super::js_text::{js_texts, JsText};
use super::test_hooks::maybe_panic;
use crate::core::plan::joined_strings::JoinedStrings;
use crate::core::plan::planned_batch::{plan_direct as plan_here, PlannedBatch, Slice};
use crate::core::plan::planner;
use crate::core::HashMapsData;
use napi::bindgen_prelude::*;
use napi::{JsString, JsValue};
use napi_derive::napi;
use std::cell::RefCell;
use std::sync::Arc;

/// One `planChanges` call in progress (on its JS thread only).
pub struct Planner(RefCell<planner::Planner>);

#[napi]
pub fn plan_start(maps: &External<Arc<HashMapsData>>, force_all: bool) -> External<Planner> {
    let data: &Arc<HashMapsData> = maps;
    let planner = planner::Planner::new(data.clone(), force_all, maybe_panic);
    External::new(Planner(RefCell::new(planner)))
}

/// Gives up the call (the JS layer found a bad item after some slices were added): slices not
/// started are not planned, and the results of the others are dropped as they come.
#[napi]
pub fn plan_cancel(planner: &External<Planner>) {
    planner.0.borrow_mut().cancel();
}

/// The strings of a joined JS string whose parts have `lens` UTF-16 code units: read as UTF-8
/// into a buffer of as many bytes as code units, with one engine call (if every byte that came
/// back is ASCII and there are as many as code units, the whole text is ASCII), else as UTF-16,
/// with one more call. `None` when the text's length is not the sum of `lens`.
/// napi-rs's `into_utf8` asks the engine for the UTF-8 length first (a pass over the text) and
/// copies once more: planChanges was 15% slower with it (bench/compare-builds.ts).
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
fn read_slice(ids: JsString, id_lens: &[u32], texts: JsString, text_lens: &[u32]) -> Result<Slice> {
    let (ids, texts) = (read_joined(ids, id_lens)?, read_joined(texts, text_lens)?);
    Slice::new(ids, texts).map_err(coded)
}

/// Adds a slice of items (ids and the texts to hash, each joined, with their lengths) and starts
/// planning it.
#[napi]
pub fn plan_add(
    planner: &External<Planner>,
    ids: JsString,
    id_lens: Uint32Array,
    texts: JsString,
    text_lens: Uint32Array,
) -> Result<()> {
    let slice = read_slice(ids, &id_lens, texts, &text_lens)?;
    guard(|| planner.0.borrow_mut().add(slice))
}

/// The plan, packed: `toEmbed` indexes, their hashes as hex (64 characters each, whole hashes back
/// to back in strings of at most 64), the ids to delete joined into strings (with lengths) and as
/// id indexes of the maps.
#[napi(object, object_from_js = false)]
pub struct PackedPlan {
    pub to_embed: Uint32Array,
    /// Whole hashes, at most 64 to a string.
    #[napi(ts_type = "string[]")]
    pub hex: Vec<JsText>,
    pub skipped: u32,
    /// The ids, in strings of at most 4096 bytes (an id longer than that is a string of its own);
    /// no id straddles two, and a string may end before it is full (the next id is then in the
    /// next string).
    #[napi(ts_type = "string[]")]
    pub ids: Vec<JsText>,
    pub id_lens: Uint32Array,
    pub id_indexes: Uint32Array,
}

#[napi(ts_return_type = "Promise<PackedPlan>")]
pub fn plan_finish<'env>(
    env: &'env Env,
    planner: &External<Planner>,
) -> Result<PromiseRaw<'env, PackedPlan>> {
    // Everything the future holds is `Send` and owned by Rust: nothing of the JS thread. It never
    // panics (the core's promise), so the promise settles in every case.
    let planned = planner.0.borrow_mut().finish();
    let work = async move { planned.await.map_err(coded) };
    // On the JS thread only what makes JS values: the strings were made and checked above.
    env.spawn_future_with_callback(work, |_env, batch| Ok(packed(batch)))
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
        ids: js_texts(ids),
        id_lens: id_lens.into(),
        id_indexes: plan.ids_to_delete.into(),
    }
}

/// The whole plan of one small slice, on the JS thread: no pool, no promise. Below a measured
/// size (js/plan-changes.js, `DIRECT_ITEMS`) handing a slice to the pool and waking JS through a
/// promise costs more than hashing it here (bench/plan-small.ts).
#[napi]
pub fn plan_direct(
    maps: &External<Arc<HashMapsData>>,
    ids: JsString,
    id_lens: Uint32Array,
    texts: JsString,
    text_lens: Uint32Array,
    force_all: bool,
) -> Result<PackedPlan> {
    let slice = read_slice(ids, &id_lens, texts, &text_lens)?;
    let data: &Arc<HashMapsData> = maps;
    let batch = guard(|| {
        maybe_panic("plan-direct");
        plan_here(data, &slice, force_all)
    })?;
    Ok(packed(batch))
}
