//! `planChanges`, natively: the JS layer (`js/plan-changes.js`) packs the items into slices (ids
//! and texts joined into two strings, with their lengths) and hands each to [`plan_add`], which
//! starts planning it on the rayon pool at once; [`plan_finish`] waits for every slice and
//! resolves with the plan packed for the JS layer to unpack.

use super::errors::{coded, from_panic, guard};
use super::js_text::{js_texts, JsText};
use super::test_hooks::maybe_panic;
use crate::core::plan::joined_strings::JoinedStrings;
use crate::core::plan::plan_changes::{merge, plan_slice, Plan, SlicePlan};
use crate::core::text::{CheckedText, TextPieces};
use crate::core::{ErrorCode, HashMapsData, LoadError};
use futures::FutureExt;
use napi::bindgen_prelude::*;
use napi::{JsString, JsValue};
use napi_derive::napi;
use rayon::prelude::*;
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A slice's plan and its hashes as hex strings, made on the rayon pool.
type PlannedSlice = (SlicePlan, Vec<CheckedText>);
type OnPool<T> = tokio::sync::oneshot::Receiver<std::result::Result<T, LoadError>>;

/// One `planChanges` call in progress (on its JS thread only).
pub struct Planner {
    data: Arc<HashMapsData>,
    force_all: bool,
    pending: RefCell<Option<Vec<OnPool<PlannedSlice>>>>,
    /// Set by [`plan_cancel`]: slices not started yet are not planned.
    cancelled: Arc<AtomicBool>,
}

/// Runs `work` on the rayon pool; its result (a panic as `E_INTERNAL`: none may unwind out of a
/// rayon task, rayon would abort the process) comes through the receiver.
fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, LoadError> + Send + 'static,
) -> OnPool<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let done = std::panic::catch_unwind(AssertUnwindSafe(work))
            .unwrap_or_else(|p| Err(from_panic(p.as_ref())));
        let _ = tx.send(done);
    });
    rx
}

/// What a receiver of [`on_pool`] gives, or an error if its task ended without a result.
async fn from_pool<T>(rx: OnPool<T>) -> std::result::Result<T, LoadError> {
    rx.await.map_err(|_| {
        LoadError::new(
            ErrorCode::Internal,
            "a planning task ended without a result",
        )
    })?
}

#[napi]
pub fn plan_start(maps: &External<Arc<HashMapsData>>, force_all: bool) -> External<Planner> {
    let data: &Arc<HashMapsData> = maps;
    External::new(Planner {
        data: data.clone(),
        force_all,
        pending: RefCell::new(Some(Vec::new())),
        cancelled: Arc::new(AtomicBool::new(false)),
    })
}

