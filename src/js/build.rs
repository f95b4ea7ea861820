//! `buildHashMaps`: the one entry point.

use super::base_hash_map::BaseHashMap;
use super::bound::{Bindings, ChunksGet, IdsDelete, IdsHas, MapGet, MapHas};
use super::control::{from_options, JsSide};
use super::errors::{from_panic, to_napi};
use super::existing_chunks::ExistingChunks;
use super::existing_ids::ExistingIds;
use super::options::{parse_options, parse_path};
use crate::core::{load, ErrorCode, IdSetState, LoadError, Loaded};
use futures::FutureExt;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;

/// The three structures the service needs, plus what was read.
#[napi(object, object_from_js = false)]
pub struct HashMaps {
    /// Base id → `text_hash` of the first row with that base (`null` where that hash is null).
    pub base_hash_map: BaseHashMap,
    /// Every id; the service calls `has` and `delete` on it.
    pub existing_ids: ExistingIds,
    /// Base id → every id with that base, in scan order.
    pub existing_chunks: ExistingChunks,
    /// Rows read (deleted rows excluded; duplicate ids counted each time).
    pub row_count: u32,
    /// `false` when nothing was at the path (or the database had no such table): the maps are empty.
    pub table_found: bool,
    /// The table version that was read; `null` when no table was found.
    #[napi(ts_type = "number | null")]
    pub version: Either<i64, Null>,
}

/// Reads the `id` and `text_hash` columns of a LanceDB table and builds the change-detection maps
/// natively: the same content and iteration order as the JS loop over
/// `table.query().select(["id", "text_hash"]).toArray()`, in compact native memory.
///
/// `tablePath` is the table directory (e.g. `<db>/embeddings.lance`), absolute or relative to the
/// working directory, or a `file://` URI; or the database directory together with `options.tableName`.
/// The table is only read: nothing is created, locked or changed, even when the path is missing.
///
/// Resolves with empty maps and `tableFound: false` when there is no table at the path. Rejects
/// with an `Error` whose `code` is one of `E_ARG`, `E_NOT_A_TABLE`, `E_SCHEMA`, `E_NULL_ID`, `E_IO`,
/// `E_CORRUPT`, `E_UNSUPPORTED`, `E_VERSION`, `E_ABORTED`, `E_CALLBACK`, `E_TOO_LARGE`, `E_INTERNAL`, and a
/// message naming the path and the cause; never with partial maps.
#[napi(
    catch_unwind,
    ts_args_type = "tablePath: string, options?: BuildHashMapsOptions",
    ts_return_type = "Promise<HashMaps>"
)]
pub fn build_hash_maps<'env>(
    env: &'env Env,
    table_path: Unknown<'env>,
    options: Option<Unknown<'env>>,
) -> Result<PromiseRaw<'env, Unknown<'env>>> {
    let parsed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let path = parse_path(&table_path)?;
        let opts = parse_options(options.as_ref())?;
        let (control, side) = from_options(env, options.as_ref())?;
        Ok::<_, LoadError>((path, opts, control, side))
    }))
    .unwrap_or_else(|p| Err(from_panic(p.as_ref())));
    let (inputs, side) = match parsed {
        Ok((path, opts, control, side)) => (Ok((path, opts, control)), side),
        Err(e) => (Err(e), JsSide::default()),
    };

    let work = async move {
        let (path, opts, control) = inputs?;
        AssertUnwindSafe(load(&path, &opts, &control))
            .catch_unwind()
            .await
            .unwrap_or_else(|p| Err(from_panic(p.as_ref())))
    };
    env.spawn_future_with_callback(
        work.map(Ok),
        move |env, outcome: std::result::Result<Loaded, LoadError>| {
            side.finish(env);
            if let Some(thrown) = side.callback_error.borrow_mut().take() {
                return Err(callback_error(env, thrown));
            }
            match outcome {
                Ok(loaded) => into_js(env, loaded),
                Err(e) => Err(to_napi(env, &e)),
            }
        },
    )
}

/// `E_CALLBACK`, with what the callback threw as `cause`.
fn callback_error(env: &Env, thrown: napi::Error) -> napi::Error {
    let message = format!(
        "options.onProgress threw, so the call was stopped: {}",
        thrown.reason
    );
    let err = LoadError::new(ErrorCode::Callback, message);
    let with_cause = (|| -> Result<napi::Error> {
        let cause = JsError::from(thrown).into_unknown(*env);
        let mut obj = JsError::from(napi::Error::new(err.code, err.message.clone()))
            .into_unknown(*env)
            .coerce_to_object()?;
        obj.set_named_property("cause", cause)?;
        Ok(napi::Error::from(obj.to_unknown()))
    })();
    with_cause.unwrap_or_else(|_| to_napi(env, &err))
}

/// The JS result. The native memory is reported to the engine (a third per object, given back as
/// each is collected) so that its GC sees what the maps really hold. Each object gets its per-item
/// methods as bound functions (see [`super::bound`]).
fn into_js<'env>(env: &'env Env, loaded: Loaded) -> Result<Unknown<'env>> {
    let row_count = loaded.data.row_count() as u32;
    let data = Arc::new(loaded.data);
    let state = IdSetState::new(data.clone());
    let share = ((data.heap_bytes() + state.heap_bytes()) / 3) as i64;
    env.adjust_external_memory(3 * share)?;
    let ids = Rc::new(RefCell::new(state));
    let maps = HashMaps {
        existing_ids: ExistingIds {
            state: ids.clone(),
            external_bytes: share,
        },
        base_hash_map: BaseHashMap {
            data: data.clone(),
            external_bytes: share,
        },
        existing_chunks: ExistingChunks {
            data: data.clone(),
            external_bytes: share,
        },
        row_count,
        table_found: loaded.table_found,
        version: loaded
            .version
            .map_or(Either::B(Null), |v| Either::A(v as i64)),
    };
    // SAFETY: on the JS thread, with its env; the handles live until this callback returns.
    let js = unsafe { Object::from_raw(env.raw(), HashMaps::to_napi_value(env.raw(), maps)?) };
    Bindings::default()
        .with::<MapGet>(env, &data)?
        .with::<MapHas>(env, &data)?
        .define(env, &js.get_named_property("baseHashMap")?)?;
    Bindings::default()
        .with::<ChunksGet>(env, &data)?
        .with::<MapHas>(env, &data)?
        .define(env, &js.get_named_property("existingChunks")?)?;
    Bindings::default()
        .with::<IdsHas>(env, &ids)?
        .with::<IdsDelete>(env, &ids)?
        .define(env, &js.get_named_property("existingIds")?)?;
    Ok(js.to_unknown())
}