/// Gives up the call (the JS layer found a bad item after some slices were added): slices not
/// started are not planned, and the results of the others are dropped as they come.
#[napi]
pub fn plan_cancel(planner: &External<Planner>) {
    planner.cancelled.store(true, Ordering::Relaxed);
    planner.pending.borrow_mut().take();
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

/// A planChanges error that only a bug can cause.
fn bad(what: &str) -> LoadError {
    LoadError::new(ErrorCode::Internal, format!("planChanges: {what}"))
}

/// A slice's ids and texts, read and checked against their lengths and each other.
fn read_slice(
    ids: JsString,
    id_lens: &[u32],
    texts: JsString,
    text_lens: &[u32],
) -> Result<(JoinedStrings, JoinedStrings)> {
    match (read_joined(ids, id_lens)?, read_joined(texts, text_lens)?) {
        (Some(ids), Some(texts)) if ids.len() == texts.len() => Ok((ids, texts)),
        (Some(_), Some(_)) => Err(coded(bad("a slice has more ids than texts"))),
        _ => Err(coded(bad("a slice's lengths do not add up"))),
    }
}

/// A slice's plan and its hashes as hex strings (`parallel`: on every core).
fn planned_slice(
    data: &HashMapsData,
    ids: &JoinedStrings,
    texts: &JoinedStrings,
    force_all: bool,
    parallel: bool,
) -> std::result::Result<PlannedSlice, LoadError> {
    let slice = plan_slice(data, ids, texts, force_all, parallel);
    let hex = slice
        .hex_strings(HASHES_PER_STRING)
        .into_iter()
        .map(CheckedText::new)
        .collect::<std::result::Result<_, _>>()?;
    Ok((slice, hex))
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
    let (ids, texts) = read_slice(ids, &id_lens, texts, &text_lens)?;
    guard(|| {
        let mut pending = planner.pending.borrow_mut();
        let Some(pending) = pending.as_mut() else {
            return Err(bad("the plan was already finished"));
        };
        let (data, force_all) = (planner.data.clone(), planner.force_all);
        let cancelled = planner.cancelled.clone();
        let rx = on_pool(move || {
            if cancelled.load(Ordering::Relaxed) {
                return Err(bad("the call was given up"));
            }
            maybe_panic("plan-slice");
            planned_slice(&data, &ids, &texts, force_all, true)
        });
        pending.push(rx);
        Ok(())
    })
}

/// Hashes per string of [`PackedPlan::hex`] at most (4 KB), for the reasons of `TextPieces`.
const HASHES_PER_STRING: usize = 64;
/// Ids to delete per parallel task when they are put into strings.
const IDS_PER_TASK: usize = 1 << 14;

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
    let slices = planner.pending.borrow_mut().take().unwrap_or_default();
    let data = planner.data.clone();
    // Everything the future holds is `Send` and owned by Rust: nothing of the JS thread.
    let work = async move {
        let planned = AssertUnwindSafe(async move {
            let mut parts = Vec::with_capacity(slices.len());
            let mut hex = Vec::new();
            for slice in slices {
                let (part, part_hex) = from_pool(slice).await?;
                parts.push(part);
                hex.extend(part_hex);
            }
            // On the pool too: no long work on the async runtime's threads.
            from_pool(on_pool(move || {
                maybe_panic("plan-finish");
                let (plan, ids, id_lens) = merged(&data, &parts, true)?;
                Ok((plan, hex, ids, id_lens))
            }))
            .await
        })
        .catch_unwind()
        .await
        .unwrap_or_else(|p| Err(from_panic(p.as_ref())));
        planned.map_err(coded)
    };
    // On the JS thread only what makes JS values: the strings were made and checked above.
    env.spawn_future_with_callback(work, |_env, (plan, hex, ids, id_lens)| {
        Ok(packed(plan, hex, ids, id_lens))
    })
}

/// The slices' plans merged, with the ids to delete put into strings: on every core when
/// `parallel` (called on the pool: each task starts a string of its own), else on this thread (the
/// JS thread must never wait for the pool, which another call may keep busy for seconds).
fn merged(
    data: &HashMapsData,
    parts: &[SlicePlan],
    parallel: bool,
) -> std::result::Result<(Plan, Vec<CheckedText>, Vec<u32>), LoadError> {
    let plan = merge(data, parts);
    let group_text = |group: &[u32]| {
        let mut ids = TextPieces::new();
        for &i in group {
            ids.push(data.id_bytes(i));
        }
        ids.finish()
    };
    let groups = if parallel {
        plan.ids_to_delete
            .par_chunks(IDS_PER_TASK)
            .map(group_text)
            .collect::<std::result::Result<Vec<_>, _>>()?
    } else {
        vec![group_text(&plan.ids_to_delete)?]
    };
    let mut ids = Vec::new();
    let mut id_lens = Vec::with_capacity(plan.ids_to_delete.len());
    for (texts, lens) in groups {
        ids.extend(texts);
        id_lens.extend(lens);
    }
    Ok((plan, ids, id_lens))
}

fn packed(
    plan: Plan,
    hex: Vec<CheckedText>,
    ids: Vec<CheckedText>,
    id_lens: Vec<u32>,
) -> PackedPlan {
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
    let (ids, texts) = read_slice(ids, &id_lens, texts, &text_lens)?;
    let data: &Arc<HashMapsData> = maps;
    let (plan, hex, ids, id_lens) = guard(|| {
        maybe_panic("plan-direct");
        let (slice, hex) = planned_slice(data, &ids, &texts, force_all, false)?;
        let (plan, ids, id_lens) = merged(data, std::slice::from_ref(&slice), false)?;
        Ok((plan, hex, ids, id_lens))
    })?;
    Ok(packed(plan, hex, ids, id_lens))
}
